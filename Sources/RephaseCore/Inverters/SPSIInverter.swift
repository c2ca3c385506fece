/// Single-pass spectrogram inversion (SPSI; Beauregard, Harish and Wyse, IEEE DSP 2015),
/// the cheapest analytic baseline: each frame's phases come from its own magnitudes' peaks and
/// the previous frame's phases (SPSIPhases), with no look-ahead, no derivatives of the
/// magnitudes across frames and no solver. Close to exact for a stationary sinusoid once its
/// first frame has passed (the peak's parabola is not exactly the lobe's shape); speech's moving
/// harmonics and noise cost it quality.
///
/// Float32: the peak offset p is computed in Float from log-magnitudes (SPSIPhases) and taken
/// to binary-angle units (p H / N of a turn, truncated toward zero); the phasors are
/// FloatMath.sinCos of the binary angles. Latency N - H. State: the phases (K binary angles),
/// the frame's bounded magnitudes, the synthesis and a packed spectrum row.
public struct SPSIInverter<let N: Int, let H: Int, let K: Int>: MagnitudeInverter {
    var phases = SPSIPhases<N, H, K>()
    var synthesis = STFTSynthesis<N, H>()
    var magnitudes = InlineArray<K, Float>(repeating: 0)
    var spectrum = InlineArray<N, Float>(repeating: 0)

    public init() {}

    /// Bytes of the state rebuilt every frame: the bounded magnitudes and the spectrum row.
    public static var scratchBytes: Int {
        MemoryLayout<InlineArray<K, Float>>.size + MemoryLayout<InlineArray<N, Float>>.size
    }

    public var latency: Int { N - H }

    public mutating func prepare() {
        synthesis.prepare()
    }

    public mutating func reset() {
        phases.reset()
        synthesis.reset()
    }

    public mutating func process(magnitudes newest: Span<Float>, output: inout MutableSpan<Float>) {
        precondition(newest.count == K && output.count == H, "SPSIInverter: wrong frame size")
        for k in 0..<K { magnitudes[k] = MagnitudeRange.bounded(newest[k]) }
        let scale = Float(SPSIPhases<N, H, K>.binAdvance)
        // The log-magnitude drops from the peak, each the log of a ratio, so a flat peak's
        // small drops keep their relative precision (a difference of two logs would not).
        // 1e-30 stands for a silent neighbour; drops that round to zero on both sides give p = 0.
        let peaks = phases.advance(magnitudes.span) { left, peak, right in
            let dl = -FloatMath.log(max(left / peak, 1e-30)), dr = -FloatMath.log(max(right / peak, 1e-30))
            return dl + dr > 0 ? Int32(0.5 * (dl - dr) / (dl + dr) * scale) : 0
        }
        // Per frame: bounding the magnitudes; per peak, the interpolation; per bin, the phasor.
        OperationCounter.record(
            .peaks,
            (MagnitudeRange.operations + OperationMix(integer: 2, load: 1, store: 1, branch: 1)) * K
                + (OperationMix(integer: 2, branch: 1, floatAdd: 6, floatMultiply: 2, floatDivide: 3) + FloatMath.logOperations * 2) * peaks
                + FloatMath.binaryAngleSinCosOperations * K)
        var packed = spectrum.mutableSpan
        packSpectrum(magnitudes: magnitudes.span, into: &packed) { k in
            let (s, c) = FloatMath.sinCos(phases.phase[k])
            return (c, s)
        }
        synthesis.synthesize(spectrum: &packed, output: &output)
    }
}
