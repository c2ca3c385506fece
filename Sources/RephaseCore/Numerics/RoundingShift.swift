/// Rounding arithmetic right shifts: the one way fixed-point values lose fractional bits here.
///
/// Rounding mode: round half up, i.e. to nearest with ties toward +infinity, which is the
/// classic `(x + (1 << (s - 1))) >> s`. That formula overflows for x near the type's maximum,
/// so it is evaluated as `(x >> s) + bit (s - 1) of x`, which is the same value for every x
/// and cannot overflow. The result is exact: no error beyond the documented rounding (the
/// tests compare against a wider reference for random x and every s).

/// `x / 2^s` rounded half up (ties toward +infinity), for `s` in `0...31`; `s == 0` returns `x`.
@inline(__always)
public func roundingShiftRight(_ x: Int32, by s: Int) -> Int32 {
    if s == 0 { return x }
    return (x &>> s) &+ ((x &>> (s - 1)) & 1)
}

/// `x / 2^s` rounded half up (ties toward +infinity), for `s` in `0...63`; `s == 0` returns `x`.
@inline(__always)
public func roundingShiftRight(_ x: Int64, by s: Int) -> Int64 {
    if s == 0 { return x }
    return (x &>> s) &+ ((x &>> (s - 1)) & 1)
}

/// `x / 2^s` rounded half up, for unsigned `x` and `s` in `0...63`; `s == 0` returns `x`
/// (products of two 32-bit values, which can reach 2^64 - 2^33).
@inline(__always)
public func roundingShiftRight(_ x: UInt64, by s: Int) -> UInt64 {
    if s == 0 { return x }
    return (x &>> UInt64(s)) &+ ((x &>> UInt64(s - 1)) & 1)
}
