/// A magnitude frame in block floating point, the input format of the Q15 inverters:
/// a_k = m_k 2^e with unsigned 32-bit mantissas m_k and one exponent e per frame, the largest
/// mantissa in [2^31, 2^32) (every mantissa 0 and e = 0 for a silent frame). 32-bit mantissas
/// keep bins 190 dB below the frame's peak distinct, more than the network's features resolve.
/// Units: a_k is the magnitude of the Float32 pipeline (the unnormalised DFT of samples in
/// [-1, 1)), so a fixed-point host feeding Q15STFTAnalysis output of exponent x passes e = x - 15.
public enum BlockFloatingMagnitudes {
    /// Converts Float magnitudes into mantissas; returns the exponent e. Each magnitude is
    /// read through MagnitudeRange.bounded, as every inverter's Float entry reads it (input
    /// from outside cannot be trusted: NaN or a negative value counts as 0, +infinity and
    /// values above MagnitudeRange.largest saturate to it), then scaled exactly by a power of
    /// two and rounded half up (values >= 2^23 are integers already).
    public static func convert(_ magnitudes: Span<Float>, into mantissas: inout MutableSpan<UInt32>) -> Int {
        precondition(magnitudes.count == mantissas.count, "BlockFloatingMagnitudes: wrong frame size")
        var peak: Float = 0
        for k in 0..<magnitudes.count { peak = max(peak, MagnitudeRange.bounded(magnitudes[k])) }
        guard peak > 0 else {
            for k in 0..<mantissas.count { mantissas[k] = 0 }
            return 0
        }
        let e = Int(peak.exponent) - 31
        for k in 0..<magnitudes.count {
            let a = MagnitudeRange.bounded(magnitudes[k])
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

    /// The floor F 2^-55 (F = `floorQ55`, below 2^32) in mantissa units at exponent e,
    /// f = F 2^(-55 - e): a left shift capped at 30 bits, or a right shift rounded half up (0
    /// beyond 32 bits).
    @inline(__always)
    static func floorUnits(_ floorQ55: Int64, exponent e: Int) -> UInt64 {
        let floorShift = -55 - e
        return floorShift >= 0
            ? UInt64(floorQ55) << min(floorShift, 30)
            : -floorShift > 32 ? 0 : UInt64(roundingShiftRight(floorQ55, by: -floorShift))
    }

    /// log2(a_k + floor) - origin of a frame in Q15.16 (the integer features' and the Q15
    /// PGHI's log-magnitudes, measured from `origin`), written to the first K entries of `logs`;
    /// returns that of the peak, log2(max a + floor) - origin. The features measure from the
    /// silent level, so that silence is 0 and their state starts as all zeros (which keeps it
    /// out of a microcontroller's initialised data, that is out of flash).
    /// The floor is F 2^-55 (F = `floorQ55`), in mantissa units f (`floorUnits`).
    /// With v_k = m_k + f, P = max v_k and s = max(0, bitlength(P) - 32):
    ///   log A_k = FixedLog.log2(v_k >> s) + ((s + e) << 16)   (>> truncating),
    /// exact up to FixedLog's error and the truncation. A silent frame (every m_k = 0) gets
    /// `silent` - origin everywhere, `silent` being the caller's log2 of the floor.
    public static func absoluteLog2(
        mantissas m: Span<UInt32>, exponent e: Int, floorQ55: Int64, silent: Int32, origin: Int32 = 0,
        into logs: inout MutableSpan<Int32>
    ) -> Int32 {
        let bins = m.count
        precondition(logs.count >= bins, "BlockFloatingMagnitudes.absoluteLog2: row too short")
        var largest: UInt32 = 0
        for k in 0..<bins { largest = max(largest, m[k]) }
        OperationCounter.record(.features, OperationMix(integer: bins, load: bins, branch: bins))
        guard largest > 0 else {
            for k in 0..<bins { logs[k] = silent &- origin }
            return silent &- origin
        }
        let floor = floorUnits(floorQ55, exponent: e)
        let peak = UInt64(largest) + floor
        let s = max(0, 64 - peak.leadingZeroBitCount - 32)
        let offset = (Int32(s + e) << 16) &- origin
        for k in 0..<bins {
            logs[k] = FixedLog.log2(UInt32(truncatingIfNeeded: (UInt64(m[k]) + floor) >> s)) &+ offset
        }
        OperationCounter.record(.features, FixedLog.log2Operations * (bins + 1) + OperationMix(integer: 20, load: 2, store: 1, branch: 3) * bins)
        return FixedLog.log2(UInt32(truncatingIfNeeded: peak >> s)) &+ offset
    }
}
