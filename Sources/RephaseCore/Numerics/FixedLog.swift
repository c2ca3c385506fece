/// Base-2 logarithm and exponential in integer arithmetic, in Q15.16: an `Int32` read as
/// `raw / 2^16` (15 integer bits, 16 fractional bits, sign).
public enum FixedLog {
    /// What `log2(0)` returns: -1.0 in Q15.16, one below log2(1) = 0, as if a silent value were
    /// half an LSB. Finite, so that sums and differences of log-magnitudes cannot overflow.
    public static let log2OfZero: Int32 = -(1 << 16)

    /// log2(x) in Q15.16, in [0, 32], for x > 0; `log2OfZero` for x = 0.
    ///
    /// The integer part is the position of the leading one; the fraction is log2 of the
    /// normalised mantissa 1.f, interpolated linearly in the 257-entry Q30 table
    /// `log2MantissaQ30` (8 bits of f select the segment, the next 23 weight it) and rounded
    /// once to 2^-16, half up. For a fixed-point value with q fractional bits, subtract q << 16.
    /// Error: interpolation at most 2.8e-6 plus rounding 7.6e-6. Max |error| asserted over
    /// 1...65536, a stride through the whole range and random inputs: 0.69 LSB = 1.05e-5
    /// (measured 0.674 LSB = 1.03e-5), against the 2^-14 = 6.1e-5 target.
    public static func log2(_ x: UInt32) -> Int32 {
        if x == 0 { return log2OfZero }
        let leadingZeros = x.leadingZeroBitCount
        let fraction = (x &<< leadingZeros) & 0x7FFF_FFFF  // the 31 bits after the leading one
        let segment = Int(fraction &>> 23)
        let weight = Int64(fraction & 0x7F_FFFF)
        let near = Int64(log2MantissaQ30[segment])
        let far = Int64(log2MantissaQ30[segment + 1])
        let value = (near &<< 23) &+ (far &- near) &* weight  // Q53
        let integerPart = Int32(31 &- leadingZeros) &<< 16
        return integerPart &+ Int32(truncatingIfNeeded: roundingShiftRight(value, by: 37))
    }

    /// 2^x for x in Q15.16, returned as an unsigned Q16.16 `UInt32` (raw = 2^(x + 16)).
    ///
    /// The fractional part of x is looked up in the 257-entry Q30 table `exp2FractionQ30`
    /// (8 bits select the segment, 8 weight the linear interpolation), the integer part becomes
    /// a shift, and the result is rounded once, half up. Saturation: x >= 16.0 returns
    /// `UInt32.max`; results below half an LSB (x < -17.0) return 0.
    /// Error: relative interpolation error at most 1.9e-6, plus half an LSB of rounding.
    /// Asserted over every 7th input in [-18, 16): beyond the half LSB, relative error at most
    /// 1e-6 (measured 9.2e-7); in total, relative error at most 1e-4 for every result >= 2^13
    /// LSB, i.e. x >= -3.0 (measured 6.1e-5, all of it rounding at the smallest results).
    public static func exp2(_ x: Int32) -> UInt32 {
        let integerPart = x &>> 16  // floor
        if integerPart >= 16 { return .max }
        if integerPart < -17 { return 0 }
        let fraction = UInt32(bitPattern: x) & 0xFFFF
        let segment = Int(fraction &>> 8)
        let weight = Int64(fraction & 0xFF)
        let near = Int64(exp2FractionQ30[segment])
        let far = Int64(exp2FractionQ30[segment + 1])
        // 2^fraction in Q38: (1 + table) << 8 plus the interpolation step; below 2^39.
        let mantissa = ((near &+ (1 << 30)) &<< 8) &+ (far &- near) &* weight
        // raw = mantissa * 2^(integerPart + 16 - 38); the shift is in 7...39.
        let raw = roundingShiftRight(mantissa, by: Int(22 &- integerPart))
        return raw > Int64(UInt32.max) ? .max : UInt32(truncatingIfNeeded: raw)
    }

    /// The operations one `log2` call executes (count leading zeros, shifts, two table loads,
    /// a 64-bit multiply-add, the rounding), for kernels that report their cost
    /// (OperationCounter) per call rather than per element.
    package static var log2Operations: OperationMix { OperationMix(integer: 18, multiply: 2, load: 2, branch: 4) }

    /// The operations one `exp2` call executes (the range tests, segment and weight, two table
    /// loads, a 64-bit multiply-add, the rounding shift and saturation), as `log2Operations`.
    package static var exp2Operations: OperationMix { OperationMix(integer: 14, multiply: 2, load: 2, branch: 3) }
}
