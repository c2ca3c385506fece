import RephaseIntrinsics

/// The butterfly stages of `Q15FFT`: one radix-2 decimation-in-time stage over n interleaved
/// complex points, each output round((a * 2^15 +- t) / 2^(15+s)), half up (`roundedSum`),
/// where t = w b in Int32 with the true-Q15 twiddle w (`Q15FFT.twiddle`), and the stage's
/// peak (the largest |output|, plus one for a negative one, as `narrowed` counts it).
///
/// Two kernels give the same bits: `plain` is the definition, a direct transcription of the
/// formula per output, and `packed` is what the transforms run. `packed` reads each complex
/// point as one 32-bit word, forms both products of a general twiddle with SMUSD and SMUADX
/// (one instruction each where the core has the DSP extension), makes the stage shift a
/// compile-time constant so that shifts fold into the add and the saturation (SSAT with an
/// ASR operand), and treats the twiddles 1 and -+i, which do not fit a signed 16-bit half
/// (1.0 is 32768 in true Q15), with shifts instead of products. Twiddles of other indices
/// that round to +-32768 (near 1 and -+i, only at 2048 points) take the plain butterfly.
enum Q15FFTKernels {
    case plain
    case optimised

    /// Runs the stage of butterflies `half` points apart (twiddle index step
    /// fftTableCircle / (2 half)) with right shift `s` (0, 1 or 2); returns its peak.
    func stage(_ x: UnsafeMutablePointer<Int16>, n: Int, half: Int, inverse: Bool, shift s: Int) -> Int32 {
        switch self {
        case .plain: return Self.plainStage(x, n: n, half: half, inverse: inverse, shift: s)
        case .optimised:
            // One copy of the loops per shift, so that every shift is an immediate.
            switch s {
            case 0: return PackedStage<0>.run(x, n: n, half: half, inverse: inverse)
            case 1: return PackedStage<1>.run(x, n: n, half: half, inverse: inverse)
            default:
                precondition(s == 2, "Q15FFTKernels: stage shifts are 0, 1 or 2")
                return PackedStage<2>.run(x, n: n, half: half, inverse: inverse)
            }
        }
    }

    /// The definition: for every twiddle, every butterfly, every output.
    static func plainStage(_ x: UnsafeMutablePointer<Int16>, n: Int, half: Int, inverse: Bool, shift s: Int) -> Int32 {
        let stride = fftTableCircle / (2 * half)
        var peak: Int32 = 0
        for j in 0..<half {
            let w = Q15FFT.twiddle(j * stride)
            plainButterflies(x, n: n, half: half, first: j, w: (w.cos, inverse ? w.sin : 0 &- w.sin), shift: s, peak: &peak)
        }
        return peak
    }

    /// The butterflies of twiddle w = (re, im) starting at point `first`.
    @inline(__always)
    static func plainButterflies(
        _ x: UnsafeMutablePointer<Int16>, n: Int, half: Int, first: Int, w: (Int32, Int32), shift s: Int, peak: inout Int32
    ) {
        let (wr, wi) = w
        var a = first
        while a < n {
            let b = a + half
            let br = Int32(x[2 * b]), bi = Int32(x[2 * b + 1])
            // Each product is at most 2^30 and |wr| + |wi| <= 46342, so |t| < 1.5 * 2^30.
            let tr = wr &* br &- wi &* bi, ti = wr &* bi &+ wi &* br
            let ar = Int32(x[2 * a]), ai = Int32(x[2 * a + 1])
            x[2 * a] = narrowed(roundedSum(ar, tr, shift: s), peak: &peak)
            x[2 * a + 1] = narrowed(roundedSum(ai, ti, shift: s), peak: &peak)
            x[2 * b] = narrowed(roundedSum(ar, 0 &- tr, shift: s), peak: &peak)
            x[2 * b + 1] = narrowed(roundedSum(ai, 0 &- ti, shift: s), peak: &peak)
            a += 2 * half
        }
    }

    /// The largest and smallest of a stage's outputs, kept per 16-bit lane of the stored words
    /// in offset binary (v + 32768, so unsigned order is signed order): max(a, b) = b +
    /// UQSUB16(a, b) and min(a, b) = a - UQSUB16(a, b) lane by lane, no carry crossing lanes.
    /// Five instructions per word of two outputs, where folding each output into the peak took
    /// four per output. The peak needs only these two: max over v of max(v, ~v) is
    /// max(largest, ~smallest).
    struct PeakLanes {
        var high: UInt32 = 0
        var low: UInt32 = 0xFFFF_FFFF

        @inline(__always)
        mutating func include(_ word: UInt32) {
            let w = word ^ 0x8000_8000
            high = high &+ rephase_uqsub16(w, high)
            low = low &- rephase_uqsub16(low, w)
        }

        /// max over the outputs v of v ^ (v >> 31) (-32768 when there were none).
        var folded: Int32 {
            let largest = Int32(max(high & 0xFFFF, high >> 16)) &- 32768
            let smallest = Int32(min(low & 0xFFFF, low >> 16)) &- 32768
            return max(largest, ~smallest)
        }
    }

    /// The signed low and high 16-bit halves of a word (the real and imaginary parts of a point).
    @inline(__always) static func low(_ w: UInt32) -> Int32 { Int32(Int16(truncatingIfNeeded: w)) }
    @inline(__always) static func high(_ w: UInt32) -> Int32 { Int32(bitPattern: w) &>> 16 }

    /// Two Int16 values (as Int32) packed into one word, `re` in the low half.
    @inline(__always) static func packed(_ re: Int32, _ im: Int32) -> UInt32 {
        UInt32(UInt16(truncatingIfNeeded: re)) | UInt32(bitPattern: im) << 16
    }
}

/// The optimised kernel's stage for one right shift S (0, 1 or 2): a generic value parameter,
/// so that every copy has its shift as a constant that folds into the adds and SSAT (as an
/// argument, the compiler kept one copy for two of the shifts with the shift in registers).
enum PackedStage<let S: Int> {
    /// The stage. (Q15FFTKernels.plainButterflies takes the twiddles that do not fit a half.)
    static func run(_ x: UnsafeMutablePointer<Int16>, n: Int, half: Int, inverse: Bool) -> Int32 {
        let s = S
        let stride = fftTableCircle / (2 * half)
        let sign: Int32 = inverse ? 1 : -1
        // The outputs' range, lane by lane (PeakLanes), and the plain butterflies' peak.
        var lanes = Q15FFTKernels.PeakLanes()
        var peak: Int32 = 0
        for j in 0..<half {
            let w = Q15FFT.twiddle(j * stride)
            let wr = w.cos, wi = sign &* w.sin
            if wr == 1 << 15 && wi == 0 {
                // w = 1: t = b * 2^15.
                butterflies(x, n: n, half: half, first: j, lanes: &lanes) { b in
                    (Q15FFTKernels.low(b) &<< 15, Q15FFTKernels.high(b) &<< 15)
                }
            } else if wr == 0 && wi == sign &* (1 << 15) {
                // w = -i (forward) or +i (inverse): t = (-+b.im, +-b.re) * 2^15.
                if inverse {
                    butterflies(x, n: n, half: half, first: j, lanes: &lanes) { b in
                        (0 &- (Q15FFTKernels.high(b) &<< 15), Q15FFTKernels.low(b) &<< 15)
                    }
                } else {
                    butterflies(x, n: n, half: half, first: j, lanes: &lanes) { b in
                        (Q15FFTKernels.high(b) &<< 15, 0 &- (Q15FFTKernels.low(b) &<< 15))
                    }
                }
            } else if wr.magnitude < 1 << 15 && wi.magnitude < 1 << 15 {
                // t.re = wr b.re - wi b.im (SMUSD), t.im = wr b.im + wi b.re (SMUADX).
                let packedW = UInt32(UInt16(truncatingIfNeeded: wr)) | UInt32(UInt16(truncatingIfNeeded: wi)) << 16
                butterflies(x, n: n, half: half, first: j, lanes: &lanes) { b in
                    (rephase_smusd(packedW, b), rephase_smuadx(packedW, b))
                }
            } else {
                Q15FFTKernels.plainButterflies(x, n: n, half: half, first: j, w: (wr, wi), shift: s, peak: &peak)
            }
        }
        return max(peak, lanes.folded &+ 1)
    }

    /// The butterflies starting at point `first`, with `products` giving t from the word of b.
    @inline(__always)
    static func butterflies(
        _ x: UnsafeMutablePointer<Int16>, n: Int, half: Int, first: Int, lanes: inout Q15FFTKernels.PeakLanes,
        _ products: (UInt32) -> (Int32, Int32)
    ) {
        let s = S
        // Wrapping index arithmetic: n <= 2048 bounds every index, and overflow checks in this
        // loop would cost a fifth of it.
        let words = UnsafeMutableRawPointer(x)
        // a * 2^(15-s) plus the rounding constant, to which the shifted products are added.
        @inline(__always) func lifted(_ v: Int32) -> Int32 { (v &<< (15 &- s)) &+ (1 << 14) }
        @inline(__always) func output(_ sum: Int32) -> Int32 { rephase_ssat16(sum &>> 15) }
        var a = first
        while a < n {
            let b = a &+ half
            let bw = words.loadUnaligned(fromByteOffset: 4 &* b, as: UInt32.self)
            let aw = words.loadUnaligned(fromByteOffset: 4 &* a, as: UInt32.self)
            let (tr, ti) = products(bw)
            let ar = lifted(Q15FFTKernels.low(aw)), ai = lifted(Q15FFTKernels.high(aw))
            let sumRe = output(ar &+ (tr &>> s)), sumIm = output(ai &+ (ti &>> s))
            let diffRe = output(ar &+ ((0 &- tr) &>> s)), diffIm = output(ai &+ ((0 &- ti) &>> s))
            let sum = Q15FFTKernels.packed(sumRe, sumIm), difference = Q15FFTKernels.packed(diffRe, diffIm)
            lanes.include(sum)
            lanes.include(difference)
            words.storeBytes(of: sum, toByteOffset: 4 &* a, as: UInt32.self)
            words.storeBytes(of: difference, toByteOffset: 4 &* b, as: UInt32.self)
            a &+= 2 &* half
        }
    }
}
