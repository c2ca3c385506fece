import RephaseIntrinsics

/// What the Q15 network's optimised kernels (Q15Convolution) share: the contract's
/// requantisation and combine, the valid-tap range of a bin, and the paired loads and SMLAD
/// dot products (RephaseIntrinsics) that the kernels are built of. Q15ReferenceConvolution
/// defines the arithmetic these must reproduce bit for bit.
enum Q15Arithmetic {
    /// What becomes of the requantised y: stored as is (the head, depthwise outputs), stored
    /// rectified (layer 0), or rectified and added, saturating, to what the output holds (the
    /// residual block's h = sat16(h + ReLU(y))). ConvolutionTile.Combine is the Float32
    /// kernels' choice; it has no `rectify` because the Float network rectifies layer 0's
    /// output in a pass of its own after FrequencyConvolution.dense, while here the one USAT
    /// that requantises also rectifies.
    enum Combine {
        case store
        case rectify
        case addRectified
    }

    /// y = sat16(acc >> r): an arithmetic shift and SSAT (the rounding constant is in the
    /// accumulator's start value). The layer's shift is in 1...30, so the mask `&>>` implies
    /// changes nothing.
    @inline(__always)
    static func requantize(_ acc: Int32, shift: Int32) -> Int16 {
        Int16(clamping: acc &>> shift)
    }

    /// MCNN's requantisation (Tools/mcnn/q15model.py), which keeps a 64-bit accumulator and a
    /// per-channel multiplier: y = sat16(rshift_round(acc M, r)) with 0 <= M < 2^31 and
    /// r >= 33. The quotient and its rounding bit then both lie in the high word of acc M,
    /// which is high(acc) M plus the high word of the unsigned product low(acc) M (modulo
    /// 2^32): one UMULL and one MLA on a 32-bit core, not a 64 x 64 multiply. Then
    /// t = high >> (r - 33) holds the quotient above its rounding bit: y = (t >> 1) + (t & 1).
    @inline(__always)
    static func requantize(_ acc: Int64, multiplier: Int32, shift: UInt8) -> Int16 {
        let lowProduct = UInt64(UInt32(truncatingIfNeeded: acc)) &* UInt64(UInt32(bitPattern: multiplier))
        let high = Int32(truncatingIfNeeded: acc &>> 32) &* multiplier &+ Int32(truncatingIfNeeded: lowProduct &>> 32)
        let t = high &>> (Int32(shift) &- 33)
        return Int16(clamping: (t &>> 1) &+ (t & 1))
    }

    /// The taps j of a kernel centred on bin k whose source k + (j - kernel/2) dilation lies in 0 ..< bins.
    @inline(__always)
    static func validTaps(bin k: Int, kernel: Int, dilation: Int, bins: Int) -> Range<Int> {
        var first = 0, end = kernel
        while first < end && k + (first - kernel / 2) * dilation < 0 { first += 1 }
        while end > first && k + (end - 1 - kernel / 2) * dilation >= bins { end -= 1 }
        return first..<end
    }

    /// The valid taps summed over all bins (the products of one channel): tap j, offset
    /// (j - kernel/2) dilation from its bin, lies inside for bins - |offset| bins. For the
    /// operation counts only, so the firmware, which compiles them out, never computes it.
    static func validTapCount(kernel: Int, dilation: Int, bins: Int) -> Int {
        (0..<kernel).reduce(0) { sum, j in sum + max(0, bins - abs(j - kernel / 2) * dilation) }
    }

    /// Four outputs' dot products over `count` int16 values: `x` against the four weight rows
    /// that start at `w`, `stride` values apart, added to `a`. Per pair of values one load of x
    /// serves four SMLADs, whose weight pairs sit at fixed offsets from one pointer; an odd
    /// last value takes one product per row. The pointers need no alignment (the M4 loads
    /// unaligned words).
    @inline(__always)
    static func dot4(_ x: UnsafePointer<Int16>, _ w: UnsafePointer<Int16>, stride: Int, count: Int, _ a: inout Accumulators4) {
        var p = 0
        while p &+ 1 < count {
            let v = pair(x + p), row = w + p
            a.0 = smlad(pair(row), v, a.0)
            a.1 = smlad(pair(row + stride), v, a.1)
            a.2 = smlad(pair(row + 2 &* stride), v, a.2)
            a.3 = smlad(pair(row + 3 &* stride), v, a.3)
            p &+= 2
        }
        if p < count {
            let v = Int32(x[p]), row = w + p
            a.0 &+= Int32(row[0]) &* v
            a.1 &+= Int32(row[stride]) &* v
            a.2 &+= Int32(row[2 &* stride]) &* v
            a.3 &+= Int32(row[3 &* stride]) &* v
        }
    }

    /// dot4 for two bins at once: `x` (into `a`) and `x + next` (into `b`) against the same
    /// four weight rows. Per pair of values two input loads and four weight loads serve eight
    /// SMLADs, and the loop's count, increment and branch serve eight too: the form for a
    /// loop of runtime length (layer 0). `count` must be even.
    @inline(__always)
    static func dot4x2(
        _ x: UnsafePointer<Int16>, next: Int, _ w: UnsafePointer<Int16>, stride: Int, count: Int,
        _ a: inout Accumulators4, _ b: inout Accumulators4
    ) {
        var p = 0
        while p < count {
            let u = pair(x + p), v = pair(x + (next &+ p)), row = w + p
            var r = pair(row)
            a.0 = smlad(r, u, a.0)
            b.0 = smlad(r, v, b.0)
            r = pair(row + stride)
            a.1 = smlad(r, u, a.1)
            b.1 = smlad(r, v, b.1)
            r = pair(row + 2 &* stride)
            a.2 = smlad(r, u, a.2)
            b.2 = smlad(r, v, b.2)
            r = pair(row + 3 &* stride)
            a.3 = smlad(r, u, a.3)
            b.3 = smlad(r, v, b.3)
            p &+= 2
        }
    }

    /// Two outputs' dot products for two bins at once: `x` (into `a`) and `x + next` (into
    /// `b`) against the weight rows at `w` and `w + stride`. Per pair of values two input loads
    /// and two weight loads serve four SMLADs. The form for a fully unrolled loop (the
    /// pointwise layers' 16 channels): its four accumulators, four operand words and two
    /// pointers leave the M4's registers room, where dot4x2's eight accumulators, scheduled
    /// across the unrolled loads, spilled to the stack. `count` must be even.
    @inline(__always)
    static func dot2x2(
        _ x: UnsafePointer<Int16>, next: Int, _ w: UnsafePointer<Int16>, stride: Int, count: Int,
        _ a: inout Accumulators2, _ b: inout Accumulators2
    ) {
        var p = 0
        while p < count {
            let u = pair(x + p), v = pair(x + (next &+ p)), r0 = pair(w + p), r1 = pair(w + (stride &+ p))
            a.0 = smlad(r0, u, a.0)
            b.0 = smlad(r0, v, b.0)
            a.1 = smlad(r1, u, a.1)
            b.1 = smlad(r1, v, b.1)
            p &+= 2
        }
    }

    /// dot2x2 with the two weight rows as row pairs (Q15Convolution.interleaveRowPairs): per
    /// pair of values one 64-bit load fetches both rows' weight words.
    @inline(__always)
    static func dot2x2(
        _ x: UnsafePointer<Int16>, next: Int, rowPairs r: UnsafePointer<UInt64>, count: Int,
        _ a: inout Accumulators2, _ b: inout Accumulators2
    ) {
        var p = 0
        while p < count {
            let u = pair(x + p), v = pair(x + (next &+ p)), q = r[p &>> 1]
            let r0 = UInt32(truncatingIfNeeded: q), r1 = UInt32(truncatingIfNeeded: q &>> 32)
            a.0 = smlad(r0, u, a.0)
            b.0 = smlad(r0, v, b.0)
            a.1 = smlad(r1, u, a.1)
            b.1 = smlad(r1, v, b.1)
            p &+= 2
        }
    }

    /// Two outputs' accumulators (dot2x2), in registers.
    typealias Accumulators2 = (Int32, Int32)

    /// One depthwise tap of a pair of channels: the input word `t` holds both channels' values
    /// at the tap and `weight` both channels' weights, the first channel in the low halves;
    /// SMLABB adds the low product to `a.0`, SMLATT the high one to `a.1` (no repacking).
    @inline(__always)
    static func channelPairTap(_ t: UInt32, _ weight: UInt32, _ a: inout Accumulators2) {
        a.0 = smlabb(t, weight, a.0)
        a.1 = smlatt(t, weight, a.1)
    }

    /// All `outputs` of one bin, four at a time (dot4 and finish4): the weight rows of output
    /// o start at w + o stride, the start values at `starts`, the outputs at `row`.
    @inline(__always)
    static func oneBin(
        _ x: UnsafePointer<Int16>, _ w: UnsafePointer<Int16>, stride: Int, count: Int, starts: UnsafePointer<Int32>,
        outputs: Int, row: UnsafeMutablePointer<Int16>, shift: Int32, _ how: Combine
    ) {
        var o = 0
        while o < outputs {
            var a = load4(starts + o)
            dot4(x, w + o &* stride, stride: stride, count: count, &a)
            finish4(a, row: row + o, shift: shift, how)
            o &+= 4
        }
    }

    /// Four outputs' accumulators (dot4), in registers.
    typealias Accumulators4 = (Int32, Int32, Int32, Int32)

    /// Requantises four accumulators and combines them into outputs 0 ..< 4 from `row` (finish2 twice).
    @inline(__always)
    static func finish4(_ a: Accumulators4, row: UnsafeMutablePointer<Int16>, shift: Int32, _ how: Combine) {
        finish2((a.0, a.1), row: row, shift: shift, how)
        finish2((a.2, a.3), row: row + 2, shift: shift, how)
    }

    /// Requantises two accumulators and combines them into outputs 0 and 1 from `row`, as one
    /// word: requantised (rectified: clamped to 0 ... 32767, which is ReLU(sat16(y)) in one
    /// USAT), packed and stored, or, for `.addRectified`, added to the word of h it replaces
    /// by one QADD16 (sat16(h + ReLU(y)) for both halves). Callers specialise `how` outside
    /// their loops (a constant here, so no test per output).
    @inline(__always)
    static func finish2(_ a: Accumulators2, row: UnsafeMutablePointer<Int16>, shift: Int32, _ how: Combine) {
        let y = requantize(a.0, a.1, shift: shift, rectified: how != .store)
        let word = UnsafeMutableRawPointer(row)
        word.storeBytes(of: how == .addRectified ? qadd16(word.loadUnaligned(as: UInt32.self), y) : y, as: UInt32.self)
    }

    /// Two accumulators requantised (and rectified when asked) into one word, the first in its low half.
    @inline(__always)
    static func requantize(_ a0: Int32, _ a1: Int32, shift: Int32, rectified: Bool) -> UInt32 {
        func one(_ acc: Int32) -> UInt32 {
            let y = acc &>> shift
            return UInt32(UInt16(truncatingIfNeeded: rectified ? rephase_usat15(y) : rephase_ssat16(y)))
        }
        return packLowHalves(one(a0), one(a1))
    }

    /// The same combine for every value of `how`, each a copy of `body` with `how` constant,
    /// so that the loops inside test it at compile time, not per output.
    @inline(__always)
    static func specialised(_ how: Combine, _ body: (Combine) -> Void) {
        switch how {
        case .store: body(.store)
        case .rectify: body(.rectify)
        case .addRectified: body(.addRectified)
        }
    }

    /// Whether the intrinsics are the DSP instructions (a Cortex-M4 or M7 build) rather than
    /// their portable fallbacks.
    static var hasDualMAC: Bool { rephase_has_dsp() != 0 }

    /// The shifts `specialised(_:_:)` gives a copy of their own.
    static var immediateShifts: ClosedRange<Int32> { 12...16 }

    /// The same body for every shift, each copy with the shift 12 to 16 constant.
    @inline(__always)
    static func specialised(_ shift: Int32, _ body: (Int32) -> Void) {
        switch shift {
        case 12: body(12)
        case 13: body(13)
        case 14: body(14)
        case 15: body(15)
        case 16: body(16)
        default: body(shift)
        }
    }

    /// The four start values from `starts`.
    @inline(__always)
    static func load4(_ starts: UnsafePointer<Int32>) -> Accumulators4 { (starts[0], starts[1], starts[2], starts[3]) }

    /// SMLAD: acc + x.lo y.lo + x.hi y.hi over the signed 16-bit halves, in 32 bits (the
    /// contract's bound keeps it from overflowing).
    @inline(__always)
    static func smlad(_ x: UInt32, _ y: UInt32, _ acc: Int32) -> Int32 { rephase_smlad(x, y, acc) }

    /// SMLABB: acc + x.lo y.lo over the signed low halves (the contract's bound keeps it exact).
    @inline(__always)
    static func smlabb(_ x: UInt32, _ y: UInt32, _ acc: Int32) -> Int32 { rephase_smlabb(x, y, acc) }

    /// SMLATT: acc + x.hi y.hi over the signed high halves.
    @inline(__always)
    static func smlatt(_ x: UInt32, _ y: UInt32, _ acc: Int32) -> Int32 { rephase_smlatt(x, y, acc) }

    /// QADD16: both signed halves added, each saturated to int16.
    @inline(__always)
    static func qadd16(_ x: UInt32, _ y: UInt32) -> UInt32 { rephase_qadd16(x, y) }

    /// PKHBT: the low halves of `low` and `high`, `low`'s below.
    @inline(__always)
    static func packLowHalves(_ low: UInt32, _ high: UInt32) -> UInt32 { rephase_pack_low_halves(low, high) }

    /// PKHTB: the high halves of `low` and `high`, `low`'s below.
    @inline(__always)
    static func packHighHalves(_ low: UInt32, _ high: UInt32) -> UInt32 { rephase_pack_high_halves(low, high) }

    /// The int16 values at p and p + 1 as one word, p's in the low half (little-endian).
    @inline(__always)
    static func pair(_ p: UnsafePointer<Int16>) -> UInt32 {
        UnsafeRawPointer(p).loadUnaligned(as: UInt32.self)
    }

    /// Runs `body` with the base addresses of a layer's input, weights, start values and output.
    @inline(__always)
    static func withPointers(
        _ input: Span<Int16>, _ weights: Span<Int16>, _ starts: Span<Int32>, _ output: inout MutableSpan<Int16>,
        _ body: (UnsafePointer<Int16>, UnsafePointer<Int16>, UnsafePointer<Int32>, UnsafeMutablePointer<Int16>) -> Void
    ) {
        input.withUnsafeBufferPointer { x in
            weights.withUnsafeBufferPointer { w in
                starts.withUnsafeBufferPointer { c in
                    output.withUnsafeMutableBufferPointer { y in body(x.baseAddress!, w.baseAddress!, c.baseAddress!, y.baseAddress!) }
                }
            }
        }
    }

    /// How a kernel's inner loop spends instructions on its products, per eight of them
    /// (eight SMLADs, or eight SMLABB/SMLATT of the depthwise runs, each one cycle on an M4).
    struct Products {
        /// Operand loads (input and weight words) per eight.
        var loads: Int
        /// Instructions the loop's count, increment and branch add per eight, and of those branches.
        var loop: Int, branches: Int
        /// PKHBT/PKHTB regrouping the input per eight (the depthwise general path).
        var packs = 0
        /// MACs per product: 2 for SMLAD, 1 for SMLABB and SMLATT.
        var macsPerProduct = 2

        /// dot2x2, unrolled (pointwise layers): two input and two weight words per four SMLADs.
        /// The square pointwise layers fetch their two weight words with one LDRD
        /// (Q15Convolution.interleaveRowPairs): one instruction fewer, but 3 cycles on the M4,
        /// what two LDRs take, so the same charge.
        static let twoByTwo = Products(loads: 8, loop: 0, branches: 0)
        /// dot4x2 in a runtime loop (layer 0): six words per eight SMLADs and one loop step,
        /// plus what the M4 build adds (QEMU counts about 25 instructions per eight): two
        /// reloads of spilled registers and six of address arithmetic.
        static let fourByTwo = Products(loads: 8, loop: 9, branches: 1)
        /// The depthwise runs: one input word per SMLABB and SMLATT, the weights in registers;
        /// most bins go in pairs that share four of their six words (Q15Convolution.fiveTapPair).
        static let depthwiseRuns = Products(loads: 3, loop: 0, branches: 0, macsPerProduct: 1)
        /// The depthwise general path: two input words, two packs and two weight words per two SMLADs.
        static let depthwiseGeneral = Products(loads: 16, loop: 12, branches: 4, packs: 8)
    }

    /// A call's operations: `macs` products as `products` says; per bin the valid-tap search
    /// (two compares per tap) where `searched`; per output the start value (one load per
    /// two), the shift and saturation (one instruction for the `immediate` outputs, whose
    /// copy has the shift as SSAT's or USAT's operand), a pack per two, the combine (QADD16
    /// and the load of h per two) and one store per two; per two outputs the loop around the
    /// products.
    static func convolutionMix(
        macs: Int, _ products: Products, outputs: Int, immediate: Int = 0, searched bins: Int, kernel: Int, _ how: Combine
    ) -> OperationMix {
        let eights = macs / products.macsPerProduct / 8
        let combine = how == .addRectified ? OperationMix(integer: 1, load: 1) : OperationMix()
        return OperationMix(integer: products.loop - products.branches + products.packs, dualMultiply: 8,
                            load: products.loads, branch: products.branches) * eights
            + OperationMix(integer: 4, branch: 2) * (bins * kernel)
            + (OperationMix(integer: 5, load: 1, store: 1, branch: 1) + combine) * (outputs / 2)
            + OperationMix(integer: 2, branch: 1) * (outputs / 2)
            + OperationMix(integer: -1) * immediate
    }
}
