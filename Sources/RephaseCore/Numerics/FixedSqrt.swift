/// Square roots in integer arithmetic: exact integer floors and correctly rounded Q formats.
public enum FixedSqrt {
    /// floor(sqrt(x)), exact for every x (bit-by-bit, 16 steps, no multiplies).
    public static func floorSqrt(_ x: UInt32) -> UInt16 {
        UInt16(truncatingIfNeeded: bitByBitFloorSqrt(x))
    }

    /// floor(sqrt(x)), exact for every x (bit-by-bit, 32 steps, no multiplies).
    public static func floorSqrt(_ x: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: bitByBitFloorSqrt(x))
    }

    /// The digit-by-digit square root in base 4: one result bit per step, from the highest
    /// power of four not above x down, with shifts, adds and compares only.
    @inline(__always)
    static func bitByBitFloorSqrt<T: FixedWidthInteger & UnsignedInteger>(_ x: T) -> T {
        var remainder = x
        var root: T = 0
        var bit: T = 1 << (T.bitWidth - 2)  // the highest power of four
        while bit > remainder { bit &>>= 2 }
        while bit != 0 {
            if remainder >= root &+ bit {
                remainder &-= root &+ bit
                root = (root &>> 1) &+ bit
            } else {
                root &>>= 1
            }
            bit &>>= 2
        }
        return root
    }

    /// sqrt(x) for x in Q15, in Q15, correctly rounded (error at most 0.5 LSB, exhaustively
    /// tested; ties cannot occur). Negative x returns 0. The result never exceeds 32767.
    public static func sqrtQ15(_ x: Int16) -> Int16 {
        if x <= 0 { return 0 }
        let n = UInt32(x) &<< 15  // sqrt(x / 2^15) * 2^15 = sqrt(x * 2^15)
        let root = UInt32(floorSqrt(n))
        // Round up when n >= (root + 1/2)^2, i.e. n - root^2 > root for integers.
        let rounded = n &- root &* root > root ? root &+ 1 : root
        return Int16(truncatingIfNeeded: rounded)
    }

    /// sqrt(x) for x in Q31, in Q31, correctly rounded (error at most 0.5 LSB; ties cannot
    /// occur). Negative x returns 0. The result never exceeds Int32.max.
    public static func sqrtQ31(_ x: Int32) -> Int32 {
        if x <= 0 { return 0 }
        let n = UInt64(x) &<< 31
        let root = UInt64(floorSqrt(n))
        let rounded = n &- root &* root > root ? root &+ 1 : root
        return Int32(truncatingIfNeeded: rounded)
    }
}
