/// The arithmetic the tridiagonal solver runs in: Float on cores with an FPU, IntegerFloat
/// (integer instructions only) on cores without one. The solver's algorithm is written once,
/// generic over this; each scalar says what its operations cost, for the simulator.
public protocol SolverScalar: Comparable {
    static var zero: Self { get }
    /// The solver's relative pivot tolerance, 1e-12, in this arithmetic.
    static var pivotTolerance: Self { get }
    var magnitude: Self { get }
    /// 1 / self, for self > 0.
    var reciprocal: Self { get }
    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static func * (a: Self, b: Self) -> Self
    static prefix func - (a: Self) -> Self

    /// What one addition (or comparison), multiplication, multiplication feeding an addition,
    /// and reciprocal execute.
    static var addOperations: OperationMix { get }
    static var multiplyOperations: OperationMix { get }
    static var multiplyAddOperations: OperationMix { get }
    static var reciprocalOperations: OperationMix { get }
}

extension Float: SolverScalar {
    public static var pivotTolerance: Float { 1e-12 }
    @inline(__always)
    public var reciprocal: Float { 1 / self }
    public static var addOperations: OperationMix { OperationMix(floatAdd: 1) }
    public static var multiplyOperations: OperationMix { OperationMix(floatMultiply: 1) }
    /// Counted as one multiply-add, as the simulator's Float32 kernels count a product feeding a sum.
    public static var multiplyAddOperations: OperationMix { OperationMix(floatMultiplyAdd: 1) }
    public static var reciprocalOperations: OperationMix { OperationMix(floatDivide: 1) }
}
