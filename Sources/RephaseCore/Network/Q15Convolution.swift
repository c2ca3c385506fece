/// The Q15 network's convolutions as a Cortex-M4 runs them fastest: the integer twins of
/// FrequencyConvolution's dense, depthwise and pointwise convolutions, bit for bit the arithmetic that
/// Q15ReferenceConvolution defines (formats, rounding and saturation are documented there)
/// and Tools/cnn/q15model.py models.
///
/// Products are taken two at a time: a 32-bit load fetches a pair of adjacent int16 values
/// and SMLAD (RephaseIntrinsics) adds both products of two such pairs to a 32-bit
/// accumulator in one instruction (the contract's bound keeps it exact). Every output is
/// accumulated in registers over all its taps and channels, and four outputs share each
/// load of the input (the depthwise layers: two channels share each load). The taps that
/// fall in the padding are skipped by computing each bin's valid tap range, not by a test
/// per product. The layer's shift stays in a register (the pointwise layers: see there). Raw pointers inside the ranges the
/// preconditions check, and wrapping index arithmetic: bounds and overflow checks in the tap
/// loops would cost more than the products. The network's hidden width is the generic
/// parameter `Channels` (the depthwise layers' channels, the pointwise layers' inputs, layer
/// 0's outputs), so that each layer's inner loops are specialised for it and unroll.
enum Q15Convolution<let Channels: Int> {
    /// A dense convolution along bins with dilation 1 (layer 0), from `inputChannels` input
    /// channels to `Channels` outputs: output[k][o] = combine(requantise(start[o] + sum_i sum_j
    /// w[o][i][j] input[k + j - kernel/2][i])). weights: [Channels][inputChannels][kernel]
    /// (PyTorch's order); starts: [Channels].
    /// With dilation 1 the valid taps of bin k are one contiguous run of the bin-major input,
    /// ordered [tap][channel]; the weights are transposed to that order once per call, into
    /// rows of a fixed 32 values (a stack buffer of 512), zero beyond the run. The fixed row
    /// length lets the four rows of dot4 sit at constant offsets from one pointer (a runtime
    /// stride cost four pointers, and the registers ran out). A bin whose taps all lie inside
    /// takes its run rounded up to a whole number of pairs; the last pair then reads one input
    /// value past the run (times a zero weight): the input must hold one value beyond its bins
    /// when the run is odd. Two such bins in a row go together: unrolled two outputs at a time
    /// (dot2x2) for the networks' runs of 26 and 20 values, else four at a time in a loop (dot4x2).
    static func dense(
        input: Span<Int16>, inputChannels: Int, weights: Span<Int16>, kernel: Int, starts: Span<Int32>, shift: Int32,
        output: inout MutableSpan<Int16>, bins: Int, combine how: Q15Arithmetic.Combine
    ) {
        let run = kernel * inputChannels, padded = run + run % 2, rowLength = 32
        // The networks' shapes (5 or 4 input rows, a kernel of 5), whose whole bins unroll.
        let unrolls = (inputChannels == 5 && padded == 26) || (inputChannels == 4 && padded == 20)
        precondition(input.count >= bins * inputChannels + run % 2 && output.count >= bins * Channels && Channels % 4 == 0
            && starts.count == Channels && weights.count == Channels * run && padded <= rowLength && rowLength * Channels <= 512)
        var tapMajor = InlineArray<512, Int16>(repeating: 0)
        for o in 0..<Channels {
            for i in 0..<inputChannels {
                for j in 0..<kernel { tapMajor[o * rowLength + j * inputChannels + i] = weights[o * run + i * kernel + j] }
            }
        }
        Q15Arithmetic.withPointers(input, tapMajor.span, starts, &output) { x, w, c, y in
            Q15Arithmetic.specialised(how) { how in
                var k = 0
                while k < bins {
                    let valid = Q15Arithmetic.validTaps(bin: k, kernel: kernel, dilation: 1, bins: bins)
                    let source = x + (k &+ valid.lowerBound &- kernel / 2) &* inputChannels
                    let whole = valid.count == kernel, row = y + k &* Channels
                    // Two whole bins share the weight loads (their taps are the same rows).
                    let twoBins = whole && k &+ 1 < bins && k &+ 1 &+ kernel / 2 < bins
                    let count = whole ? padded : valid.count &* inputChannels
                    let rows = w + valid.lowerBound &* inputChannels
                    var o = 0
                    // Two whole bins of the networks' shapes: a constant run, fully unrolled,
                    // two outputs at a time (dot2x2).
                    @inline(__always)
                    func unrolled(next: Int, count: Int) {
                        while o < Channels {
                            var a = (c[o], c[o &+ 1]), b = a
                            Q15Arithmetic.dot2x2(source, next: next, rows + o &* rowLength, stride: rowLength, count: count, &a, &b)
                            Q15Arithmetic.finish2(a, row: row + o, shift: shift, how)
                            Q15Arithmetic.finish2(b, row: row + (Channels &+ o), shift: shift, how)
                            o &+= 2
                        }
                    }
                    if twoBins && unrolls {
                        // Literals, so that the loop unrolls (count is `padded` for whole bins).
                        if inputChannels == 5 { unrolled(next: 5, count: 26) } else { unrolled(next: 4, count: 20) }
                    } else if twoBins {
                        while o < Channels {
                            var a = Q15Arithmetic.load4(c + o), b = a
                            Q15Arithmetic.dot4x2(source, next: inputChannels, rows + o &* rowLength, stride: rowLength, count: count, &a, &b)
                            Q15Arithmetic.finish4(a, row: row + o, shift: shift, how)
                            Q15Arithmetic.finish4(b, row: row + (Channels &+ o), shift: shift, how)
                            o &+= 4
                        }
                    } else {
                        Q15Arithmetic.oneBin(source, rows, stride: rowLength, count: count, starts: c, outputs: Channels, row: row, shift: shift, how)
                    }
                    k &+= twoBins ? 2 : 1
                }
            }
        }
        OperationCounter.record(.network, Q15Arithmetic.convolutionMix(
            macs: Q15Arithmetic.validTapCount(kernel: kernel, dilation: 1, bins: bins) * Channels * inputChannels,
            unrolls ? .twoByTwo : .fourByTwo,
            outputs: bins * Channels, searched: bins, kernel: kernel, how)
            + OperationMix(integer: 2, load: 1, store: 1, branch: 1) * (Channels * run))
    }

    /// A depthwise convolution along bins: output[k][c] = requantise(start[c] + sum_j w[c][j]
    /// input[k + (j - kernel/2) dilation][c]), stored as is. weights: [channels][kernel] (channels = Channels).
    /// Channels go in pairs: one word load fetches both channels' input at a tap. With the
    /// network's kernel of 5 and at least 4 dilation bins, the bins fall in five runs of one
    /// valid tap set each (the first dilation bins lack taps 0 and 1, the next taps 0, ...),
    /// and each run goes through fiveTaps with that set fixed (the run with all five taps
    /// mostly in pairs of bins, fiveTapPair, in a copy per shift from 12 to 16 as in pointwise:
    /// 13 kB more flash, 22 k fewer instructions per frame of the strided network on the M4);
    /// other shapes take the general
    /// path, where PKHBT and PKHTB regroup two taps' words into each channel's pair of taps for SMLAD.
    /// `channels` (pairs, so even bounds) restricts it to those channels' outputs, so that a
    /// layer can be spread over several calls (the strided estimator's two hops).
    static func depthwise(
        input: Span<Int16>, weights: Span<Int16>, kernel: Int, dilation: Int,
        starts: Span<Int32>, shift: Int32, output: inout MutableSpan<Int16>, bins: Int, channels: Range<Int> = 0..<Channels
    ) {
        precondition(input.count >= bins * Channels && output.count >= bins * Channels && weights.count == Channels * kernel
            && Channels % 2 == 0 && starts.count == Channels && dilation > 0
            && channels.clamped(to: 0..<Channels) == channels && channels.lowerBound % 2 == 0 && channels.upperBound % 2 == 0)
        let runs = kernel == 5 && bins >= 4 * dilation
        Q15Arithmetic.withPointers(input, weights, starts, &output) { x, w, start, y in
            let step = dilation &* Channels
            var c = channels.lowerBound
            while c < channels.upperBound {
                let w0 = w + (c &* kernel), w1 = w0 + kernel
                let start0 = start[c], start1 = start[c &+ 1]
                if runs {
                    // Each tap's two weights in one word, channel c's in the low half: SMLABB
                    // multiplies the low halves of a tap's input word (both channels) and its
                    // weight word, SMLATT the high halves, so the input needs no repacking and
                    // the five weight words, the start values and the pointers stay in registers.
                    func taps(_ j: Int) -> UInt32 { Q15Arithmetic.packLowHalves(UInt32(UInt16(bitPattern: w0[j])), UInt32(UInt16(bitPattern: w1[j]))) }
                    let weights = (taps(0), taps(1), taps(2), taps(3), taps(4)), starts = start + c
                    // The network's dilations as constants, so that the taps' offsets are
                    // immediates of the loads and no register holds a pointer per tap.
                    switch dilation {
                    case 1: fiveTapRuns(x + c, dilation: 1, weights, starts, shift: shift, output: y + c, bins: bins)
                    case 2: fiveTapRuns(x + c, dilation: 2, weights, starts, shift: shift, output: y + c, bins: bins)
                    case 4: fiveTapRuns(x + c, dilation: 4, weights, starts, shift: shift, output: y + c, bins: bins)
                    case 8: fiveTapRuns(x + c, dilation: 8, weights, starts, shift: shift, output: y + c, bins: bins)
                    default: fiveTapRuns(x + c, dilation: dilation, weights, starts, shift: shift, output: y + c, bins: bins)
                    }
                } else {
                    for k in 0..<bins {
                        let valid = Q15Arithmetic.validTaps(bin: k, kernel: kernel, dilation: dilation, bins: bins)
                        var a0 = start0, a1 = start1
                        var source = x + ((k &+ (valid.lowerBound &- kernel / 2) &* dilation) &* Channels &+ c)
                        var j = valid.lowerBound
                        while j &+ 1 < valid.upperBound {
                            let near = Q15Arithmetic.pair(source), far = Q15Arithmetic.pair(source + step)
                            a0 = Q15Arithmetic.smlad(Q15Arithmetic.packLowHalves(near, far), Q15Arithmetic.pair(w0 + j), a0)
                            a1 = Q15Arithmetic.smlad(Q15Arithmetic.packHighHalves(near, far), Q15Arithmetic.pair(w1 + j), a1)
                            source += 2 &* step
                            j &+= 2
                        }
                        if j < valid.upperBound {
                            a0 &+= Int32(w0[j]) &* Int32(source[0])
                            a1 &+= Int32(w1[j]) &* Int32(source[1])
                        }
                        let row = y + (k &* Channels &+ c)
                        row[0] = Q15Arithmetic.requantize(a0, shift: shift)
                        row[1] = Q15Arithmetic.requantize(a1, shift: shift)
                    }
                }
                c &+= 2
            }
        }
        // The paired bins' copies (fiveTapRuns) have the shift as an immediate.
        OperationCounter.record(.network, Q15Arithmetic.convolutionMix(
            macs: Q15Arithmetic.validTapCount(kernel: kernel, dilation: dilation, bins: bins) * channels.count,
            runs ? .depthwiseRuns : .depthwiseGeneral, outputs: bins * channels.count,
            immediate: runs && Q15Arithmetic.immediateShifts.contains(shift)
                ? max(0, (bins - 4 * dilation) / (2 * dilation)) * 2 * dilation * channels.count : 0,
            searched: runs ? 0 : bins, kernel: kernel, .store))
    }

    /// All bins of one pair of channels (x and output start at the pair's first channel) for
    /// a kernel of 5, in the five runs of one valid tap set each (bins >= 4 dilation).
    @inline(__always)
    static func fiveTapRuns(
        _ x: UnsafePointer<Int16>, dilation d: Int, _ w: (UInt32, UInt32, UInt32, UInt32, UInt32), _ starts: UnsafePointer<Int32>,
        shift: Int32, output y: UnsafeMutablePointer<Int16>, bins: Int
    ) {
        @inline(__always)
        func run(_ taps: Range<Int>, _ bins: Range<Int>) {
            // The run's first bin's first valid tap, at bin + (taps.lowerBound - 2) d.
            let source = x + (bins.lowerBound &+ (taps.lowerBound &- 2) &* d) &* Channels
            fiveTaps(source, step: d &* Channels, taps: taps, w, starts, shift: shift,
                     row: UnsafeMutableRawPointer(y + bins.lowerBound &* Channels), bins: bins.count)
        }
        run(2..<5, 0..<d)
        run(1..<5, d..<(2 &* d))
        // The bins with all five taps go in pairs d apart, which share four of their six
        // input words (bin k's taps 1 to 4 are bin k + d's taps 0 to 3): per group of 2d bins,
        // each of its first d bins with its partner d later; the bins left over go alone.
        let last = bins &- 2 &* d, groups = (last &- 2 &* d) / (2 &* d)
        if groups > 0 {
            // One pointer walks the groups (the outputs lie at a fixed distance from the
            // inputs), so that the weights, the accumulators and the pointer fit the registers.
            // The shift an immediate operand as in pointwise, leaving its register to the loop.
            Q15Arithmetic.specialised(shift) { shift in
                var source = x
                let end = x + groups &* 2 &* d &* Channels, outputs = UnsafeRawPointer(x).distance(to: UnsafeRawPointer(y + 2 &* d &* Channels))
                repeat {
                    for b in 0..<d {
                        fiveTapPair(source + b &* Channels, step: d &* Channels, w, starts, shift: shift,
                                    row: UnsafeMutableRawPointer(mutating: source + b &* Channels) + outputs, partner: 2 &* d &* Channels)
                    }
                    source += 2 &* d &* Channels
                } while source != end
            }
        }
        let k = 2 &* d &+ groups &* 2 &* d
        run(0..<5, k..<last)
        run(0..<4, last..<(bins &- d))
        run(0..<3, (bins &- d)..<bins)
    }

    /// Two bins d apart of one pair of channels with all five taps: `x` is the first bin's
    /// first tap, `step` the taps' distance (d Channels values), `partner` the byte distance
    /// of the second bin's outputs from the first's. Six input words for both bins' twenty
    /// products (SMLABB and SMLATT per tap and bin).
    @inline(__always)
    static func fiveTapPair(
        _ x: UnsafePointer<Int16>, step: Int, _ w: (UInt32, UInt32, UInt32, UInt32, UInt32), _ starts: UnsafePointer<Int32>,
        shift: Int32, row: UnsafeMutableRawPointer, partner: Int
    ) {
        var a = (starts[0], starts[1]), b = a
        var t = Q15Arithmetic.pair(x)
        Q15Arithmetic.channelPairTap(t, w.0, &a)
        t = Q15Arithmetic.pair(x + step)
        Q15Arithmetic.channelPairTap(t, w.1, &a)
        Q15Arithmetic.channelPairTap(t, w.0, &b)
        t = Q15Arithmetic.pair(x + 2 &* step)
        Q15Arithmetic.channelPairTap(t, w.2, &a)
        Q15Arithmetic.channelPairTap(t, w.1, &b)
        t = Q15Arithmetic.pair(x + 3 &* step)
        Q15Arithmetic.channelPairTap(t, w.3, &a)
        Q15Arithmetic.channelPairTap(t, w.2, &b)
        t = Q15Arithmetic.pair(x + 4 &* step)
        Q15Arithmetic.channelPairTap(t, w.4, &a)
        Q15Arithmetic.channelPairTap(t, w.3, &b)
        t = Q15Arithmetic.pair(x + 5 &* step)
        Q15Arithmetic.channelPairTap(t, w.4, &b)
        row.storeBytes(of: Q15Arithmetic.requantize(a.0, a.1, shift: shift, rectified: false), as: UInt32.self)
        row.storeBytes(of: Q15Arithmetic.requantize(b.0, b.1, shift: shift, rectified: false), toByteOffset: partner, as: UInt32.self)
    }

    /// `bins` consecutive bins of one pair of channels with the valid taps `taps` of five,
    /// `step` values apart, from `x` (the first bin's first valid tap): per bin one input word
    /// per tap, one SMLABB and one SMLATT per tap with the taps' weight words, and both
    /// outputs requantised into one stored word.
    @inline(__always)
    static func fiveTaps(
        _ x: UnsafePointer<Int16>, step: Int, taps: Range<Int>, _ w: (UInt32, UInt32, UInt32, UInt32, UInt32),
        _ starts: UnsafePointer<Int32>, shift: Int32, row: UnsafeMutableRawPointer, bins: Int
    ) {
        var source = x, row = row
        for _ in 0..<bins {
            var a = (starts[0], starts[1])
            @inline(__always)
            func tap(_ j: Int, _ weight: UInt32) {
                guard taps.contains(j) else { return }
                Q15Arithmetic.channelPairTap(Q15Arithmetic.pair(source + (j &- taps.lowerBound) &* step), weight, &a)
            }
            tap(0, w.0)
            tap(1, w.1)
            tap(2, w.2)
            tap(3, w.3)
            tap(4, w.4)
            row.storeBytes(of: Q15Arithmetic.requantize(a.0, a.1, shift: shift, rectified: false), as: UInt32.self)
            source += Channels
            row += 2 &* Channels
        }
    }

    /// A pointwise (1 x 1) convolution: output[k][o] = combine(requantise(start[o] + sum_i
    /// w[o][i] input[k][i])). weights: [outputs][Channels], outputs a multiple of 4.
    /// Bins go in pairs (dot2x2), the last alone when their count is odd. The layers that hold
    /// most of the network's products (the blocks': as many outputs as inputs) read their
    /// weights as row pairs (interleaveRowPairs, 512 bytes of stack) where `rowPairs` (by
    /// default on cores with the DSP instructions: on x86_64 the plain rows let LLVM
    /// vectorise the fallbacks, and the row pairs made the host 1.4x slower) and have a copy per shift
    /// from 12 to 16 (where the quantiser puts these networks' shifts), so that the shift is an
    /// immediate operand of USAT and SSAT and the second bin's outputs lie at a constant
    /// offset, which leaves registers free (on the M4, per frame of the strided network: 16 k
    /// fewer instructions from the copies, for 14 kB of flash, and 16 k from the row pairs);
    /// any other shift or width takes the general copy.
    static func pointwise(
        input: Span<Int16>, weights: Span<Int16>, starts: Span<Int32>, shift: Int32,
        output: inout MutableSpan<Int16>, bins: Int, combine how: Q15Arithmetic.Combine,
        rowPairs: Bool = Q15Arithmetic.hasDualMAC
    ) {
        let outputs = starts.count, square = outputs == Channels && Channels * Channels <= 256
        precondition(input.count >= bins * Channels && output.count >= bins * outputs && outputs % 4 == 0
            && weights.count == outputs * Channels)
        Q15Arithmetic.withPointers(input, weights, starts, &output) { x, w, c, y in
            Q15Arithmetic.specialised(how) { how in
                if square && rowPairs {
                    var pairs = InlineArray<64, UInt64>(repeating: 0)
                    interleaveRowPairs(w, into: &pairs)
                    withUnsafePointer(to: &pairs) { pairs in
                        let r = UnsafeRawPointer(pairs).assumingMemoryBound(to: UInt64.self)
                        Q15Arithmetic.specialised(shift) { shift in
                            squareBins(x, r, w, starts: c, y, bins: bins, shift: shift, how)
                        }
                    }
                } else if square && !Q15Arithmetic.hasDualMAC {
                    // (A DSP build sends an explicit `rowPairs: false` to the general copy
                    // below, so that its image carries one set of shift copies, not two.)
                    Q15Arithmetic.specialised(shift) { shift in
                        pointwiseBins(x, w, starts: c, y, outputs: Channels, bins: bins, shift: shift, how)
                    }
                } else {
                    pointwiseBins(x, w, starts: c, y, outputs: outputs, bins: bins, shift: shift, how)
                }
            }
        }
        // The square layers: the shift an immediate, and the row pairs as the Cortex-M4 build
        // makes them whatever this build's `rowPairs` (two loads, a shift, an OR and a store
        // per word, and their loops).
        OperationCounter.record(.network, Q15Arithmetic.convolutionMix(
            macs: bins * outputs * Channels, .twoByTwo, outputs: bins * outputs,
            immediate: square && Q15Arithmetic.immediateShifts.contains(shift) ? bins * outputs : 0, searched: 0, kernel: 0, how)
            + (square ? OperationMix(integer: 4, load: 2, store: 1, branch: 1) * (Channels * Channels / 4) : OperationMix()))
    }

    /// The weights [Channels][Channels] of a square pointwise layer as 64-bit words, one per
    /// pair of outputs o, o + 1 and pair of inputs p, p + 1: o's two weights in the low word,
    /// o + 1's in the high one, [o / 2][p / 2]. A word's alignment lets one LDRD fetch the
    /// operands of both outputs' SMLADs, where two separate rows took two loads (LLVM pairs
    /// adjacent loads only at a known alignment, which the generated tables do not have).
    @inline(__always)
    static func interleaveRowPairs(_ w: UnsafePointer<Int16>, into pairs: inout InlineArray<64, UInt64>) {
        var o = 0
        while o < Channels {
            var p = 0
            while p < Channels {
                pairs[(o / 2) * (Channels / 2) + p / 2] = UInt64(Q15Arithmetic.pair(w + o * Channels + p))
                    | UInt64(Q15Arithmetic.pair(w + (o + 1) * Channels + p)) << 32
                p += 2
            }
            o += 2
        }
    }

    /// The loops of a square pointwise layer over all bins, with the weights as row pairs `r`
    /// (interleaveRowPairs) for the bins in pairs (as dot2x2, one 64-bit load for both rows),
    /// and as rows `w` for the last bin when the count is odd (oneBin).
    @inline(__always)
    static func squareBins(
        _ x: UnsafePointer<Int16>, _ r: UnsafePointer<UInt64>, _ w: UnsafePointer<Int16>, starts c: UnsafePointer<Int32>,
        _ y: UnsafeMutablePointer<Int16>, bins: Int, shift: Int32, _ how: Q15Arithmetic.Combine
    ) {
        var k = 0
        while k &+ 1 < bins {
            let source = x + k &* Channels, row = y + k &* Channels
            var o = 0
            while o < Channels {
                var a = (c[o], c[o &+ 1]), b = a
                Q15Arithmetic.dot2x2(source, next: Channels, rowPairs: r + (o / 2) &* (Channels / 2), count: Channels, &a, &b)
                Q15Arithmetic.finish2(a, row: row + o, shift: shift, how)
                Q15Arithmetic.finish2(b, row: row + (Channels &+ o), shift: shift, how)
                o &+= 2
            }
            k &+= 2
        }
        if k < bins {
            Q15Arithmetic.oneBin(x + k &* Channels, w, stride: Channels, count: Channels, starts: c, outputs: Channels,
                                 row: y + k &* Channels, shift: shift, how)
        }
    }

    /// The loops of `pointwise` over all bins, for one combine and one shift (inlined into
    /// each specialised copy, so that both are constants there).
    @inline(__always)
    static func pointwiseBins(
        _ x: UnsafePointer<Int16>, _ w: UnsafePointer<Int16>, starts c: UnsafePointer<Int32>, _ y: UnsafeMutablePointer<Int16>,
        outputs: Int, bins: Int, shift: Int32, _ how: Q15Arithmetic.Combine
    ) {
        var k = 0
        while k < bins {
            let source = x + k &* Channels, row = y + k &* outputs, twoBins = k &+ 1 < bins
            var o = 0
            if twoBins {
                while o < outputs {
                    var a = (c[o], c[o &+ 1]), b = a
                    Q15Arithmetic.dot2x2(source, next: Channels, w + o &* Channels, stride: Channels, count: Channels, &a, &b)
                    Q15Arithmetic.finish2(a, row: row + o, shift: shift, how)
                    Q15Arithmetic.finish2(b, row: row + (outputs &+ o), shift: shift, how)
                    o &+= 2
                }
            } else {
                Q15Arithmetic.oneBin(source, w, stride: Channels, count: Channels, starts: c, outputs: outputs, row: row, shift: shift, how)
            }
            k &+= twoBins ? 2 : 1
        }
    }
}
