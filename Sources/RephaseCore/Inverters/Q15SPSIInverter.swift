/// SPSI (SPSIInverter) in integer arithmetic throughout, for cores without an FPU as well as
/// for the Cortex-M4F: peak picking on block-floating mantissas, the peak offset from
/// FixedLog.log2 and one integer division, FixedTrig phasors and Q15 synthesis.
///
/// The peak offset, for mantissas l < c >= r (UInt32): the log-magnitude drops
/// dl = log2(c) - log2(l) and dr = log2(c) - log2(r) in Q15.16 (FixedLog.log2, whose log2(0)
/// of -1 keeps a silent neighbour finite; both drops are in [0, 2^22)); both are shifted right
/// by s = max(0, bitWidth(dl | dr) - 16) (truncating), so that each fits in 16 bits; then
/// p15 = ((dl - dr) << 14) / (dl + dr), truncated toward zero: p in Q15, |p15| <= 16384. Where
/// both shifted drops are 0 the denominator is 0 and so is the numerator: p15 = 0. The phase
/// advance is (p15 binAdvance) >> 15 binary-angle units (floor, 64-bit product).
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
            let c = FixedLog.log2(peak)
            var dl = c &- FixedLog.log2(left), dr = c &- FixedLog.log2(right)
            let shift = max(0, 16 &- (dl | dr).leadingZeroBitCount)
            (dl, dr) = (dl &>> shift, dr &>> shift)
            let p15 = dl &+ dr == 0 ? 0 : ((dl &- dr) &<< 14) / (dl &+ dr)
            return Int32(truncatingIfNeeded: (Int64(p15) &* binAdvance) &>> 15)
        }
        OperationCounter.record(.peaks, (OperationMix(integer: 14, multiply: 1, divide: 1, branch: 1) + FixedLog.log2Operations * 3) * peaks)
        var packed = spectrum.mutableSpan
        packQ15Spectrum(mantissas: mantissas, phases: phases.phase.span, into: &packed)
        synthesis.synthesize(spectrum: &packed, exponent: exponent + 32, output: &output)
    }
}
