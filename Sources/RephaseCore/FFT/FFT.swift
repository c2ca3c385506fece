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

    /// Bit-reversal permutation followed by log2(n) decimation-in-time radix-2 stages, done two
    /// at a time where it can: the first pair, then one lone stage when the count left is odd,
    /// then pairs. A pair of stages reads and writes each point once instead of twice.
    static func complexInPlace(_ x: UnsafeMutablePointer<Float>, n: Int, bits: Int, inverse: Bool) {
        bitReversePermute(x, n: n, bits: bits)
        let sign: Float = inverse ? 1 : -1
        var half = 1
        if n >= 4 {
            firstTwoStages(x, n: n, sign: sign)
            half = 4
        }
        if half < n, (n / half).trailingZeroBitCount % 2 == 1 {
            radix2Stage(x, n: n, half: half, sign: sign)
            half &*= 2
        }
        while half < n {
            stagePair(x, n: n, half: half, sign: sign)
            half &*= 4
        }
    }

    /// One radix-2 stage: butterflies of points half apart, in groups of 2 half.
    /// The twiddle loop is outermost so each twiddle is read once per stage; from half = 2 on,
    /// it takes two twiddles at a time (`TwiddlePair`).
    static func radix2Stage(_ x: UnsafeMutablePointer<Float>, n: Int, half: Int, sign: Float) {
        guard half >= 2 else {
            let w = unitCircle(0)
            butterfly(x, x + 2, w.cos, sign * w.sin)
            return
        }
        let stride = fftTableCircle / (2 * half)
        var j = 0
        while j < half {
            let w = TwiddlePair(j, stride: stride, sign: sign)
            var a = j
            while a < n {
                w.butterflies(x + 2 &* a, x + 2 &* (a &+ half))
                a &+= 2 &* half
            }
            j &+= 2
        }
    }

    /// The radix-2 stages of half-widths h and 2h together, on the four points g, g + h,
    /// g + 2h, g + 3h of each group of 4h: stage h pairs (0, 1) and (2, 3) with twiddle
    /// W_2h^j, stage 2h pairs (0, 2) with W_4h^j and (1, 3) with W_4h^(j+h). The arithmetic
    /// is the two stages' own, butterfly for butterfly, so the result is the same to the bit.
    /// Needs h >= 2: it goes two j at a time.
    static func stagePair(_ x: UnsafeMutablePointer<Float>, n: Int, half h: Int, sign: Float) {
        let stride = fftTableCircle / (4 * h)
        var j = 0
        while j < h {
            let w1 = TwiddlePair(j, stride: 2 &* stride, sign: sign)
            let w2 = TwiddlePair(j, stride: stride, sign: sign)
            let w3 = TwiddlePair(j &+ h, stride: stride, sign: sign)
            var g = j
            while g < n {
                let p0 = x + 2 &* g, p1 = p0 + 2 &* h, p2 = p1 + 2 &* h, p3 = p2 + 2 &* h
                let a0 = ComplexPair.load(p0), a1 = ComplexPair.load(p1)
                let a2 = ComplexPair.load(p2), a3 = ComplexPair.load(p3)
                let t1 = w1.times(a1), t3 = w1.times(a3)
                let b0 = a0 + t1, b1 = a0 - t1, b2 = a2 + t3, b3 = a2 - t3
                let t2 = w2.times(b2), t4 = w3.times(b3)
                ComplexPair.store(b0 + t2, p0)
                ComplexPair.store(b1 + t4, p1)
                ComplexPair.store(b0 - t2, p2)
                ComplexPair.store(b1 - t4, p3)
                g &+= 4 &* h
            }
            j &+= 2
        }
    }

    /// a, b = a + w b, a - w b on the interleaved complex points at `a` and `b`.
    @inline(__always)
    static func butterfly(_ a: UnsafeMutablePointer<Float>, _ b: UnsafeMutablePointer<Float>, _ wr: Float, _ wi: Float) {
        let br = b[0], bi = b[1]
        let tr = wr * br - wi * bi, ti = wr * bi + wi * br
        let ar = a[0], ai = a[1]
        a[0] = ar + tr
        a[1] = ai + ti
        b[0] = ar - tr
        b[1] = ai - ti
    }
}

extension FFT {
    /// The first two radix-2 stages over each group of four points at once. Their twiddles are
    /// 1 and -+i, so the butterflies need no multiplications; the results equal the general
    /// stage loop's exactly (multiplying by 1 or 0 is exact), only without the wasted work.
    /// Points 0 and 1 of a group share a vector, as do 2 and 3.
    @inline(__always)
    static func firstTwoStages(_ x: UnsafeMutablePointer<Float>, n: Int, sign: Float) {
        var g = 0
        while g < n {
            let p = x + 2 &* g
            let v0 = ComplexPair.load(p), v1 = ComplexPair.load(p + 4)
            // Stage 1: pairs (0, 1) and (2, 3); s = (t0, t2), d = (t1, t3).
            let a = SIMD4(v0[0], v0[1], v1[0], v1[1]), b = SIMD4(v0[2], v0[3], v1[2], v1[3])
            let s = a + b, d = a - b
            // Stage 2: (0, 2) with twiddle 1, (1, 3) with twiddle sign * i, i.e. -i forward:
            // (t0, t1) +- (t2, u) with u = sign * i * t3.
            let low = SIMD4(s[0], s[1], d[0], d[1])
            let high = SIMD4(s[2], s[3], -sign * d[3], sign * d[2])
            ComplexPair.store(low + high, p)
            ComplexPair.store(low - high, p + 4)
            g &+= 4
        }
    }
}
