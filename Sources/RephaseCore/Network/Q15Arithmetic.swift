import RephaseIntrinsics

/// What the Q15 network's optimised kernels (Q15Convolution) share: the contract's
/// requantisation and combine in their fastest exact forms, the valid-tap range of a bin, and
/// the paired loads and SMLALD dot products (RephaseIntrinsics) that the kernels are built of.
/// Q15ReferenceConvolution defines the arithmetic these must reproduce bit for bit.
enum Q15Arithmetic {
    /// What becomes of the requantised y: stored as is (the head, depthwise outputs), stored
    /// rectified (layer 0), or rectified and added, saturating, to what the output holds (the
    /// residual block's h = sat16(h + ReLU(y))).
    enum Combine {
        case store
        case rectify
        case addRectified
    }

    /// y = sat16(rshift_round(acc M, r)). With r >= 33 the quotient and its rounding bit both
    /// lie in the high word of acc M, and with 0 <= M < 2^31 that word is high(acc) M plus the
    /// high word of the unsigned product low(acc) M (modulo 2^32): one UMULL and one MLA on a
    /// 32-bit core, not a 64 x 64 multiply. Then t = high >> (r - 33) holds the quotient above
    /// its rounding bit: y = (t >> 1) + (t & 1).
    @inline(__always)
    static func requantize(_ acc: Int64, multiplier: Int32, shift: UInt8) -> Int16 {
        let lowProduct = UInt64(UInt32(truncatingIfNeeded: acc)) &* UInt64(UInt32(bitPattern: multiplier))
        let high = Int32(truncatingIfNeeded: acc &>> 32) &* multiplier &+ Int32(truncatingIfNeeded: lowProduct &>> 32)
        let t = high &>> (Int32(shift) &- 33)
        return Int16(clamping: (t &>> 1) &+ (t & 1))
    }

    @inline(__always)
    static func combine(_ y: Int16, into output: UnsafeMutablePointer<Int16>, _ how: Combine) {
        switch how {
        case .store: output.pointee = y
        case .rectify: output.pointee = max(y, 0)
        case .addRectified: output.pointee = Int16(clamping: Int32(output.pointee) &+ Int32(max(y, 0)))
        }
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

    /// Two outputs' dot products over `count` int16 values: `x` against `w0` and against `w1`,
    /// added to `a0` and `a1`. Pairs by SMLALD (one load of x serves both), an odd last value
    /// by one product each. The pointers need no alignment (the M4 loads unaligned words).
    @inline(__always)
    static func dot2(
        _ x: UnsafePointer<Int16>, _ w0: UnsafePointer<Int16>, _ w1: UnsafePointer<Int16>, count: Int,
        _ a0: inout Int64, _ a1: inout Int64
    ) {
        var p = 0
        while p &+ 1 < count {
            let v = pair(x + p)
            a0 = smlald(pair(w0 + p), v, a0)
            a1 = smlald(pair(w1 + p), v, a1)
            p &+= 2
        }
        if p < count {
            a0 &+= Int64(Int32(w0[p]) &* Int32(x[p]))
            a1 &+= Int64(Int32(w1[p]) &* Int32(x[p]))
        }
    }

    /// SMLALD: acc + x.lo y.lo + x.hi y.hi over the signed 16-bit halves, exact in 64 bits.
    @inline(__always)
    static func smlald(_ x: UInt32, _ y: UInt32, _ acc: Int64) -> Int64 { rephase_smlald(x, y, acc) }

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

    /// Requantises and stores outputs o and o + 1 of row `row` (rows of `outputs` channels).
    @inline(__always)
    static func finish2(
        _ a0: Int64, _ a1: Int64, output o: Int, row: UnsafeMutablePointer<Int16>,
        multipliers m: UnsafePointer<Int32>, shifts s: UnsafePointer<UInt8>, _ how: Combine
    ) {
        combine(requantize(a0, multiplier: m[o], shift: s[o]), into: row + o, how)
        combine(requantize(a1, multiplier: m[o &+ 1], shift: s[o &+ 1]), into: row + (o &+ 1), how)
    }

    /// Runs `body` with the base addresses of a layer's input, weights, tables and output.
    @inline(__always)
    static func withPointers(
        _ input: Span<Int16>, _ weights: Span<Int16>, _ biases: Span<Int64>, _ multipliers: Span<Int32>, _ shifts: Span<UInt8>,
        _ output: inout MutableSpan<Int16>,
        _ body: (UnsafePointer<Int16>, UnsafePointer<Int16>, UnsafePointer<Int64>, UnsafePointer<Int32>, UnsafePointer<UInt8>,
                 UnsafeMutablePointer<Int16>) -> Void
    ) {
        input.withUnsafeBufferPointer { x in
            weights.withUnsafeBufferPointer { w in
                biases.withUnsafeBufferPointer { b in
                    multipliers.withUnsafeBufferPointer { m in
                        shifts.withUnsafeBufferPointer { s in
                            output.withUnsafeMutableBufferPointer { y in
                                body(x.baseAddress!, w.baseAddress!, b.baseAddress!, m.baseAddress!, s.baseAddress!, y.baseAddress!)
                            }
                        }
                    }
                }
            }
        }
    }

    /// A call's operations. Per pair of MACs one SMLALD and the load of its weight pair; the
    /// input pair's load is shared by `pairsPerSharedLoad` outputs (depthwise: one input load
    /// and one pack per pair); per two pairs the loop's increment, compare and branch; per bin
    /// the valid-tap search (two compares per tap); per output the bias load, the UMULL and
    /// MLA, the shifts, rounding and saturation, the combine and the store.
    static func convolutionMix(
        macs: Int, pairsPerSharedLoad: Int, packs: Bool = false, outputs: Int, bins: Int, kernel: Int, _ how: Combine
    ) -> OperationMix {
        let pairs = macs / 2
        let combineCost = how == .addRectified ? OperationMix(integer: 3, load: 1) : how == .rectify ? OperationMix(integer: 1) : OperationMix()
        let perPair = packs ? OperationMix(integer: 1, dualMultiply: 1, load: 2) : OperationMix(dualMultiply: 1, load: 1)
        return perPair * pairs + OperationMix(load: 1) * (packs ? 0 : pairs / pairsPerSharedLoad)
            + OperationMix(integer: 2, branch: 1) * (pairs / 2)
            + OperationMix(integer: 4, branch: 2) * (bins * kernel)
            + (OperationMix(integer: 8, multiply: 2, load: 4, store: 1, branch: 1) + combineCost) * outputs
    }
}
