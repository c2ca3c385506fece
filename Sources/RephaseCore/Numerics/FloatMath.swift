/// Float32 elementary functions for the core, which may not call libm (it does not exist on a
/// bare-metal target). Polynomials are short minimax-style fits evaluated with Horner's rule;
/// each function states the maximum error that FloatMathTests measures against Double.
/// Only `squareRoot()` comes from the standard library: it lowers to the FPU's square root
/// instruction (VSQRT.F32 on a Cortex-M4F), not to a library call.
public enum FloatMath {
    /// The integer nearest to x (halfway cases away from zero), as a Float. Written out
    /// because `Float.rounded()` becomes a call to libm's roundf on cores without a rounding
    /// instruction (the Cortex-M4F has none). |x| >= 2^23 is returned as is: every such Float
    /// is an integer already. (A sum x + 0.5 that rounds up, as for x = 0.5 - 2^-25, can give
    /// the next integer; the callers only use the result for range reduction, where that is
    /// harmless.) The conversions go through Int, not Int32: Embedded Swift turns Float(Int32)
    /// into a 64-bit library conversion (__aeabi_l2f, dozens of instructions) on 32-bit ARM,
    /// where Float(Int) is one VCVT; the values are the same on every target.
    @inlinable @inline(__always)
    public static func nearestInteger(_ x: Float) -> Float {
        guard abs(x) < 8_388_608 else { return x }
        return Float(Int(x + (x < 0 ? -0.5 : 0.5)))
    }

    /// `nearestInteger(x)` as an Int32 for |x| < 2^31 (the same bits, including its x + 1/2
    /// that rounds up), without a branch or a checked conversion: `nearestSmallInteger`'s bit
    /// reading, with a left shift for |x| >= 2^23 (already an integer, so nothing is added
    /// before reading it). |x| >= 2^31 or NaN gives some integer.
    @_transparent
    public static func nearestInt32(_ x: Float) -> Int32 {
        let magnitude = abs(x), whole = magnitude >= 8_388_608
        let bits = (whole ? magnitude : magnitude + 0.5).bitPattern
        let shifted = significand(bits) &<< ((bits &>> 23) &- 150)
        return signed(whole ? shifted : integerPart(bits), like: x)
    }

    /// The integer nearest to x (halfway cases away from zero) for |x| < 2^22, without a
    /// conversion instruction: the integer part of |x| + 1/2 (exact in that range) read from
    /// its exponent and mantissa bits, then x's sign. Swift's Int32(x) checks that x is finite
    /// and in range before converting (eleven instructions on a Cortex-M4, where the
    /// conversion is one); here nothing branches or traps, and |x| >= 2^22 or NaN gives some
    /// integer, so callers use it where x is bounded (a unit phasor times 32767, say).
    @inline(__always)
    public static func nearestSmallInteger(_ x: Float) -> Int32 {
        signed(integerPart((abs(x) + 0.5).bitPattern), like: x)
    }

    /// The 24-bit significand (hidden bit included) of a normal Float's bits.
    @usableFromInline @_transparent
    static func significand(_ bits: UInt32) -> UInt32 {
        (bits & 0x7F_FFFF) | 0x80_0000
    }

    /// The integer part of a Float in [1/2, 2^24) from its bits (a biased exponent of 126 to
    /// 150): the significand shifted right past the binary point.
    @usableFromInline @_transparent
    static func integerPart(_ bits: UInt32) -> UInt32 {
        significand(bits) &>> (150 &- (bits &>> 23))
    }

    /// `magnitude` with the sign of x (two's complement, without a branch).
    @usableFromInline @_transparent
    static func signed(_ magnitude: UInt32, like x: Float) -> Int32 {
        let sign = Int32(bitPattern: x.bitPattern) &>> 31
        return (Int32(bitPattern: magnitude) ^ sign) &- sign
    }

    /// (sin x, cos x). Range reduction by Cody and Waite: x = q (pi/2) + r with pi/2 split into
    /// three parts so r is accurate for |x| up to about 1e5; then polynomials on |r| <= pi/4.
    /// Max abs error 1.2e-7 for |x| <= 1e4 (measured). Phases in the core stay far below that.
    /// |x| > 2^22, infinity and NaN give (NaN, NaN) rather than trapping.
    /// Without a branch or a checked conversion (the quarter turns by nearestSmallInteger, the
    /// out-of-range case by selects), so that a loop over a row of angles vectorises.
    @inlinable @inline(__always)
    public static func sinCos(_ x: Float) -> (sin: Float, cos: Float) {
        // Beyond 2^22 rad a Float is too coarse to hold a phase; NaN and infinity have none.
        let inRange = abs(x) <= 4_194_304, y = inRange ? x : 0
        let quadrant = nearestSmallInteger(y * 0.636_619_77)  // y * 2/pi, below 2^22
        let q = Float(Int(quadrant))  // through Int: see nearestInteger
        var r = y - q * 1.570_312_5  // pi/2 in three parts: exact first two products
        r -= q * 4.837_512_969_970_703e-4
        r -= q * 7.549_789_954_891_882e-8
        let (s, c) = sinCos(reduced: r, quadrant: Int(quadrant))
        return inRange ? (s, c) : (.nan, .nan)
    }

    /// (sin, cos) of a binary angle: the nearest quarter turn q comes from the top bits and the
    /// rest, exact in 32 bits, is scaled to radians in [-pi/4, pi/4] by one conversion and one
    /// product, so there is no range reduction to pay (and nothing to trap on). Max abs error
    /// 1.2e-7 (measured by FloatMathTests against Double).
    @inline(__always)
    public static func sinCos(_ angle: BinaryAngle) -> (sin: Float, cos: Float) {
        let quadrant = (angle.raw &+ (1 << 29)) >> 30
        // Through Int, as nearestInteger explains: one VCVT on the Cortex-M4F.
        let rest = Int(Int32(bitPattern: angle.raw &- quadrant << 30))
        return sinCos(reduced: Float(rest) * 1.462_918_1e-9, quadrant: Int(quadrant))  // 2 pi / 2^32
    }

    /// (sin, cos) of q (pi/2) + r for |r| <= pi/4 (a little more is harmless).
    @usableFromInline @_transparent
    static func sinCos(reduced r: Float, quadrant q: Int) -> (sin: Float, cos: Float) {
        let r2 = r * r
        // sin r and cos r on [-pi/4, pi/4] (Taylor coefficients, truncation error < 3e-8).
        let s = r + r * r2 * (-0.166_666_67 + r2 * (0.008_333_333 + r2 * (-1.984_127e-4 + r2 * 2.755_731_4e-6)))
        let c = 1 + r2 * (-0.5 + r2 * (0.041_666_668 + r2 * (-0.001_388_888_9 + r2 * (2.480_158_7e-5 - r2 * 2.755_731_4e-7))))
        // Quadrants 0 to 3 give (s, c), (c, -s), (-s, -c), (-c, s): an odd quadrant swaps the
        // pair, and the upper two negate it. Selects rather than a switch, so that a loop over
        // a row of angles has no branch and vectorises.
        let odd = q & 1 != 0, upper = q & 2 != 0
        let sine = odd ? c : s, cosine = odd ? -s : c
        return (upper ? -sine : sine, upper ? -cosine : cosine)
    }

    /// Natural logarithm for x > 0 (normal or subnormal). x = m 2^e with m in [sqrt(1/2), sqrt 2),
    /// ln m = 2 atanh(f), f = (m - 1) / (m + 1), |f| < 0.172. Max rel error 1.5e-7 (measured).
    /// log(0) = -infinity, log of a negative number or NaN = NaN.
    public static func log(_ x: Float) -> Float {
        guard x > 0, x.isFinite else {
            if x == 0 { return -.infinity }
            return x == .infinity ? .infinity : .nan
        }
        if x < Float.leastNormalMagnitude {  // bring subnormals into the normal range first
            return log(normal: x * 0x1p23, exponentOffset: -23)
        }
        return log(normal: x, exponentOffset: 0)
    }

    /// `log` of a positive, finite, normal x (at least 2^-126): the same bits without the
    /// special cases, and without a branch (the mantissa's halving is a select), so that a loop
    /// over a row of magnitudes plus a positive floor vectorises.
    @inlinable @inline(__always)
    public static func log(normal x: Float) -> Float {
        log(normal: x, exponentOffset: 0)
    }

    /// ln(x 2^offset) for a normal x.
    @usableFromInline @inline(__always)
    static func log(normal v: Float, exponentOffset: Int) -> Float {
        let bits = v.bitPattern
        let m0 = Float(bitPattern: (bits & 0x007F_FFFF) | 0x3F80_0000)  // in [1, 2)
        let high = m0 > 1.414_213_5
        let m = high ? m0 * 0.5 : m0
        let e = exponentOffset + Int((bits >> 23) & 0xFF) - 127 + (high ? 1 : 0)
        let f = (m - 1) / (m + 1), f2 = f * f
        let atanh = f * (1 + f2 * (0.333_333_34 + f2 * (0.2 + f2 * (0.142_857_15 + f2 * 0.111_111_11))))
        return 2 * atanh + Float(e) * 0.693_147_18
    }

    /// 2^x. Split x = n + f with n = round(x), |f| <= 1/2; 2^f = e^{f ln 2} by a degree-6 Taylor
    /// polynomial, 2^n by the exponent bits. Max rel error 2.5e-7 for normal results (measured).
    /// Saturates: x >= 128 gives +infinity, x < -126 gives 0 (results are not subnormal).
    public static func exp2(_ x: Float) -> Float {
        if x.isNaN { return x }
        if x >= 128 { return .infinity }
        if x < -126 { return 0 }
        let n = nearestInteger(x)
        let t = (x - n) * 0.693_147_18
        let p = 1 + t * (1 + t * (0.5 + t * (0.166_666_67 + t * (0.041_666_668 + t * (0.008_333_333 + t * 0.001_388_888_9)))))
        let e = Int32(n)
        if e > 127 { return p * Float(bitPattern: UInt32(254) << 23) * 2 }
        return p * Float(bitPattern: UInt32(e + 127) << 23)
    }

    /// e^x, as 2^(x log2 e) (exp2's error, plus the rounding of x log2 e: relative 6e-8 |x|).
    @inline(__always)
    public static func exp(_ x: Float) -> Float {
        exp2(x * 1.442_695_04)
    }

    /// x^p for x >= 0. When 2p is a whole number up to 16 (p = 0.5, 1, 1.5, 2, 2.5, ...: the
    /// usual least-squares weight exponents) it is (sqrt x)^(2p) by repeated squaring, a
    /// square root and a few multiplications, rel error below 1e-6 (1.5e-6 at p = 8, the
    /// multiplications adding up); otherwise 2^(p log2 x),
    /// whose rounding of p log2 x is amplified by its size: rel error below 1e-5 for
    /// |p log2 x| < 80 (measured 8.2e-6). 0^p = 0 for p > 0.
    public static func pow(_ x: Float, _ p: Float) -> Float {
        Power(p).of(x)
    }

    /// `pow` with its exponent fixed: which of the two ways it takes is decided once, where a
    /// loop over bins would otherwise test 2p for a whole number (a conversion and its range
    /// checks) at every bin. The same bits as `pow`.
    public struct Power {
        let p: Float
        /// 2p when it is a whole number in 0 ... 16 (the square-root way), else -1.
        let halves: Int

        public init(_ p: Float) {
            self.p = p
            let twice = 2 * p
            halves = twice >= 0 && twice <= 16 && twice == Float(Int(twice)) ? Int(twice) : -1
        }

        @inline(__always)
        public func of(_ x: Float) -> Float {
            if halves >= 0 { return squaring(x) }
            if x == 0 { return p > 0 ? 0 : (p == 0 ? 1 : .infinity) }
            return exp(p * log(x))
        }

        /// x^p of every element of `x` times `scale`, into `result` (`of`'s bits). The way is
        /// chosen once for the row, so that the square-root way's loop has no branch on the
        /// data and vectorises.
        @inline(__always)
        public func of(_ x: Span<Float>, times scale: Float, into result: inout MutableSpan<Float>) {
            precondition(result.count == x.count, "FloatMath.Power: rows of different lengths")
            if halves >= 0 {
                for k in x.indices { result[k] = squaring(x[k] * scale) }
            } else {
                for k in x.indices { result[k] = of(x[k] * scale) }
            }
        }

        /// (sqrt x)^(2p) by repeated squaring: one squaring per bit of 2p above the lowest (four
        /// at most), one more multiplication per set bit, lowest bit first. The bits of 2p do
        /// not change from one x to the next, so their tests are branches a loop hoists, not
        /// selects. 0^p is 0 (1 for p = 0) as it comes, without a test.
        @inline(__always)
        func squaring(_ x: Float) -> Float {
            // abs() lets LLVM see a non-negative argument, so it emits the square-root
            // instruction alone, without the libm sqrtf call it keeps for negative inputs.
            var base = abs(x).squareRoot(), result: Float = 1
            if halves & 1 != 0 { result *= base }
            for bit in 1..<5 where halves >> bit != 0 {
                base *= base
                if halves >> bit & 1 != 0 { result *= base }
            }
            return result
        }
    }

    /// atan2(y, x) in [-pi, pi]; atan2(+-0, x >= 0) = +-0, atan2(+-0, x < 0) = +-pi. Octant reduction to t = min/max in [0, 1],
    /// then atan t = t P(t^2) on [0, tan(pi/8)] or pi/4 + atan((t-1)/(t+1)) above it.
    /// Max abs error 4e-7 rad (measured 3.9e-7; near +-pi the ulp of the result, 2.4e-7, dominates).
    public static func atan2(_ y: Float, _ x: Float) -> Float {
        let ax = abs(x), ay = abs(y)
        let big = max(ax, ay), small = min(ax, ay)
        if big == 0 { return 0 }
        var t = small / big
        var base: Float = 0
        if t > 0.414_213_56 {
            t = (t - 1) / (t + 1)
            base = 0.785_398_16
        }
        let t2 = t * t
        var a = base + t * (1 + t2 * (-0.333_333_33 + t2 * (0.2 + t2 * (-0.142_857_14 + t2 * (0.111_111_11 + t2 * (-0.090_909_09 + t2 * 0.076_923_08))))))
        if ay > ax { a = 1.570_796_3 - a }
        if x < 0 { a = 3.141_592_7 - a }
        return y.sign == .minus ? -a : a  // -0 counts as below the axis, as in C's atan2
    }
}

/// What one call of each function executes, for callers that report their loops to the
/// simulator (OperationCounter): a caller multiplies the mix by its trip count, since these
/// small functions never record anything themselves. Counted from the code above as a
/// straightforward Cortex-M4F compilation runs it: one instruction per float operation
/// (comparisons, abs and conversions count as floatAdd), polynomial constants loaded from the
/// literal pool (about half of them; the rest stay in registers across a caller's loop), and
/// the call and return as branches where the function is not inlined.
extension FloatMath {
    /// `sinCos` (inlined): range reduction, two polynomials, the quadrant's selects. The
    /// integer instructions, as counted in the M4's code for the Float32 integrator: the
    /// quarter turns read from the bits (nearestSmallInteger), the moves between the register
    /// files, and the predicated moves (IT blocks, no branch) of the quadrant's and the range's
    /// selects.
    static var sinCosOperations: OperationMix {
        OperationMix(integer: 29, load: 8, floatAdd: 9, floatMultiply: 2, floatMultiplyAdd: 12)
    }

    /// `sinCos` of a binary angle (inlined): the quarter turn in integer instructions, one
    /// conversion and product instead of the range reduction, the polynomials, the quadrant's
    /// selects (predicated moves).
    static var binaryAngleSinCosOperations: OperationMix {
        OperationMix(integer: 8, load: 5, floatAdd: 7, floatMultiply: 2, floatMultiplyAdd: 9)
    }

    /// `log`: the exponent split in integer registers, one division, a degree-9 odd polynomial.
    static var logOperations: OperationMix {
        OperationMix(integer: 9, load: 8, branch: 2, floatAdd: 7, floatMultiply: 3, floatMultiplyAdd: 5, floatDivide: 1)
    }

    /// `exp2`: rounding, a degree-6 polynomial, the exponent built in integer registers.
    static var exp2Operations: OperationMix {
        OperationMix(integer: 5, load: 9, branch: 2, floatAdd: 10, floatMultiply: 2, floatMultiplyAdd: 6)
    }

    /// `atan2`, counting the second division of the upper octant half (the worst case), and
    /// its comparisons' flag transfers and selects (as measured on the M4 for the Float32 CNN's
    /// derivatives, Targets/cortex-m4/profile-stages).
    static var atan2Operations: OperationMix {
        OperationMix(integer: 24, load: 10, branch: 2, floatAdd: 12, floatMultiply: 1, floatMultiplyAdd: 7, floatDivide: 2)
    }

    /// `pow(x, p)` for the exponent `p` a caller uses: a square root and repeated squaring when
    /// 2p is a whole number up to 16, otherwise `exp2` of a `log`.
    static func powOperations(exponent p: Float) -> OperationMix {
        let entry = OperationMix(integer: 2, branch: 2, floatAdd: 6, floatMultiply: 1)
        let twice = 2 * p
        guard twice >= 0, twice <= 16, twice == Float(Int(twice)) else {
            return entry + logOperations + exp2Operations + OperationMix(floatMultiply: 2)
        }
        // One squaring per bit of 2p above the lowest, one more multiplication per set bit.
        let n = Int(twice), bits = Int.bitWidth - n.leadingZeroBitCount
        let squaring = OperationMix(integer: 3, branch: 1, floatMultiply: 1) * max(bits - 1, 0)
        return entry + squaring + OperationMix(integer: 2, branch: 1, floatAdd: 1, floatMultiply: n.nonzeroBitCount, floatSquareRoot: 1)
    }

    /// `BinaryAngle(singlePrecisionRadians:)`: two roundings to an integer read from the bits
    /// (nearestSmallInteger, nearestInt32), a split 2 pi and the range select.
    static var binaryAngleOperations: OperationMix {
        OperationMix(integer: 27, load: 4, floatAdd: 13, floatMultiply: 3, floatMultiplyAdd: 2)
    }
}
