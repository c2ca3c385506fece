/// A phase derivative as an estimator delivers it: Float radians (the Float32 estimators) or a
/// BinaryAngle (the Q15 ones, whose fixed-point atan2 yields binary angles exactly). The
/// integrator reads either without converting a whole row first.
public protocol PhaseAngle {
    /// The angle as a binary angle (2^32 = one turn), for exact accumulation.
    var binaryAngle: BinaryAngle { get }
    /// (sin, cos) of the angle in Float (FloatMath.sinCos: a binary angle needs no range reduction).
    var sinCos: (sin: Float, cos: Float) { get }
    /// Whether the angle is in radians, so that `binaryAngle` and `sinCos` each reduce its
    /// range first (what the simulator charges for them depends on it).
    static var isRadians: Bool { get }
}

extension Float: PhaseAngle {
    @inlinable @inline(__always)
    public var binaryAngle: BinaryAngle { BinaryAngle(singlePrecisionRadians: self) }
    @inlinable @inline(__always)
    public var sinCos: (sin: Float, cos: Float) { FloatMath.sinCos(self) }
    public static var isRadians: Bool { true }
}

extension BinaryAngle: PhaseAngle {
    @inline(__always)
    public var binaryAngle: BinaryAngle { self }
    @inline(__always)
    public var sinCos: (sin: Float, cos: Float) { FloatMath.sinCos(self) }
    public static var isRadians: Bool { false }
}

extension PhaseAngle {
    /// What `binaryAngle` executes, for the simulator (OperationCounter).
    static var binaryAngleOperations: OperationMix { isRadians ? FloatMath.binaryAngleOperations : OperationMix() }
    /// What `sinCos` executes.
    static var sinCosOperations: OperationMix { isRadians ? FloatMath.sinCosOperations : FloatMath.binaryAngleSinCosOperations }
}
