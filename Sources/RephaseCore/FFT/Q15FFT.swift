/// Radix-2 FFTs on Int16 data in block floating point, in place, for powers of two up to 2048.
///
/// Same layouts, sign conventions and algorithm as `FloatFFT` (interleaved complex points; the
/// packed real spectrum `[X0.re, X(n/2).re, X1.re, X1.im, ...]`; bit reversal, then
/// decimation-in-time butterflies; the real transforms go through an n/2-point complex FFT plus a
/// split or merge step), with Int16 storage and Int32 arithmetic (Int64 in the O(n) split/merge).
///
/// Format: every input and output element is read as a plain integer. Each transform returns a
/// block exponent e, and the exact result is the stored integers times 2^e:
/// - `real`: X[k] = sum_t x[t] e^{-2 pi i k t / n} ~= stored[k] * 2^e (no 1/n, as in FloatFFT);
/// - `complex`: the same for complex data; `inverse: true` is unscaled (n times the inverse DFT);
/// - `inverseReal`: x[t] = (1/n) sum_k X[k] e^{+2 pi i k t / n} ~= stored[t] * 2^e, the packed
///   input X read as integers. If that spectrum came from `real` with exponent e1, the signal is
///   stored * 2^(e1 + e): `inverseReal(real(x))` gives back x as stored * 2^(e1 + e).
/// An input of all zeros returns all zeros (with a meaningless exponent).
///
/// Scaling (the reason this beats CMSIS-DSP's arm_cfft_q15/arm_rfft_q15, which shift right one
/// bit in every stage and so deliver 30-40 dB SNR in a fixed format such as Q10.6 for a
/// 512-point rfft): the input is first shifted left by its headroom, so quiet blocks use all 16
/// bits; before each butterfly stage, and before the split/merge, the block is shifted right by
/// only as many bits (0, 1 or 2; up to 3 for the merge) as the worst case of that step needs to
/// stay inside Int16 (see `Q15Block`). Each output is rounded once per step, half up, from the
/// exact Int32 (or Int64) sum; saturation to Int16 is present but unreachable by that bound.
///
/// Resulting format for full-scale input (Int16 samples, |x| up to 32768): the spectrum of
/// white noise peaks near 3.5 sqrt(n/3) 2^15 and is stored with its peak between about 2^13
/// and 2^15 (the worst-case bound leaves one or two bits unused), e.g. e = 7 for n = 512, i.e.
/// X = stored * 2^7. CMSIS-DSP's arm_rfft_q15 for 512
/// points always returns Q10.6, which is X = stored * 2^9 in these terms, for every input;
/// here a quiet block gets a smaller (even negative) e instead of fewer significant bits.
/// A constant 32767 (all energy in X0 = 32767 n) ends with X0 stored near 2^14, e = log2 n + 1.
///
/// Measured SNR in dB against the float64 DFT of the same integers (Q15FFTTests; seeded noise
/// uniform over all of Int16; the loudest speech frame of the test clip; that frame at -40 dB;
/// e is the exponent `real` returned for the noise):
///
///        n   real noise   speech   speech -40 dB   complex (fwd = inv)   real+inverseReal    e
///        2        -          -           -                86.7                   -            -
///        4      83.6         -           -                91.2                 81.5           3
///        8      82.1         -           -                81.8                 75.5           3
///       16      79.7         -           -                81.2                 74.4           4
///       32      78.9         -           -                79.0                 70.5           4
///       64      75.2         -           -                76.9                 70.7           5
///      128      75.0         -           -                75.0                 70.7           5
///      256      73.6       71.4        73.1               73.3                 69.2           6
///      512      71.9       68.7        66.0               72.0                 68.4           7
///     1024      71.3       65.7        68.3               71.4                 67.8           7
///     2048      70.5       62.6        63.3               70.8                 66.6           8
///
/// `inverseReal` alone, against the float64 inverse DFT of a full-scale Hermitian spectrum:
/// 82.5 / 71.6 / 70.8 dB for n = 16 / 512 / 2048. Extreme inputs (constant +32767 or -32768,
/// alternating +32767/-32768, an impulse of -32768) give 84 dB or more and never saturate.
/// Speech loses a few dB to noise because its peaks, which set the block scale, stand higher
/// above its average level.
public enum Q15FFT {
    /// In-place complex FFT of `data.count / 2` interleaved points (2 ... 2048, power of two);
    /// returns the block exponent of the result.
    public static func complex(_ data: inout MutableSpan<Int16>, inverse: Bool = false) -> Int {
        let n = data.count / 2
        guard let bits = fftLog2(n), data.count == 2 * n else {
            fatalError("Q15FFT.complex: size must be 2...2048 complex points, a power of two")
        }
        return data.withUnsafeMutableBufferPointer { p in
            let x = p.baseAddress!
            var block = Q15Block(normalizing: x, count: 2 * n)
            complexInPlace(x, n: n, bits: bits, inverse: inverse, block: &block)
            return block.exponent
        }
    }

    /// In-place forward real FFT of `data.count` samples (4 ... 2048, power of two), output
    /// packed; returns the block exponent of the spectrum.
    public static func real(_ data: inout MutableSpan<Int16>) -> Int {
        let n = data.count
        guard n >= 4, let bits = fftLog2(n) else {
            fatalError("Q15FFT.real: size must be 4...2048, a power of two")
        }
        return data.withUnsafeMutableBufferPointer { p in
            let x = p.baseAddress!
            var block = Q15Block(normalizing: x, count: n)
            // The even and odd samples form n/2 complex points; transform them, then split.
            complexInPlace(x, n: n / 2, bits: bits - 1, inverse: false, block: &block)
            splitRealSpectrum(x, n: n, block: &block)
            return block.exponent
        }
    }

    /// In-place inverse of `real`: packed spectrum in, `data.count` samples out (with the 1/n);
    /// returns the exponent of the samples relative to the spectrum's integers.
    public static func inverseReal(_ data: inout MutableSpan<Int16>) -> Int {
        let n = data.count
        guard n >= 4, let bits = fftLog2(n) else {
            fatalError("Q15FFT.inverseReal: size must be 4...2048, a power of two")
        }
        return data.withUnsafeMutableBufferPointer { p in
            let x = p.baseAddress!
            var block = Q15Block(normalizing: x, count: n)
            mergeRealSpectrum(x, n: n, block: &block)
            complexInPlace(x, n: n / 2, bits: bits - 1, inverse: true, block: &block)
            // The merge and the unscaled inverse FFT leave n times the signal; the 1/n costs no
            // bits as an exponent.
            return block.exponent - bits
        }
    }

    /// Bit-reversal permutation followed by log2(n) decimation-in-time butterfly stages, each
    /// preceded by its block shift. The twiddle loop is outermost within a stage, as in FloatFFT.
    static func complexInPlace(
        _ x: UnsafeMutablePointer<Int16>, n: Int, bits: Int, inverse: Bool, block: inout Q15Block
    ) {
        bitReversePermute(x, n: n, bits: bits)
        var half = 1
        while half < n {
            // Stages with half <= 2 use only the twiddles 1 and -+i.
            let s = block.shiftBeforeStep(gain: half <= 2 ? Q15Block.unitGain : Q15Block.twiddleGain)
            let stride = fftTableCircle / (2 * half)
            var peak: Int32 = 0
            for j in 0..<half {
                let w = unitCircleQ15(j * stride)
                let wr = Int32(w.cos), wi = inverse ? Int32(w.sin) : 0 &- Int32(w.sin)
                var a = j
                while a < n {
                    let b = a + half
                    let br = Int32(x[2 * b]), bi = Int32(x[2 * b + 1])
                    // Each product is below 2^30 and |wr| + |wi| <= 46341, so t < 1.6 * 2^30.
                    let tr = wr &* br &- wi &* bi, ti = wr &* bi &+ wi &* br
                    let ar = Int32(x[2 * a]), ai = Int32(x[2 * a + 1])
                    x[2 * a] = narrowed(roundedSum(ar, tr, shift: s), peak: &peak)
                    x[2 * a + 1] = narrowed(roundedSum(ai, ti, shift: s), peak: &peak)
                    x[2 * b] = narrowed(roundedSum(ar, 0 &- tr, shift: s), peak: &peak)
                    x[2 * b + 1] = narrowed(roundedSum(ai, 0 &- ti, shift: s), peak: &peak)
                    a += 2 * half
                }
            }
            block.magnitudeBound = peak
            half *= 2
        }
    }

    /// Turns the FFT Z of z[m] = x[2m] + i x[2m+1] (m < M = n/2) into the packed spectrum of x;
    /// the formulas of `FloatFFT.splitRealSpectrum`, X[k] = E + W^k O, X[M-k] = conj(E - W^k O).
    /// 2E and 2O are exact 17-bit sums; X = (2E + W^k 2O) / 2 obeys the butterfly bound, so the
    /// step takes the butterfly's shift plus the exact 1/2, rounded once (Int64: 2O W^k needs 33 bits).
    static func splitRealSpectrum(_ x: UnsafeMutablePointer<Int16>, n: Int, block: inout Q15Block) {
        let m = n / 2
        let r = 16 + block.shiftBeforeStep(gain: Q15Block.twiddleGain)
        var peak: Int32 = 0
        let z0r = Int64(x[0]), z0i = Int64(x[1])
        x[0] = narrowed(roundedShift((z0r + z0i) << 16, by: r), peak: &peak)
        x[1] = narrowed(roundedShift((z0r - z0i) << 16, by: r), peak: &peak)
        let stride = fftTableCircle / n
        var k = 1
        while k <= m / 2 {
            let a = Int64(x[2 * k]), b = Int64(x[2 * k + 1])
            let c = Int64(x[2 * (m - k)]), d = Int64(x[2 * (m - k) + 1])
            // 2E (times 2^15, to line up with the Q15 products) and 2O.
            let er = (a + c) << 15, ei = (b - d) << 15
            let or = b + d, oi = c - a
            let w = unitCircleQ15(k * stride)
            let cs = Int64(w.cos), sn = Int64(w.sin)
            let tr = cs * or + sn * oi, ti = cs * oi - sn * or
            x[2 * k] = narrowed(roundedShift(er + tr, by: r), peak: &peak)
            x[2 * k + 1] = narrowed(roundedShift(ei + ti, by: r), peak: &peak)
            if k != m - k {
                x[2 * (m - k)] = narrowed(roundedShift(er - tr, by: r), peak: &peak)
                x[2 * (m - k) + 1] = narrowed(roundedShift(ti - ei, by: r), peak: &peak)
            }
            k += 1
        }
        block.magnitudeBound = peak
    }

    /// Inverse of `splitRealSpectrum` without the 1/n (the caller takes it into the exponent):
    /// E' = X[k] + conj X[M-k], O' = (X[k] - conj X[M-k]) conj(W^k), Z[k] = E' + i O', i.e. n
    /// times FloatFFT's merge. Outputs reach 2 (1 + sqrt 2) m, hence twice the butterfly gain.
    static func mergeRealSpectrum(_ x: UnsafeMutablePointer<Int16>, n: Int, block: inout Q15Block) {
        let m = n / 2
        let r = 15 + block.shiftBeforeStep(gain: 2 * Q15Block.twiddleGain)
        var peak: Int32 = 0
        let x0 = Int64(x[0]), xm = Int64(x[1])
        x[0] = narrowed(roundedShift((x0 + xm) << 15, by: r), peak: &peak)
        x[1] = narrowed(roundedShift((x0 - xm) << 15, by: r), peak: &peak)
        let stride = fftTableCircle / n
        var k = 1
        while k <= m / 2 {
            let a = Int64(x[2 * k]), b = Int64(x[2 * k + 1])
            let c = Int64(x[2 * (m - k)]), d = Int64(x[2 * (m - k) + 1])
            let er = (a + c) << 15, ei = (b - d) << 15
            let dr = a - c, di = b + d
            let w = unitCircleQ15(k * stride)
            let cs = Int64(w.cos), sn = Int64(w.sin)
            // O' = (dr + i di) * (cos + i sin), since conj(W^k) = cos + i sin.
            let or = dr * cs - di * sn, oi = dr * sn + di * cs
            // Z[k] = E' + i O' and Z[M-k] = conj(E') + i conj(O').
            x[2 * k] = narrowed(roundedShift(er - oi, by: r), peak: &peak)
            x[2 * k + 1] = narrowed(roundedShift(ei + or, by: r), peak: &peak)
            if k != m - k {
                x[2 * (m - k)] = narrowed(roundedShift(er + oi, by: r), peak: &peak)
                x[2 * (m - k) + 1] = narrowed(roundedShift(or - ei, by: r), peak: &peak)
            }
            k += 1
        }
        block.magnitudeBound = peak
    }
}
