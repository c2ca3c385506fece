import RephaseIntrinsics

/// The O(n) steps of the real transforms: the split after `real`'s complex FFT and the merge
/// before `inverseReal`'s, both stored at full scale (`storeFullScale`).
///
/// Two kernels give the same bits (`Q15FFTKernels`): `plain` computes every output exactly in
/// Int64 (the definition); `optimised` computes floor(output / 8), which fits Int32, in 32-bit
/// arithmetic only (`eighth`). Floor by 8 loses nothing the stored result depends on whenever the final shift
/// is at least 4 (see `storeFullScale(_:scale:block:eighths:_:)`), which holds for any block
/// that is not nearly all zeros; such a block takes the exact path. Its index arithmetic wraps
/// (n <= 2048 bounds every index): overflow checks would cost more than the 32-bit sums.
extension Q15FFT {
    /// Runs an O(n) step whose outputs `outputs` computes exactly in Int64 (passing each with its
    /// index to the closure), as exact value * 2^-`scale`, in two passes: the first only finds
    /// the largest output, the second stores each output rounded once, half up, with the shift
    /// that puts that largest output into the top bit of Int16 (`Q15Block.shiftToFill`). The
    /// step's output, the spectrum of `real` or the input of `inverseReal`'s butterflies, thus
    /// uses the full Int16 range instead of the one or two bits fewer a worst-case bound leaves.
    @inline(__always)
    static func storeFullScale(
        _ x: UnsafeMutablePointer<Int16>, scale: Int, block: inout Q15Block,
        _ outputs: ((Int, Int64) -> Void) -> Void
    ) {
        var folded: Int64 = 0
        outputs { _, v in folded = max(folded, v ^ (v >> 63)) }
        let r = block.shiftToFill(folded: folded, scale: scale)
        var peak: Int32 = 0
        outputs { i, v in x[i] = narrowed(roundedShift(v, by: r), peak: &peak) }
        block.magnitudeBound = peak
    }

    /// Turns the FFT Z of z[m] = x[2m] + i x[2m+1] (m < M = n/2) into the packed spectrum of x;
    /// the formulas of `FFT.splitRealSpectrum`, X[k] = E + W^k O, X[M-k] = conj(E - W^k O),
    /// from the exact 17-bit sums 2E and 2O (2O W^k needs 34 bits), in two passes.
    static func splitRealSpectrum(_ x: UnsafeMutablePointer<Int16>, n: Int, block: inout Q15Block, kernels: Q15FFTKernels) {
        @inline(__always) func exact(_ emit: (Int, Int64) -> Void) {
            splitOutputs(x, n: n, lifted: exactLifted, products: exactProducts, emit)
        }
        switch kernels {
        case .plain: storeFullScale(x, scale: 16, block: &block, exact)
        case .optimised:
            storeFullScale(x, scale: 16, block: &block, eighths: { emit in
                splitOutputs(x, n: n, lifted: eighthLifted, products: eighth, emit)
            }, exact)
        }
    }

    /// Calls `emit(i, v)` for every element i of the packed spectrum, v = 2^16 X[i] (X in units
    /// of Z's integers) in the arithmetic that `lifted` (a value times 2^15) and `products`
    /// (x u + y v) define: exact in Int64, or floor(v / 8) in Int32. Reads all inputs of a pair
    /// k, M-k before emitting any.
    @inline(__always)
    static func splitOutputs<V: FixedWidthInteger & SignedInteger>(
        _ x: UnsafeMutablePointer<Int16>, n: Int, lifted: (Int32) -> V, products: (Int32, Int32, Int32, Int32) -> V,
        _ emit: (Int, V) -> Void
    ) {
        let m = n / 2
        let z0r = Int32(x[0]), z0i = Int32(x[1])
        emit(0, lifted(2 &* (z0r &+ z0i)))
        emit(1, lifted(2 &* (z0r &- z0i)))
        let stride = fftTableCircle / n
        var k = 1
        while k <= m / 2 {
            let a = Int32(x[2 &* k]), b = Int32(x[2 &* k &+ 1])
            let c = Int32(x[2 &* (m &- k)]), d = Int32(x[2 &* (m &- k) &+ 1])
            // 2E (times 2^15, to line up with the Q15 products) and 2O.
            let er = lifted(a &+ c), ei = lifted(b &- d)
            let or = b &+ d, oi = c &- a
            let w = twiddle(k &* stride)
            let cs = w.cos, sn = w.sin
            // W^k O: tr = cs or + sn oi, ti = cs oi - sn or.
            let ti = products(oi, cs, or, 0 &- sn)
            emit(2 &* k, er &+ products(or, cs, oi, sn))
            emit(2 &* k &+ 1, ei &+ ti)
            if k != m &- k {
                emit(2 &* (m &- k), er &+ products(or, 0 &- cs, oi, 0 &- sn))
                emit(2 &* (m &- k) &+ 1, ti &- ei)
            }
            k &+= 1
        }
    }

    /// Inverse of `splitRealSpectrum` without the 1/n (the caller takes it into the exponent):
    /// E' = X[k] + conj X[M-k], O' = (X[k] - conj X[M-k]) conj(W^k), Z[k] = E' + i O', i.e. n
    /// times FFT's merge, stored in two passes.
    static func mergeRealSpectrum(_ x: UnsafeMutablePointer<Int16>, n: Int, block: inout Q15Block, kernels: Q15FFTKernels) {
        @inline(__always) func exact(_ emit: (Int, Int64) -> Void) {
            mergeOutputs(x, n: n, lifted: exactLifted, products: exactProducts, emit)
        }
        switch kernels {
        case .plain: storeFullScale(x, scale: 15, block: &block, exact)
        case .optimised:
            storeFullScale(x, scale: 15, block: &block, eighths: { emit in
                mergeOutputs(x, n: n, lifted: eighthLifted, products: eighth, emit)
            }, exact)
        }
    }

    /// Calls `emit(i, v)` for every element i of the merged points, v = 2^15 Z[i], in the
    /// arithmetic of `lifted` and `products` (as `splitOutputs`). Reads all inputs of a pair
    /// k, M-k before emitting any.
    @inline(__always)
    static func mergeOutputs<V: FixedWidthInteger & SignedInteger>(
        _ x: UnsafeMutablePointer<Int16>, n: Int, lifted: (Int32) -> V, products: (Int32, Int32, Int32, Int32) -> V,
        _ emit: (Int, V) -> Void
    ) {
        let m = n / 2
        let x0 = Int32(x[0]), xm = Int32(x[1])
        emit(0, lifted(x0 &+ xm))
        emit(1, lifted(x0 &- xm))
        let stride = fftTableCircle / n
        var k = 1
        while k <= m / 2 {
            let a = Int32(x[2 &* k]), b = Int32(x[2 &* k &+ 1])
            let c = Int32(x[2 &* (m &- k)]), d = Int32(x[2 &* (m &- k) &+ 1])
            let er = lifted(a &+ c), ei = lifted(b &- d)
            let dr = a &- c, di = b &+ d
            let w = twiddle(k &* stride)
            let cs = w.cos, sn = w.sin
            // O' = (dr + i di) (cos + i sin), since conj(W^k) = cos + i sin: or = dr cs - di sn,
            // oi = dr sn + di cs; Z[k] = E' + i O' and Z[M-k] = conj(E') + i conj(O').
            let or = products(dr, cs, di, 0 &- sn)
            emit(2 &* k, er &+ products(dr, 0 &- sn, di, 0 &- cs))
            emit(2 &* k &+ 1, ei &+ or)
            if k != m &- k {
                emit(2 &* (m &- k), er &+ products(dr, sn, di, cs))
                emit(2 &* (m &- k) &+ 1, or &- ei)
            }
            k &+= 1
        }
    }

    /// The plain kernels' arithmetic: v 2^15, and x u + y v, exactly in Int64.
    @inline(__always) static func exactLifted(_ v: Int32) -> Int64 { Int64(v) << 15 }
    @inline(__always) static func exactProducts(_ x: Int32, _ u: Int32, _ y: Int32, _ v: Int32) -> Int64 {
        Int64(x) * Int64(u) + Int64(y) * Int64(v)
    }

    /// `storeFullScale` from V = floor(v / 8) of every output v (`eighths`, in Int32), with
    /// `exact` as the fallback. For a threshold T that is a multiple of 8, |v| >= T exactly when
    /// V's fold V ^ (V >> 31) >= T / 8 (v ^ (v >> 63) >= T likewise), and
    /// round(v / 2^r) = floor((V + 2^(r-4)) / 2^(r-3)) for r >= 4. Every threshold `shiftToFill`
    /// tests from r = 4 on is such a multiple, so the fold of V times 8, plus 7, picks the same r
    /// as the exact fold; a fold of at least 2^15 (|v| >= 2^18) guarantees r >= 4.
    @inline(__always)
    static func storeFullScale(
        _ x: UnsafeMutablePointer<Int16>, scale: Int, block: inout Q15Block,
        eighths: ((Int, Int32) -> Void) -> Void, _ exact: ((Int, Int64) -> Void) -> Void
    ) {
        var folded: Int32 = 0
        eighths { _, v in folded = max(folded, v ^ (v &>> 31)) }
        guard folded >= 1 << 15 else {
            storeFullScale(x, scale: scale, block: &block, exact)
            return
        }
        let r = block.shiftToFill(folded: Int64(folded) << 3 | 7, scale: scale)
        let bias = Int32(1) << (r - 4), shift = Int32(r - 3)
        var peak: Int32 = 0
        eighths { i, v in
            let y = rephase_ssat16((v &+ bias) &>> shift)
            peak = max(peak, (y ^ (y &>> 31)) &+ 1)
            x[i] = Int16(truncatingIfNeeded: y)
        }
        block.magnitudeBound = peak
    }

    /// The optimised kernels' arithmetic: floor(v 2^15 / 8), exact, and `eighth`.
    @inline(__always) static func eighthLifted(_ v: Int32) -> Int32 { v &<< 12 }

    /// floor((x u + y v) / 8) for 17-bit x, y (|x|, |y| <= 2^16) and a twiddle's components
    /// u, v (|u| + |v| <= 46342, see Q15Block.twiddleGain), in 32-bit arithmetic although the
    /// sum needs up to 33 bits: with x = 2 (x >> 1) + (x & 1), the sum is 2p + q for
    /// p = (x >> 1) u + (y >> 1) v (|p| < 1.52 * 2^30) and q = (x & 1) u + (y & 1) v, and
    /// floor((2p + q) / 8) = floor((p + floor(q / 2)) / 4), since the half that floor(q / 2)
    /// drops cannot carry an integer over a multiple of 4.
    @inline(__always)
    static func eighth(_ x: Int32, _ u: Int32, _ y: Int32, _ v: Int32) -> Int32 {
        let p = (x &>> 1) &* u &+ (y &>> 1) &* v
        let q = (x & 1) &* u &+ (y & 1) &* v
        return (p &+ (q &>> 1)) &>> 2
    }
}
