/// A binary floating-point number made of integers, for the tridiagonal solver on cores without
/// an FPU (Cortex-M0/M3 class): value = mantissa * 2^exponent with a signed 32-bit mantissa,
/// normalised to 2^30 <= |mantissa| < 2^31 (31 significant bits, 7 more than Float32) or 0.
/// The phase problem's matrices span 1e-6 to 1e4 and its solutions more, which a fixed Q
/// format cannot hold; a per-value exponent can, with integer adds, shifts and multiplies.
///
/// Rounding: every operation forms its exact result in 64 bits (the sum after aligning the
/// smaller operand, rounded half up at 2^-30 of the larger; the full 62-bit product) and rounds
/// it half up to 31 bits (`normalised`). The reciprocal is FixedReciprocal's (relative error
/// 6e-8). Exponents are Int32 and are not checked for overflow (the solver's values stay within
/// 2^±200). Zero has mantissa 0 and exponent 0.
public struct IntegerFloat: SolverScalar, Sendable {
    public var mantissa: Int32
    public var exponent: Int32

    /// The value mantissa * 2^exponent, normalised (mantissa * 2^exponent must fit 31 bits
    /// after normalisation: any Int32 mantissa does).
    public init(mantissa: Int32, exponent: Int32) {
        self = Self.normalised(Int64(mantissa), exponent: exponent)
    }

    init(raw mantissa: Int32, exponent: Int32) {
        self.mantissa = mantissa
        self.exponent = exponent
    }

    public static var zero: IntegerFloat { IntegerFloat(raw: 0, exponent: 0) }
    /// round(1e-12 2^70) 2^-70.
    public static var pivotTolerance: IntegerFloat { IntegerFloat(raw: 1_180_591_621, exponent: -70) }

    /// v 2^e rounded half up to a 31-bit mantissa (|v| < 2^62).
    @inline(__always)
    static func normalised(_ v: Int64, exponent e: Int32) -> IntegerFloat {
        if v == 0 { return .zero }
        let bits = Int32(64 - v.magnitude.leadingZeroBitCount)  // |v| < 2^bits
        var shift = bits - 31
        var m = shift > 0 ? roundingShiftRight(v, by: Int(shift)) : v << Int(-shift)
        if m.magnitude == 1 << 31 {  // rounding carried into bit 31
            m >>= 1
            shift += 1
        }
        return IntegerFloat(raw: Int32(truncatingIfNeeded: m), exponent: e + shift)
    }

    public var magnitude: IntegerFloat { IntegerFloat(raw: mantissa < 0 ? -mantissa : mantissa, exponent: exponent) }

    public static prefix func - (a: IntegerFloat) -> IntegerFloat { IntegerFloat(raw: -a.mantissa, exponent: a.exponent) }

    public static func + (a: IntegerFloat, b: IntegerFloat) -> IntegerFloat {
        if a.mantissa == 0 { return b }
        if b.mantissa == 0 { return a }
        let (large, small) = a.exponent >= b.exponent ? (a, b) : (b, a)
        let gap = Int(large.exponent - small.exponent)
        // Both scaled by 2^30 first: the smaller keeps 30 bits below the larger's last one.
        guard gap <= 61 else { return large }
        let sum = (Int64(large.mantissa) << 30) + roundingShiftRight(Int64(small.mantissa) << 30, by: gap)
        return normalised(sum, exponent: large.exponent - 30)
    }

    public static func - (a: IntegerFloat, b: IntegerFloat) -> IntegerFloat { a + (-b) }

    public static func * (a: IntegerFloat, b: IntegerFloat) -> IntegerFloat {
        if a.mantissa == 0 || b.mantissa == 0 { return .zero }
        return normalised(Int64(a.mantissa) * Int64(b.mantissa), exponent: a.exponent + b.exponent)
    }

    /// 1 / self via FixedReciprocal (0 for 0: the solver never asks).
    public var reciprocal: IntegerFloat {
        if mantissa == 0 { return .zero }
        let (r, shift) = FixedReciprocal.reciprocal(UInt32(mantissa.magnitude))
        let signed = mantissa < 0 ? -Int64(r) : Int64(r)
        return Self.normalised(signed, exponent: -Int32(shift) - exponent)
    }

    public static func < (a: IntegerFloat, b: IntegerFloat) -> Bool {
        if (a.mantissa < 0) != (b.mantissa < 0) { return a.mantissa < 0 }
        if a.mantissa == 0 || b.mantissa == 0 { return a.mantissa < b.mantissa }
        if a.exponent != b.exponent { return (a.exponent < b.exponent) == (a.mantissa > 0) }
        return a.mantissa < b.mantissa
    }

    /// Costs for the simulator: the normalisation (count leading zeros, shifts, rounding), the
    /// alignment of a sum, the 32 x 32 -> 64 product, FixedReciprocal's table seed and two
    /// Newton-Raphson steps in 64-bit products.
    package static var addOperations: OperationMix { OperationMix(integer: 22, branch: 4) }
    package static var multiplyOperations: OperationMix { OperationMix(integer: 14, multiply: 1, branch: 3) }
    package static var multiplyAddOperations: OperationMix { multiplyOperations + addOperations }
    package static var reciprocalOperations: OperationMix { OperationMix(integer: 24, multiply: 8, load: 1, branch: 3) }

    public static var arithmetic: SolverArithmetic { .integerFloat }
}

extension IntegerFloat {
    /// The nearest IntegerFloat to a Float (exact: 24 significant bits fit in 31). Host and
    /// test helper; the solver itself never converts.
    public init(_ x: Float) {
        guard x != 0, x.isFinite else {
            self = .zero
            return
        }
        let m = Int32(x.significand * 1_073_741_824)  // 1.f 2^30, exact
        self.init(raw: x.sign == .minus ? -m : m, exponent: Int32(x.exponent) - 30)
    }

    /// The value as a Float, rounded to nearest (host and test helper).
    public var floatValue: Float {
        if mantissa == 0 { return 0 }
        let f = Float(mantissa)  // rounds 31 bits to 24
        return Float(sign: f.sign, exponent: f.exponent + Int(exponent), significand: f.significand)
    }
}
