/// Conversions between FFT's packed real spectrum (N values:
/// `[X0, X(N/2), Re X1, Im X1, ..., Re X(N/2-1), Im X(N/2-1)]`) and per-bin rows of K = N/2 + 1.

/// |X_k| for k = 0 ... K-1 of a packed spectrum (`packed.count == 2 (K - 1)`).
public func packedMagnitudes(_ packed: Span<Float>, into magnitudes: inout MutableSpan<Float>) {
    let k = magnitudes.count
    precondition(packed.count == 2 * (k - 1), "packedMagnitudes: need N = 2 (K - 1) packed values")
    OperationCounter.record(
        .synthesis, OperationMix(integer: 2, load: 2, store: 1, branch: 1, floatMultiply: 1, floatMultiplyAdd: 1, floatSquareRoot: 1) * k)
    magnitudes[0] = abs(packed[0])
    magnitudes[k - 1] = abs(packed[1])
    for i in 1..<(k - 1) {
        let re = packed[2 * i], im = packed[2 * i + 1]
        magnitudes[i] = (re * re + im * im).squareRoot()
    }
}

/// Writes a_k u_k into FFT's packed layout (N = 2 (K - 1) values), with the unit phasor
/// u_k = (re, im) of bin k given by `phasor(k)`; bins 0 and K - 1 keep only their real part,
/// as the spectrum of a real signal must.
@inline(__always)
func packSpectrum(
    magnitudes a: Span<Float>, into packed: inout MutableSpan<Float>, phasor: (Int) -> (re: Float, im: Float)
) {
    let k = a.count
    precondition(packed.count == 2 * (k - 1))
    // Per bin: the magnitude and the phasor's two parts loaded (with their bounds checks), two
    // products stored (what `phasor` computes beyond reading rows, its caller reports).
    OperationCounter.record(.synthesis, OperationMix(integer: 7, load: 3, store: 2, branch: 1, floatMultiply: 2) * k)
    packed[0] = a[0] * phasor(0).re
    packed[1] = a[k - 1] * phasor(k - 1).re
    for i in 1..<(k - 1) {
        let u = phasor(i)
        packed[2 * i] = a[i] * u.re
        packed[2 * i + 1] = a[i] * u.im
    }
}

/// Replaces each bin c of a packed spectrum (FFT's layout, N = 2 (K - 1) values) by
/// a c / |c|: the target magnitude with the current phase; a zero bin gets phase 0. Bins 0
/// and K - 1 are real, so they keep their sign. (RTISI-LA's projection; FastGriffinLim has
/// the same projection for whole spectrograms stored as separate re/im rows.)
/// Four bins go at a time as SIMD4 rows of real and imaginary parts, the last few one at a
/// time; each lane computes what the one-bin form does, so the result is the same to the bit.
func imposeMagnitudes(_ a: Span<Float>, on packed: inout MutableSpan<Float>) {
    let k = a.count
    precondition(packed.count == 2 * (k - 1))
    // Per bin: |c| (a square root), one division, two products.
    let bin = OperationMix(
        integer: 2, load: 3, store: 2, branch: 1, floatAdd: 1, floatMultiply: 3, floatMultiplyAdd: 1, floatDivide: 1,
        floatSquareRoot: 1)
    OperationCounter.record(.projection, bin * k)
    packed[0] = packed[0] < 0 ? -a[0] : a[0]
    packed[1] = packed[1] < 0 ? -a[k - 1] : a[k - 1]
    a.withUnsafeBufferPointer { targets in
        packed.withUnsafeMutableBufferPointer { spectrum in
            let t = targets.baseAddress!, x = spectrum.baseAddress!
            var i = 1
            while i &+ 4 < k {
                let p = x + 2 &* i
                let v0 = ComplexPair.load(p), v1 = ComplexPair.load(p + 4)
                let re = SIMD4(v0[0], v0[2], v1[0], v1[2]), im = SIMD4(v0[1], v0[3], v1[1], v1[3])
                let norm = (re * re + im * im).squareRoot()
                let target = SIMD4(t[i], t[i &+ 1], t[i &+ 2], t[i &+ 3])
                let scale = target / norm
                let zero = .!(norm .> 0)
                let newRe = (re * scale).replacing(with: target, where: zero)
                let newIm = (im * scale).replacing(with: 0, where: zero)
                ComplexPair.store(SIMD4(newRe[0], newIm[0], newRe[1], newIm[1]), p)
                ComplexPair.store(SIMD4(newRe[2], newIm[2], newRe[3], newIm[3]), p + 4)
                i &+= 4
            }
            while i < k &- 1 {
                let re = x[2 &* i], im = x[2 &* i &+ 1]
                let norm = (re * re + im * im).squareRoot()
                if norm > 0 {
                    let scale = t[i] / norm
                    x[2 &* i] = re * scale
                    x[2 &* i &+ 1] = im * scale
                } else {
                    x[2 &* i] = t[i]
                    x[2 &* i &+ 1] = 0
                }
                i &+= 1
            }
        }
    }
}
