/// Reciprocals without a divide instruction (Cortex-M has no 64-bit divide): normalise, seed
/// from a small table, refine with Newton-Raphson.
public enum FixedReciprocal {
    /// 1/x as a mantissa and a shift: 1/x ~ mantissa / 2^shift, with shift in 31...62 and the
    /// mantissa a Q31 value in [1/2 - 2^-24, 1], i.e. in [2^30 - 2^7, 2^31] (it can end a hair
    /// below 1/2 for x just under a power of two, see the error below).
    ///
    /// For a fixed-point value with q fractional bits, 1/value ~ mantissa / 2^(shift - q).
    /// x = 0 saturates: (mantissa: 2^31, shift: 0), i.e. 2^31, larger than every true result
    /// and still normalised, so callers need no special case.
    /// Method: x is normalised to d in [1, 2); a 32-entry Q15 table (`reciprocalSeedQ15`) gives
    /// 1/d to 1/64, and two Newton-Raphson steps y <- y (2 - d y) in 64-bit products square
    /// that twice, to (1/64)^4 = 6.0e-8 (Newton-Raphson for 1/d lands below it). Max relative
    /// error asserted by the tests over 1...65536, powers of two and their neighbours, a stride
    /// through the whole range and random inputs: 6.1e-8 (measured 5.6e-8), against the
    /// 2^-14 = 6.1e-5 target.
    public static func reciprocal(_ x: UInt32) -> (mantissa: UInt32, shift: Int) {
        if x == 0 { return (1 << 31, 0) }
        let leadingZeros = x.leadingZeroBitCount
        let d = UInt64(x &<< leadingZeros)  // Q31 in [1, 2)
        let seed = reciprocalSeedQ15[Int((d &>> 26) & 31)]
        var y = UInt64(UInt16(bitPattern: seed)) &<< 16  // Q31 in (1/2, 1)
        for _ in 0..<2 {
            // d * y <= 2^32 * 2^31 and y * (2 - d y) < 2^31 * 2^32: both fit in 63 bits.
            let dy = (d &* y) &>> 31
            y = (y &* (0x1_0000_0000 &- dy)) &>> 31
        }
        // 1/x = 2^leadingZeros / d = y / 2^31 * 2^leadingZeros / 2^31.
        return (UInt32(truncatingIfNeeded: y), 62 &- leadingZeros)
    }

    /// What one `reciprocal` executes: the normalisation and the seed's index and load, then
    /// per Newton-Raphson step two 64-bit products (three multiplies each on a 32-bit core)
    /// and their shifts.
    package static var operations: OperationMix { OperationMix(integer: 14, multiply: 12, load: 1, branch: 2) }

    /// 1/x for x in unsigned Q16.16, in unsigned Q16.16 (raw = 2^32 / x), rounded half up.
    /// Saturates to `UInt32.max` for x <= 1 (x = 0 included), where 2^32 / x does not fit.
    /// Error: at most 0.5 LSB plus 6e-8 relative (measured with `reciprocal`).
    public static func reciprocalQ16(_ x: UInt32) -> UInt32 {
        if x <= 1 { return .max }
        let (mantissa, shift) = reciprocal(x)
        // 2^32 / x = mantissa * 2^(32 - shift); shift >= 32 here because x >= 2.
        let raw = roundingShiftRight(Int64(mantissa), by: shift &- 32)
        return UInt32(truncatingIfNeeded: raw)
    }
}
