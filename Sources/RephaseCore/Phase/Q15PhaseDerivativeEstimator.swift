/// The fixed-point counterpart of PhaseDerivativeEstimator, for the Q15 inverters: magnitude
/// frames arrive in block floating point (BlockFloatingMagnitudes), derivatives leave as
/// binary angles (same conventions: frame-start phase, tpd with its nominal advance, fpd[K-1]
/// unused).
public protocol Q15PhaseDerivativeEstimator {
    /// Frames of look-ahead: the estimates for frame t are ready when frame t + lookahead arrives.
    var lookahead: Int { get }

    /// Takes the newest frame (K mantissas and its exponent). Once `lookahead` further frames
    /// have arrived it writes the mantissas and exponent of the frame `lookahead` back and its
    /// derivatives, and returns true; before that it returns false and writes nothing.
    mutating func push(
        mantissas: Span<UInt32>, exponent: Int, delayedMantissas: inout MutableSpan<UInt32>, delayedExponent: inout Int,
        timeDerivative: inout MutableSpan<BinaryAngle>, frequencyDerivative: inout MutableSpan<BinaryAngle>
    ) -> Bool

    /// Forgets all past frames.
    mutating func reset()
}
