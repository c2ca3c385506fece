/// A magnitude frame in block floating point, the input format of the Q15 inverters:
/// a_k = m_k 2^e with unsigned 32-bit mantissas m_k and one exponent e per frame, the largest
/// mantissa in [2^31, 2^32) (every mantissa 0 and e = 0 for a silent frame). 32-bit mantissas
/// keep bins 190 dB below the frame's peak distinct, more than the network's features resolve.
/// Units: a_k is the magnitude of the Float32 pipeline (the unnormalised DFT of samples in
/// [-1, 1)), so a fixed-point host feeding Q15STFTAnalysis output of exponent x passes e = x - 15.
public enum BlockFloatingMagnitudes {
    /// Converts Float magnitudes (finite, >= 0) into mantissas; returns the exponent e.
    /// Exact scaling by a power of two, then each mantissa rounded half up (values >= 2^23
    /// are integers already).
    public static func convert(_ magnitudes: Span<Float>, into mantissas: inout MutableSpan<UInt32>) -> Int {
        precondition(magnitudes.count == mantissas.count, "BlockFloatingMagnitudes: wrong frame size")
        var peak: Float = 0
        for k in 0..<magnitudes.count { peak = max(peak, magnitudes[k]) }
        guard peak > 0 else {
            for k in 0..<mantissas.count { mantissas[k] = 0 }
            return 0
        }
        let e = Int(peak.exponent) - 31
        for k in 0..<magnitudes.count {
            let a = magnitudes[k]
            guard a > 0 else {
                mantissas[k] = 0
                continue
            }
            let v = Float(sign: .plus, exponent: a.exponent - e, significand: a.significand)
            mantissas[k] = v >= 8_388_608 ? UInt32(v) : UInt32(v + 0.5)
        }
        return e
    }

    /// The Float magnitude of mantissa `m` at exponent `e` (exact below 2^24, else rounded to
    /// nearest as Float conversion does).
    @inline(__always)
    public static func value(_ m: UInt32, exponent e: Int) -> Float {
        let f = Float(m)
        return f == 0 ? 0 : Float(sign: .plus, exponent: f.exponent + e, significand: f.significand)
    }
}
