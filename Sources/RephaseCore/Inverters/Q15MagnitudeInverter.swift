/// An inverter with a fixed-point path: block-floating magnitude frames in
/// (BlockFloatingMagnitudes: K mantissas and one exponent), Q15 samples out. Its Float
/// interface (MagnitudeInverter) converts on the way in and out (Q15FloatFrame), so hosts can
/// run it beside the Float32 inverters; rephase_process_q15 takes this one.
public protocol Q15MagnitudeInverter: MagnitudeInverter {
    /// One frame of mantissas (K) and its exponent in, H Q15 samples out.
    mutating func process(mantissas: Span<UInt32>, exponent: Int, output: inout MutableSpan<Int16>)
}

/// The Float interface of a Q15 inverter of K bins and hop H.
enum Q15FloatFrame<let K: Int, let H: Int> {
    /// Converts the frame to block floating point, runs `fixedPoint` on it, and returns its Q15
    /// samples as Floats (q / 32768, exact).
    @inline(__always)
    static func process(
        _ newest: Span<Float>, _ output: inout MutableSpan<Float>,
        _ fixedPoint: (Span<UInt32>, Int, inout MutableSpan<Int16>) -> Void
    ) {
        var mantissas = InlineArray<K, UInt32>(repeating: 0), samples = InlineArray<H, Int16>(repeating: 0)
        var m = mantissas.mutableSpan, q = samples.mutableSpan
        let exponent = BlockFloatingMagnitudes.convert(newest, into: &m)
        fixedPoint(mantissas.span, exponent, &q)
        for i in 0..<H { output[i] = Float(samples[i]) * (1 / 32768) }
    }
}
