/// Radix-2 FFTs in Float32, in place, for sizes that are powers of two up to 2048.
///
/// Layouts:
/// - complex data is interleaved: `[re0, im0, re1, im1, ...]`, n points in 2n Floats;
/// - a real spectrum of n samples is *packed* into n Floats, as in CMSIS-DSP and FFTW's
///   halfcomplex idea: `[X0.re, X(n/2).re, X1.re, X1.im, ..., X(n/2-1).re, X(n/2-1).im]`
///   (bins 0 and n/2 of a real signal have zero imaginary part, so nothing is lost).
///
/// Conventions: forward transforms compute X[k] = sum x[t] e^{-2 pi i k t / n} without scaling
/// (what numpy.fft gives); `complex(inverse: true)` is unscaled too (n times the inverse DFT);
/// `inverseReal` includes the 1/n, so `inverseReal(real(x)) == x` up to rounding.
/// Twiddles come from exact table values (UnitCircle.swift); nothing allocates.
public enum FFT {
    /// In-place complex FFT of `data.count / 2` interleaved points (2 ... 2048, power of two).
    public static func complex(_ data: inout MutableSpan<Float>, inverse: Bool = false) {
        let n = data.count / 2
        guard let bits = fftLog2(n), data.count == 2 * n else {
            fatalError("FFT.complex: size must be 2...2048 complex points, a power of two")
        }
        OperationCounter.record(.fft, complexOperations(n: n, bits: bits))
        data.withUnsafeMutableBufferPointer { p in
            complexInPlace(p.baseAddress!, n: n, bits: bits, inverse: inverse)
        }
    }

    /// In-place forward real FFT of `data.count` samples (4 ... 2048, power of two), output packed.
    public static func real(_ data: inout MutableSpan<Float>) {
        let n = data.count
        guard n >= 4, let bits = fftLog2(n) else {
            fatalError("FFT.real: size must be 4...2048, a power of two")
        }
        OperationCounter.record(.fft, complexOperations(n: n / 2, bits: bits - 1) + splitOperations(n: n))
        data.withUnsafeMutableBufferPointer { p in
            let x = p.baseAddress!
            // The even and odd samples form n/2 complex points; transform them, then split.
            complexInPlace(x, n: n / 2, bits: bits - 1, inverse: false)
            splitRealSpectrum(x, n: n)
        }
    }

    /// In-place inverse of `real`: packed spectrum in, `data.count` samples out, scaled by 1/n.
    public static func inverseReal(_ data: inout MutableSpan<Float>) {
        let n = data.count
        guard n >= 4, let bits = fftLog2(n) else {
            fatalError("FFT.inverseReal: size must be 4...2048, a power of two")
        }
        OperationCounter.record(.fft, splitOperations(n: n) + complexOperations(n: n / 2, bits: bits - 1))
        data.withUnsafeMutableBufferPointer { p in
            let x = p.baseAddress!
            mergeRealSpectrum(x, n: n)
            complexInPlace(x, n: n / 2, bits: bits - 1, inverse: true)
        }
    }

    /// Bit-reversal permutation followed by log2(n) decimation-in-time butterfly stages.
    /// The twiddle loop is outermost within a stage so each twiddle is read once per stage.
    static func complexInPlace(_ x: UnsafeMutablePointer<Float>, n: Int, bits: Int, inverse: Bool) {
        bitReversePermute(x, n: n, bits: bits)
        let sign: Float = inverse ? 1 : -1
        var half = 1
        if n >= 4 {
            firstTwoStages(x, n: n, sign: sign)
            half = 4
        }
        while half < n {
            let stride = fftTableCircle / (2 * half)
            for j in 0..<half {
                let w = unitCircle(j * stride)
                let wr = w.cos, wi = sign * w.sin
                var a = j
                while a < n {
                    let b = a + half
                    let br = x[2 * b], bi = x[2 * b + 1]
                    let tr = wr * br - wi * bi, ti = wr * bi + wi * br
                    let ar = x[2 * a], ai = x[2 * a + 1]
                    x[2 * a] = ar + tr
                    x[2 * a + 1] = ai + ti
                    x[2 * b] = ar - tr
                    x[2 * b + 1] = ai - ti
                    a += 2 * half
                }
            }
            half *= 2
        }
    }

    /// The first two radix-2 stages over each group of four points at once. Their twiddles are
    /// 1 and -+i, so the butterflies need no multiplications; the results equal the general
    /// stage loop's exactly (multiplying by 1 or 0 is exact), only without the wasted work.
    @inline(__always)
    static func firstTwoStages(_ x: UnsafeMutablePointer<Float>, n: Int, sign: Float) {
        var g = 0
        while g < n {
            let p = x + 2 * g
            // Stage 1: pairs (0, 1) and (2, 3).
            let t0r = p[0] + p[2], t0i = p[1] + p[3]
            let t1r = p[0] - p[2], t1i = p[1] - p[3]
            let t2r = p[4] + p[6], t2i = p[5] + p[7]
            let t3r = p[4] - p[6], t3i = p[5] - p[7]
            // Stage 2: (0, 2) with twiddle 1, (1, 3) with twiddle sign * i, i.e. -i forward.
            let ur = -sign * t3i, ui = sign * t3r
            p[0] = t0r + t2r
            p[1] = t0i + t2i
            p[4] = t0r - t2r
            p[5] = t0i - t2i
            p[2] = t1r + ur
            p[3] = t1i + ui
            p[6] = t1r - ur
            p[7] = t1i - ui
            g += 4
        }
    }

    /// Turns the FFT Z of z[m] = x[2m] + i x[2m+1] (m < M = n/2) into the packed spectrum of x.
    /// With E = (Z[k] + conj Z[M-k]) / 2 and O = (Z[k] - conj Z[M-k]) / 2i, the spectrum is
    /// X[k] = E + W^k O and X[M-k] = conj(E - W^k O), W = e^{-2 pi i / n}; pairs (k, M-k) are
    /// updated together so the split works in place.
    static func splitRealSpectrum(_ x: UnsafeMutablePointer<Float>, n: Int) {
        let m = n / 2
        let z0r = x[0], z0i = x[1]
        x[0] = z0r + z0i
        x[1] = z0r - z0i
        let stride = fftTableCircle / n
        var k = 1
        while k <= m / 2 {
            let a = x[2 * k], b = x[2 * k + 1], c = x[2 * (m - k)], d = x[2 * (m - k) + 1]
            let er = 0.5 * (a + c), ei = 0.5 * (b - d)
            let or = 0.5 * (b + d), oi = -0.5 * (a - c)
            let w = unitCircle(k * stride)
            let tr = w.cos * or + w.sin * oi, ti = w.cos * oi - w.sin * or
            x[2 * k] = er + tr
            x[2 * k + 1] = ei + ti
            if k != m - k {
                x[2 * (m - k)] = er - tr
                x[2 * (m - k) + 1] = ti - ei
            }
            k += 1
        }
    }

    /// Inverse of `splitRealSpectrum`, with the inverse transform's 1/n folded in:
    /// E = (X[k] + conj X[M-k]) / n, O = (X[k] - conj X[M-k]) conj(W^k) / n, Z[k] = E + i O.
    static func mergeRealSpectrum(_ x: UnsafeMutablePointer<Float>, n: Int) {
        let m = n / 2
        let scale = 1 / Float(n)
        let x0 = x[0], xm = x[1]
        x[0] = (x0 + xm) * scale
        x[1] = (x0 - xm) * scale
        let stride = fftTableCircle / n
        var k = 1
        while k <= m / 2 {
            let a = x[2 * k], b = x[2 * k + 1], c = x[2 * (m - k)], d = x[2 * (m - k) + 1]
            let er = (a + c) * scale, ei = (b - d) * scale
            let dr = (a - c) * scale, di = (b + d) * scale
            let w = unitCircle(k * stride)
            // O = (dr + i di) * (cos + i sin), since conj(W^k) = cos + i sin.
            let or = dr * w.cos - di * w.sin, oi = dr * w.sin + di * w.cos
            // Z[k] = E + i O and Z[M-k] = conj(E) + i conj(O).
            x[2 * k] = er - oi
            x[2 * k + 1] = ei + or
            if k != m - k {
                x[2 * (m - k)] = er + oi
                x[2 * (m - k) + 1] = or - ei
            }
            k += 1
        }
    }
}

/// The operations each transform reports to the simulator (OperationCounter), from the loop
/// bounds above, per instruction of a straightforward Cortex-M4F compilation: every element
/// access a load or store, index arithmetic and loop counters integer operations, one taken
/// branch per loop iteration. The index arithmetic keeps Swift's overflow checks and the
/// accesses their bounds checks, which the integer counts include as measured on the M4 by
/// Targets/cortex-m4/profile-stages (a butterfly 45 instructions, a pair of the split 56).
extension FFT {
    /// `complexInPlace` on n points: the permutation, the first two stages together, then
    /// log2(n) - 2 general stages of n/2 butterflies, each twiddle read once per stage.
    static func complexOperations(n: Int, bits: Int) -> OperationMix {
        var mix = bitReversalOperations(n: n, bits: bits)
        guard n >= 4 else {
            return mix + OperationMix(integer: 3, load: 4, store: 4, branch: 1, floatAdd: 2, floatMultiply: 2, floatMultiplyAdd: 2) * (n / 2)
        }
        // Stages 1 and 2: per group of four points, 8 loads, 16 additions, 8 stores.
        mix = mix + OperationMix(integer: 2, load: 8, store: 8, branch: 1, floatAdd: 16, floatMultiply: 2) * (n / 4)
        // Stages with half = 4 ... n/2: n/2 butterflies each, and sum of half = n - 4 twiddles.
        let butterfly = OperationMix(integer: 26, load: 4, store: 4, branch: 1, floatAdd: 4, floatMultiply: 2, floatMultiplyAdd: 2)
        let twiddle = OperationMix(integer: 6, multiply: 1, load: 2, branch: 1, floatMultiply: 1)
        return mix + butterfly * ((n / 2) * (bits - 2)) + twiddle * (n - 4)
    }

    /// `splitRealSpectrum` or `mergeRealSpectrum` of an n-sample real spectrum (both do the
    /// same work per pair of bins k, M - k).
    static func splitOperations(n: Int) -> OperationMix {
        let pair = OperationMix(
            integer: 26, multiply: 1, load: 6, store: 4, branch: 1, floatAdd: 8, floatMultiply: 6, floatMultiplyAdd: 2)
        return OperationMix(load: 2, store: 2, floatAdd: 2, floatMultiply: 2) + pair * (n / 4)
    }
}

/// `bitReversePermute` of n = 2^bits points: a table lookup per index, a swap of two complex
/// points for each of the (n - p) / 2 pairs (p = 2^ceil(bits/2) indices are their own reversal).
func bitReversalOperations(n: Int, bits: Int) -> OperationMix {
    let palindromes = 1 << ((bits + 1) / 2)
    return OperationMix(integer: 4, load: 1, branch: 1) * n
        + OperationMix(integer: 2, load: 4, store: 4) * ((n - palindromes) / 2)
}
