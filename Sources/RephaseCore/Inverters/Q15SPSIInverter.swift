/// SPSI (SPSIInverter) in integer arithmetic throughout, for cores without an FPU as well as
/// for the Cortex-M4F: peak picking on block-floating mantissas, the peak offset by one
/// integer division, FixedTrig phasors and Q15 synthesis.
///
/// The peak offset, for mantissas l < c >= r (UInt32): the three are shifted right by
/// s = max(0, bitWidth(c) - 15), so each fits in 15 bits (truncating; the shift keeps 15
/// significant bits of the peak, so the ratio loses at most 2^-14 relative), then
/// p15 = ((r - l) << 14) / (2c - l - r), truncated toward zero: p in Q15, |p15| <= 16384, as
/// the shifted l and r are still at most c, so |r - l| <= 2c - l - r. Where the shift leaves
/// both equal to c, the denominator is 0 and so is the numerator: p15 = 0. The phase advance is
/// (p15 binAdvance) >> 15 binary-angle units (floor, 64-bit product).
/// The spectrum is packed by packQ15Spectrum(mantissas:phases:) and synthesised with the
/// frame's exponent e + 32. Latency N - H.
public struct Q15SPSIInverter<let N: Int, let H: Int, let K: Int>: Q15MagnitudeInverter {
    var phases = SPSIPhases<N, H, K>()
    var synthesis = Q15STFTSynthesis<N, H>()
    var spectrum = InlineArray<N, Int16>(repeating: 0)

    public init() {}

    /// Bytes of the state rebuilt every frame: the spectrum row.
    public static var scratchBytes: Int { MemoryLayout<InlineArray<N, Int16>>.size }

    public var latency: Int { N - H }

    public mutating func prepare() {
        synthesis.prepare()
    }

    public mutating func reset() {
        phases.reset()
        synthesis.reset()
    }

    public mutating func process(magnitudes newest: Span<Float>, output: inout MutableSpan<Float>) {
        precondition(newest.count == K && output.count == H, "Q15SPSIInverter: wrong frame size")
        Q15FloatFrame<K, H>.process(newest, &output) { process(mantissas: $0, exponent: $1, output: &$2) }
    }

    public mutating func process(mantissas: Span<UInt32>, exponent: Int, output: inout MutableSpan<Int16>) {
        precondition(mantissas.count == K && output.count == H, "Q15SPSIInverter: wrong frame size")
        let binAdvance = Int64(SPSIPhases<N, H, K>.binAdvance)
        let peaks = phases.advance(mantissas) { left, peak, right in
            let shift = max(0, 17 - peak.leadingZeroBitCount)
            let l = Int32(truncatingIfNeeded: left &>> shift), c = Int32(truncatingIfNeeded: peak &>> shift)
            let r = Int32(truncatingIfNeeded: right &>> shift)
            let denominator = 2 &* c &- l &- r
            let p15 = denominator == 0 ? 0 : ((r &- l) &<< 14) / denominator
            return Int32(truncatingIfNeeded: (Int64(p15) &* binAdvance) &>> 15)
        }
        OperationCounter.record(.peaks, OperationMix(integer: 12, multiply: 1, divide: 1) * peaks)
        var packed = spectrum.mutableSpan
        packQ15Spectrum(mantissas: mantissas, phases: phases.phase.span, into: &packed)
        synthesis.synthesize(spectrum: &packed, exponent: exponent + 32, output: &output)
    }
}
