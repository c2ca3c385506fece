/// The step between a real signal's FFT and the half-size complex FFT that computes it: the n
/// real samples are read as n/2 complex points z[m] = x[2m] + i x[2m+1], and the spectra are
/// related bin pair by bin pair (k, M - k), M = n/2, in place.
///
/// Two pairs go at a time as `ComplexPair` vectors (bins k, k+1 and M-k-1, M-k) while the four
/// bins differ; the last one or two pairs, near k = M/2, go one at a time. Both forms compute
/// every bin with the same operations, so the result does not depend on where the split falls.
extension FFT {
    /// Turns the FFT Z of z into the packed spectrum of x. With E = (Z[k] + conj Z[M-k]) / 2
    /// and O = (Z[k] - conj Z[M-k]) / 2i, the spectrum is X[k] = E + W^k O and
    /// X[M-k] = conj(E - W^k O), W = e^{-2 pi i / n}.
    static func splitRealSpectrum(_ x: UnsafeMutablePointer<Float>, n: Int) {
        let m = n / 2
        let z0r = x[0], z0i = x[1]
        x[0] = z0r + z0i
        x[1] = z0r - z0i
        let stride = fftTableCircle / n
        var k = 1
        while 2 &* k &+ 2 < m {
            let low = x + 2 &* k, high = x + 2 &* (m &- k &- 1)
            let a = ComplexPair.load(low), c = conjugate(ComplexPair.reversed(ComplexPair.load(high)))
            let e = 0.5 * (a + c)
            let o = ComplexPair.swapped(a - c) * SIMD4(0.5, -0.5, 0.5, -0.5)
            // W^k O, with W^k = cos - i sin.
            let t = TwiddlePair(k, stride: stride, sign: -1).times(o)
            ComplexPair.store(e + t, low)
            // conj(E - W^k O) = (er - tr, ti - ei).
            let p = SIMD4(e[0], t[1], e[2], t[3]), q = SIMD4(-t[0], -e[1], -t[2], -e[3])
            ComplexPair.store(ComplexPair.reversed(p + q), high)
            k &+= 2
        }
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
        while 2 &* k &+ 2 < m {
            let low = x + 2 &* k, high = x + 2 &* (m &- k &- 1)
            let a = ComplexPair.load(low), c = conjugate(ComplexPair.reversed(ComplexPair.load(high)))
            let e = (a + c) * scale, d = (a - c) * scale
            // O = D conj(W^k), conj(W^k) = cos + i sin.
            let o = TwiddlePair(k, stride: stride, sign: 1).times(d)
            // Z[k] = E + i O = (er - oi, ei + or).
            ComplexPair.store(e + ComplexPair.swapped(o) * SIMD4(-1, 1, -1, 1), low)
            // Z[M-k] = conj(E) + i conj(O) = (er + oi, or - ei).
            let p = SIMD4(e[0], o[0], e[2], o[2]), q = SIMD4(o[1], -e[1], o[3], -e[3])
            ComplexPair.store(ComplexPair.reversed(p + q), high)
            k &+= 2
        }
        while k <= m / 2 {
            let a = x[2 * k], b = x[2 * k + 1], c = x[2 * (m - k)], d = x[2 * (m - k) + 1]
            let er = (a + c) * scale, ei = (b - d) * scale
            let dr = (a - c) * scale, di = (b + d) * scale
            let w = unitCircle(k * stride)
            let or = dr * w.cos - di * w.sin, oi = dr * w.sin + di * w.cos
            x[2 * k] = er - oi
            x[2 * k + 1] = ei + or
            if k != m - k {
                x[2 * (m - k)] = er + oi
                x[2 * (m - k) + 1] = or - ei
            }
            k += 1
        }
    }

    /// (re0, -im0, re1, -im1).
    @inline(__always)
    private static func conjugate(_ v: SIMD4<Float>) -> SIMD4<Float> {
        v * SIMD4(1, -1, 1, -1)
    }
}
