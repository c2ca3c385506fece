/// Two consecutive interleaved complex points, (re0, im0, re1, im1), as one SIMD4 vector: the
/// unit the Float32 FFT works in. SIMD4 is a vector register on x86-64 and AArch64 and four
/// scalar registers on a Cortex-M4, so the same code serves both.
enum ComplexPair {
    /// Element loads and stores, which the compiler merges into one vector access where the
    /// target has one; a Float pointer is only 4-byte aligned, too little for a SIMD4 load.
    @inline(__always)
    static func load(_ p: UnsafeMutablePointer<Float>) -> SIMD4<Float> {
        SIMD4(p[0], p[1], p[2], p[3])
    }

    @inline(__always)
    static func store(_ v: SIMD4<Float>, _ p: UnsafeMutablePointer<Float>) {
        p[0] = v[0]
        p[1] = v[1]
        p[2] = v[2]
        p[3] = v[3]
    }

    /// (im0, re0, im1, re1).
    @inline(__always)
    static func swapped(_ v: SIMD4<Float>) -> SIMD4<Float> {
        SIMD4(v[1], v[0], v[3], v[2])
    }

    /// The two points in the other order: (re1, im1, re0, im0).
    @inline(__always)
    static func reversed(_ v: SIMD4<Float>) -> SIMD4<Float> {
        SIMD4(v[2], v[3], v[0], v[1])
    }
}

/// The twiddles W^(j stride) and W^((j+1) stride) laid out to multiply a `ComplexPair`:
/// b w = b (wr, wr) + swapped(b) (-wi, wi) for each point. Every lane is the scalar product
/// (wr br - wi bi, wr bi + wi br) exactly: x + (-y) is x - y in IEEE arithmetic and a
/// product's sign is exact, so the vector and scalar FFTs agree to the bit.
struct TwiddlePair {
    let real: SIMD4<Float>
    let imaginary: SIMD4<Float>

    /// `sign` -1 gives the forward transform's twiddles e^{-i...}, +1 their conjugates.
    @inline(__always)
    init(_ j: Int, stride: Int, sign: Float) {
        let w0 = unitCircle(j &* stride), w1 = unitCircle((j &+ 1) &* stride)
        let s0 = sign * w0.sin, s1 = sign * w1.sin
        real = SIMD4(w0.cos, w0.cos, w1.cos, w1.cos)
        imaginary = SIMD4(-s0, s0, -s1, s1)
    }

    @inline(__always)
    func times(_ b: SIMD4<Float>) -> SIMD4<Float> {
        b * real + ComplexPair.swapped(b) * imaginary
    }

    /// a, b = a + w b, a - w b for the two points at `a` and the two at `b`.
    @inline(__always)
    func butterflies(_ a: UnsafeMutablePointer<Float>, _ b: UnsafeMutablePointer<Float>) {
        let av = ComplexPair.load(a), t = times(ComplexPair.load(b))
        ComplexPair.store(av + t, a)
        ComplexPair.store(av - t, b)
    }
}
