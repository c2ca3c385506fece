/// The mel networks' magnitude correction in integers: the Q15 twin of
/// CNNEstimator.correctMagnitudes, a' = (a + 1e-7) e^g with g clamped to [-16, 16], on a
/// block-floating frame (BlockFloatingMagnitudes), bit-exact to Tools/cnn/q15model.py's
/// `corrected` (its docstring is the definition; Q15NetworkTests checks the golden vectors).
///
/// Formats, rounding and saturation, per bin k of a frame (mantissas m_k, exponent e):
/// - g_q, the head's int16 output, times the network's gain G = round(2^31 s log2(e)) (s the
///   head's scale) gives x_k = g log2(e) in Q15.16: rshift_round(g_q G, 15) in Int64, clamped
///   to +-`limit` (g's +-16);
/// - v_k = m_k + f (the features' floor 1e-7 in mantissa units, BlockFloatingMagnitudes.floorUnits),
///   u_k = v_k >> s (truncating) with s the shift that brings max v below 2^32;
/// - p_k = 2^(x_k mod 1) in Q16.16 (FixedLog.exp2 of the fraction, rounded half up), y_k = u_k p_k
///   exact in 64 bits (below 2^50), worth y_k 2^(floor(x_k) + s + e - 16);
/// - the result goes back to block floating point: B = the largest bitlength(y_k) + floor(x_k),
///   e' = B + s + e - 48, and m'_k = y_k shifted by 32 + floor(x_k) - B (left exactly, or right
///   rounded half up), saturated to 2^32 - 1, so the peak's mantissa is in [2^31, 2^32) again.
/// Error against the Float32 definition, relative: p_k's rounding to 2^-16 (up to 7.6e-6),
/// FixedLog.exp2's interpolation (1.9e-6) and at g = +-16 the clamp's rounding (6.4e-6);
/// measured: 6e-6 of the frame's peak at most on the golden frames, 1.07e-5 on random frames
/// that reach the clamp (Q15NetworkTests asserts 2e-5). A frame whose every v_k is 0 (silence, at an exponent where the floor is
/// below one unit) stays silent with exponent 0, where Float32 would hand on 1e-7 e^g.
enum Q15MagnitudeCorrection {
    /// round(2^16 16 log2(e)): g's clamp in log2 units, Q15.16.
    static let limit: Int64 = 1_512_775

    /// Corrects `m` (its frame's exponent `e`) in place by the int16 corrections at
    /// g[k * stride] with `gain`; returns the new exponent. `floorQ55` is the features' floor.
    static func apply(
        _ m: inout MutableSpan<UInt32>, exponent e: Int, corrections g: UnsafePointer<Int16>, stride: Int, gain: Int32,
        floorQ55: Int64
    ) -> Int {
        let bins = m.count
        var largest: UInt32 = 0
        for k in 0..<bins { largest = max(largest, m[k]) }
        let peak = UInt64(largest) + BlockFloatingMagnitudes.floorUnits(floorQ55, exponent: e)
        guard peak > 0 else { return 0 }
        let floor = peak - UInt64(largest), s = max(0, 64 - peak.leadingZeroBitCount - 32)
        /// y_k and floor(x_k) of bin k; computed in both passes rather than stored (2 kB of scratch).
        func scaled(_ k: Int) -> (y: UInt64, whole: Int) {
            let x = min(max(roundingShiftRight(Int64(g[k &* stride]) &* Int64(gain), by: 15), -limit), limit)
            let p = FixedLog.exp2(Int32(truncatingIfNeeded: x & 0xFFFF))
            return ((UInt64(m[k]) &+ floor) &>> s &* UInt64(p), Int(truncatingIfNeeded: x &>> 16))
        }
        var top = Int.min
        for k in 0..<bins {
            let (y, whole) = scaled(k)
            if y > 0 { top = max(top, 64 - y.leadingZeroBitCount + whole) }
        }
        for k in 0..<bins {
            let (y, whole) = scaled(k)
            let d = 32 + whole - top
            let out = y == 0 ? 0 : d >= 0 ? y &<< UInt64(d) : UInt64(roundingShiftRight(Int64(y), by: min(-d, 51)))
            m[k] = UInt32(min(out, UInt64(UInt32.max)))
        }
        // Per bin and pass: the correction's multiply, rounding and clamp, exp2, the floor, shift
        // and 64-bit multiply; then the bit length and maximum, or the shift and saturation.
        OperationCounter.record(
            .derivatives,
            (FixedLog.exp2Operations * 2 + OperationMix(integer: 30, multiply: 4, load: 5, store: 1, branch: 6)) * bins)
        return top + s + e - 48
    }
}
