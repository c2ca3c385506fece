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

    /// Which of the core's two arithmetics this is: the simulator prices the solver's
    /// operations by it (the costs themselves are package-internal, not product API).
    static var arithmetic: SolverArithmetic { get }
}

/// The arithmetics the solver runs in: Float32, or IntegerFloat for cores without an FPU.
public enum SolverArithmetic: Sendable {
    case float
    case integerFloat
}

extension SolverScalar {
    /// What one addition (or comparison), multiplication, multiplication feeding an addition,
    /// and reciprocal execute. A Float32 product feeding a sum counts as one multiply-add, as
    /// the simulator's Float32 kernels count it; IntegerFloat says what its routines execute.
    package static var addOperations: OperationMix {
        arithmetic == .float ? OperationMix(floatAdd: 1) : IntegerFloat.addOperations
    }

    package static var multiplyOperations: OperationMix {
        arithmetic == .float ? OperationMix(floatMultiply: 1) : IntegerFloat.multiplyOperations
    }

    package static var multiplyAddOperations: OperationMix {
        arithmetic == .float ? OperationMix(floatMultiplyAdd: 1) : IntegerFloat.multiplyAddOperations
    }

    package static var reciprocalOperations: OperationMix {
        arithmetic == .float ? OperationMix(floatDivide: 1) : IntegerFloat.reciprocalOperations
    }
}

extension Float: SolverScalar {
    public static var pivotTolerance: Float { 1e-12 }
    @inline(__always)
    public var reciprocal: Float { 1 / self }
    public static var arithmetic: SolverArithmetic { .float }
}
