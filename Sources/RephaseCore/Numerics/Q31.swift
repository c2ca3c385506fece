/// Q31 arithmetic: an `Int32` read as `raw / 2^31`, so values lie in [-1, 1 - 2^-31].
///
/// The same conventions as `Q15`: plain functions on the raw integer, saturation instead of
/// wrap-around, and results exact up to the stated rounding.
public enum Q31 {
    /// Narrows an `Int64` to `Int32`, saturating values outside [Int32.min, Int32.max].
    @inline(__always)
    public static func saturating(_ x: Int64) -> Int32 {
        if x > Int64(Int32.max) { return .max }
        if x < Int64(Int32.min) { return .min }
        return Int32(truncatingIfNeeded: x)
    }

    /// `a + b`, saturating. Exact whenever the true sum is representable.
    @inline(__always)
    public static func add(_ a: Int32, _ b: Int32) -> Int32 {
        saturating(Int64(a) &+ Int64(b))
    }

    /// `a - b`, saturating. Exact whenever the true difference is representable.
    @inline(__always)
    public static func sub(_ a: Int32, _ b: Int32) -> Int32 {
        saturating(Int64(a) &- Int64(b))
    }

    /// `a * b` in Q31 through a 64-bit product: `(a * b + 2^30) >> 31`, rounded half up (ties
    /// toward +infinity), error at most 0.5 LSB. The only overflow, `-1 * -1`, saturates to
    /// `Int32.max`.
    @inline(__always)
    public static func mul(_ a: Int32, _ b: Int32) -> Int32 {
        saturating((Int64(a) &* Int64(b) &+ 0x4000_0000) &>> 31)
    }

    /// The Q31 value nearest to `x` (host and test helper): round to nearest, ties away from
    /// zero, saturating outside [-1, 1 - 2^-31]; NaN gives 0.
    public static func fromFloat(_ x: Float) -> Int32 {
        if x.isNaN { return 0 }
        // Double holds x * 2^31 + 0.5 exactly (a Float has 24 significant bits).
        let scaled = Double(x) * 2_147_483_648
        let biased = scaled >= 0 ? scaled + 0.5 : scaled - 0.5
        if biased >= 2_147_483_647 { return .max }
        if biased <= -2_147_483_648 { return .min }
        return Int32(biased)
    }

    /// `q / 2^31` as the nearest `Float` (host and test helper; a Float keeps 24 of the 31 bits).
    public static func toFloat(_ q: Int32) -> Float {
        Float(q) * (1 / 2_147_483_648)
    }
}
