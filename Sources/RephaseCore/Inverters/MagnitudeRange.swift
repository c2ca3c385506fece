/// The magnitudes the Float32 inverters are defined for, and the one guard every inverter's
/// Float entry reads its magnitudes through.
///
/// A magnitude frame comes from outside the core (a file, a network, a host's own analysis)
/// and cannot be trusted: NaN and infinity make every method's output NaN, and finite values
/// far above speech levels overflow Float32 inside the methods (squared and summed in the FFTs
/// and Griffin-Lim projections, grown layer by layer in the networks), which gives NaN,
/// infinite or silent output. So each inverter takes magnitude a as `bounded(a)`: the identity
/// on [0, `largest`], which holds every ordinary frame, so ordinary output is unchanged;
/// NaN, zero and negative values become 0, and values above `largest`, +infinity included,
/// become `largest`. Within that range every inverter's output is finite.
public enum MagnitudeRange {
    /// The largest magnitude: 1e9, far above a full-scale frame in the project's units (the
    /// Hann window's sum, 256, for samples in [-1, 1]; 8.4e6 for samples scaled as 16-bit
    /// integers). The C interface refuses magnitudes above it (rephase.h: REPHASE_MAX_MAGNITUDE).
    public static var largest: Float { 1e9 }

    /// `a` clamped to [0, largest], NaN to 0.
    @inline(__always)
    public static func bounded(_ a: Float) -> Float {
        a > 0 ? min(a, largest) : 0
    }

    /// What `bounded` executes per value, for the simulator: a comparison and a minimum.
    package static var operations: OperationMix { OperationMix(floatAdd: 2) }
}
