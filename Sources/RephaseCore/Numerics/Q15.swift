/// Q15 arithmetic: an `Int16` read as `raw / 2^15`, so values lie in [-1, 1 - 2^-15].
///
/// A namespace of plain functions on `Int16` rather than a wrapper type, so that sample buffers
/// stay `Int16` and the arithmetic is visible at the call site. Every operation saturates to
/// [Int16.min, Int16.max] instead of wrapping: an audio sample that overflows should clip, not
/// flip sign. All integer results are exact up to the stated rounding (exhaustively tested on
/// a strided grid plus extremes and random pairs).
public enum Q15 {
    /// Narrows an `Int32` to `Int16`, saturating values outside [-32768, 32767].
    @inline(__always)
    public static func saturating(_ x: Int32) -> Int16 {
        if x > Int32(Int16.max) { return .max }
        if x < Int32(Int16.min) { return .min }
        return Int16(truncatingIfNeeded: x)
    }

    /// `a + b`, saturating. Exact whenever the true sum is representable.
    @inline(__always)
    public static func add(_ a: Int16, _ b: Int16) -> Int16 {
        saturating(Int32(a) &+ Int32(b))
    }

    /// `a - b`, saturating. Exact whenever the true difference is representable.
    @inline(__always)
    public static func sub(_ a: Int16, _ b: Int16) -> Int16 {
        saturating(Int32(a) &- Int32(b))
    }

    /// `a * b` in Q15: `(a * b + 2^14) >> 15`, i.e. rounded half up (ties toward +infinity),
    /// error at most 0.5 LSB. The only overflow, `-1 * -1 = +1`, saturates to `Int16.max`.
    @inline(__always)
    public static func mul(_ a: Int16, _ b: Int16) -> Int16 {
        saturating((Int32(a) &* Int32(b) &+ 0x4000) &>> 15)
    }

    /// The Q15 value nearest to `x` (host and test helper): round to nearest, ties away from
    /// zero, saturating outside [-1, 1 - 2^-15]; NaN gives 0.
    public static func fromFloat(_ x: Float) -> Int16 {
        if x.isNaN { return 0 }
        // Double holds x * 2^15 + 0.5 exactly, so the only rounding is the truncation below.
        let scaled = Double(x) * 32768
        let biased = scaled >= 0 ? scaled + 0.5 : scaled - 0.5
        if biased >= 32767 { return .max }
        if biased <= -32768 { return .min }
        return Int16(biased)
    }

    /// The exact value of `q` as a `Float`: `q / 2^15` (host and test helper).
    public static func toFloat(_ q: Int16) -> Float {
        Float(q) * (1 / 32768)
    }
}
