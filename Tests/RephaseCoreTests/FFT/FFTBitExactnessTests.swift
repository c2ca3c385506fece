import Testing
@testable import RephaseCore

/// The Float32 FFT pairs its radix-2 stages and works on two points per SIMD4 vector; it must
/// give the bits of the plain form, one radix-2 butterfly and one bin pair at a time with the
/// same twiddle table, which is what this file computes. (Accuracy against float64 is
/// FFTTests' business; this pins the arithmetic, so goldens and board runs stay put.)
@Suite struct FFTBitExactnessTests {
    static let sizes = [4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048]

    static func signal(_ n: Int) -> [Float] {
        var state: UInt32 = 12345
        return (0..<n).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            return Float(Int32(bitPattern: state)) / 2_147_483_648
        }
    }

    /// Bit reversal, then log2(n) radix-2 stages, each butterfly a + w b, a - w b.
    static func plainComplex(_ x: inout [Float], inverse: Bool) {
        let n = x.count / 2
        let bits = n.trailingZeroBitCount
        for i in 0..<n {
            var j = 0
            for b in 0..<bits where i & (1 << b) != 0 { j |= 1 << (bits - 1 - b) }
            if j > i { x.swapAt(2 * i, 2 * j); x.swapAt(2 * i + 1, 2 * j + 1) }
        }
        let sign: Float = inverse ? 1 : -1
        var half = 1
        while half < n {
            for j in 0..<half {
                let w = unitCircle(j * (fftTableCircle / (2 * half)))
                let wr = w.cos, wi = sign * w.sin
                for a in stride(from: j, to: n, by: 2 * half) {
                    let b = a + half
                    let br = x[2 * b], bi = x[2 * b + 1]
                    let tr = wr * br - wi * bi, ti = wr * bi + wi * br
                    let ar = x[2 * a], ai = x[2 * a + 1]
                    x[2 * a] = ar + tr
                    x[2 * a + 1] = ai + ti
                    x[2 * b] = ar - tr
                    x[2 * b + 1] = ai - ti
                }
            }
            half *= 2
        }
    }

    static func plainReal(_ x: inout [Float]) {
        let n = x.count, m = n / 2
        plainComplex(&x, inverse: false)
        let z0r = x[0], z0i = x[1]
        x[0] = z0r + z0i
        x[1] = z0r - z0i
        for k in 1...(m / 2) {
            // Bin pair (k, m - k) as tuples (re, im): E, O, then T = W^k O.
            let z = (x[2 * k], x[2 * k + 1]), y = (x[2 * (m - k)], x[2 * (m - k) + 1])
            let e = (0.5 * (z.0 + y.0), 0.5 * (z.1 - y.1))
            let o = (0.5 * (z.1 + y.1), -0.5 * (z.0 - y.0))
            let w = unitCircle(k * (fftTableCircle / n))
            let t = (w.cos * o.0 + w.sin * o.1, w.cos * o.1 - w.sin * o.0)
            (x[2 * k], x[2 * k + 1]) = (e.0 + t.0, e.1 + t.1)
            if k != m - k { (x[2 * (m - k)], x[2 * (m - k) + 1]) = (e.0 - t.0, t.1 - e.1) }
        }
    }

    static func plainInverseReal(_ x: inout [Float]) {
        let n = x.count, m = n / 2
        let scale = 1 / Float(n)
        let x0 = x[0], xm = x[1]
        x[0] = (x0 + xm) * scale
        x[1] = (x0 - xm) * scale
        for k in 1...(m / 2) {
            // Bin pair (k, m - k) as tuples (re, im): E, D, then O = D conj(W^k).
            let z = (x[2 * k], x[2 * k + 1]), y = (x[2 * (m - k)], x[2 * (m - k) + 1])
            let e = ((z.0 + y.0) * scale, (z.1 - y.1) * scale)
            let d = ((z.0 - y.0) * scale, (z.1 + y.1) * scale)
            let w = unitCircle(k * (fftTableCircle / n))
            let o = (d.0 * w.cos - d.1 * w.sin, d.0 * w.sin + d.1 * w.cos)
            (x[2 * k], x[2 * k + 1]) = (e.0 - o.1, e.1 + o.0)
            if k != m - k { (x[2 * (m - k)], x[2 * (m - k) + 1]) = (e.0 + o.1, o.0 - e.1) }
        }
        plainComplex(&x, inverse: true)
    }

    static func bits(_ x: [Float]) -> [UInt32] { x.map(\.bitPattern) }

    @Test(arguments: sizes)
    func realTransformsMatchPlainRadix2(n: Int) {
        for inverse in [false, true] {
            var fast = Self.signal(n), plain = fast
            var span = fast.mutableSpan
            if inverse {
                FFT.inverseReal(&span)
                Self.plainInverseReal(&plain)
            } else {
                FFT.real(&span)
                Self.plainReal(&plain)
            }
            #expect(Self.bits(fast) == Self.bits(plain), "inverse \(inverse)")
        }
    }

    @Test(arguments: [2, 4, 8, 64, 512, 2048])
    func complexMatchesPlainRadix2(n: Int) {
        for inverse in [false, true] {
            var fast = Self.signal(2 * n), plain = fast
            var span = fast.mutableSpan
            FFT.complex(&span, inverse: inverse)
            Self.plainComplex(&plain, inverse: inverse)
            #expect(Self.bits(fast) == Self.bits(plain), "inverse \(inverse)")
        }
    }
}
