/// The Q15 network's convolutions as a Cortex-M4 runs them fastest: the integer twins of
/// FrequencyConvolution and PointwiseConvolution, bit for bit the arithmetic that
/// Q15ReferenceConvolution defines (formats, rounding and saturation are documented there)
/// and Tools/cnn/q15model.py models.
///
/// Products are taken two at a time: a 32-bit load fetches a pair of adjacent int16 values
/// and SMLAD (RephaseIntrinsics) adds both products of two such pairs to a 32-bit
/// accumulator in one instruction (the contract's bound keeps it exact). Every output is
/// accumulated in registers over all its taps and channels, and four outputs share each
/// load of the input (the depthwise layers: two channels share each load). The taps that
/// fall in the padding are skipped by computing each bin's valid tap range, not by a test
/// per product. The layer's shift stays in a register. Raw pointers inside the ranges the
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
    /// when the run is odd. Two such bins in a row go together (dot4x2).
    static func dense(
        input: Span<Int16>, inputChannels: Int, weights: Span<Int16>, kernel: Int, starts: Span<Int32>, shift: Int32,
        output: inout MutableSpan<Int16>, bins: Int, combine how: Q15Arithmetic.Combine
    ) {
        let run = kernel * inputChannels, padded = run + run % 2, rowLength = 32
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
                    var o = 0
                    while o < Channels {
                        var a = Q15Arithmetic.load4(c + o)
                        let rows = w + (o &* rowLength &+ valid.lowerBound &* inputChannels)
                        if twoBins {
                            var b = a
                            Q15Arithmetic.dot4x2(source, next: inputChannels, rows, stride: rowLength, count: count, &a, &b)
                            Q15Arithmetic.finish4(b, row: row + (Channels &+ o), shift: shift, how)
                        } else {
                            Q15Arithmetic.dot4(source, rows, stride: rowLength, count: count, &a)
                        }
                        Q15Arithmetic.finish4(a, row: row + o, shift: shift, how)
                        o &+= 4
                    }
                    k &+= twoBins ? 2 : 1
                }
            }
        }
        OperationCounter.record(.network, Q15Arithmetic.convolutionMix(
            macs: Q15Arithmetic.validTapCount(kernel: kernel, dilation: 1, bins: bins) * Channels * inputChannels,
            pairsPerSharedLoad: 4, outputs: bins * Channels, bins: bins, kernel: kernel, how)
            + OperationMix(integer: 2, load: 1, store: 1, branch: 1) * (Channels * run))
    }

    /// A depthwise convolution along bins: output[k][c] = requantise(start[c] + sum_j w[c][j]
    /// input[k + (j - kernel/2) dilation][c]), stored as is. weights: [channels][kernel] (channels = Channels).
    /// Channels go in pairs: one word load fetches both channels' input at a tap, PKHBT and
    /// PKHTB regroup two taps' words into each channel's pair of taps, which SMLAD multiplies
    /// with that channel's two adjacent weights. A pair's weights stay in registers over the
    /// bins, and the bins whose five taps all lie inside run unrolled; only the bins near
    /// either end take the general path.
    static func depthwise(
        input: Span<Int16>, weights: Span<Int16>, kernel: Int, dilation: Int,
        starts: Span<Int32>, shift: Int32, output: inout MutableSpan<Int16>, bins: Int
    ) {
        precondition(input.count >= bins * Channels && output.count >= bins * Channels && weights.count == Channels * kernel
            && Channels % 2 == 0 && starts.count == Channels && dilation > 0)
        let reach = kernel / 2 * dilation
        let inner = kernel == 5 && bins > 2 * reach ? reach..<(bins - reach) : 0..<0
        // The bins outside `inner`: all of them when it is empty, else those below and above it.
        let below = inner.isEmpty ? 0..<bins : 0..<inner.lowerBound, above = inner.isEmpty ? bins..<bins : inner.upperBound..<bins
        Q15Arithmetic.withPointers(input, weights, starts, &output) { x, w, start, y in
            let step = dilation &* Channels
            var c = 0
            while c < Channels {
                let w0 = w + (c &* kernel), w1 = w0 + kernel
                let start0 = start[c], start1 = start[c &+ 1]
                func general(_ k: Int) {
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
                for k in below { general(k) }
                for k in above { general(k) }
                if !inner.isEmpty {
                    // The pair's weights as SMLAD operands: taps (0, 1) and (2, 3) of each
                    // channel, and tap 4 alone in the half that meets its channel's input.
                    let low01 = Q15Arithmetic.pair(w0), low23 = Q15Arithmetic.pair(w0 + 2)
                    let high01 = Q15Arithmetic.pair(w1), high23 = Q15Arithmetic.pair(w1 + 2)
                    let low4 = UInt32(UInt16(bitPattern: w0[4])), high4 = UInt32(UInt16(bitPattern: w1[4])) << 16
                    var source = x + ((inner.lowerBound &- reach) &* Channels &+ c)
                    var row = y + (inner.lowerBound &* Channels &+ c)
                    for _ in inner {
                        let t0 = Q15Arithmetic.pair(source), t1 = Q15Arithmetic.pair(source + step)
                        let t2 = Q15Arithmetic.pair(source + 2 &* step), t3 = Q15Arithmetic.pair(source + 3 &* step)
                        let t4 = Q15Arithmetic.pair(source + 4 &* step)
                        var a0 = Q15Arithmetic.smlad(Q15Arithmetic.packLowHalves(t0, t1), low01, start0)
                        a0 = Q15Arithmetic.smlad(Q15Arithmetic.packLowHalves(t2, t3), low23, a0)
                        a0 = Q15Arithmetic.smlad(t4, low4, a0)
                        var a1 = Q15Arithmetic.smlad(Q15Arithmetic.packHighHalves(t0, t1), high01, start1)
                        a1 = Q15Arithmetic.smlad(Q15Arithmetic.packHighHalves(t2, t3), high23, a1)
                        a1 = Q15Arithmetic.smlad(t4, high4, a1)
                        row[0] = Q15Arithmetic.requantize(a0, shift: shift)
                        row[1] = Q15Arithmetic.requantize(a1, shift: shift)
                        source += Channels
                        row += Channels
                    }
                }
                c &+= 2
            }
        }
        OperationCounter.record(.network, Q15Arithmetic.convolutionMix(
            macs: Q15Arithmetic.validTapCount(kernel: kernel, dilation: dilation, bins: bins) * Channels,
            pairsPerSharedLoad: 1, packs: true, outputs: bins * Channels, bins: bins - inner.count, kernel: kernel, .store))
    }

    /// A pointwise (1 x 1) convolution: output[k][o] = combine(requantise(start[o] + sum_i
    /// w[o][i] input[k][i])). weights: [outputs][Channels], outputs a multiple of 4.
    /// Bins go in pairs (dot4x2), the last alone when their count is odd.
    static func pointwise(
        input: Span<Int16>, weights: Span<Int16>, starts: Span<Int32>, shift: Int32,
        output: inout MutableSpan<Int16>, bins: Int, combine how: Q15Arithmetic.Combine
    ) {
        let outputs = starts.count
        precondition(input.count >= bins * Channels && output.count >= bins * outputs && outputs % 4 == 0
            && weights.count == outputs * Channels)
        Q15Arithmetic.withPointers(input, weights, starts, &output) { x, w, c, y in
            Q15Arithmetic.specialised(how) { how in
                var k = 0
                while k < bins {
                    let source = x + k &* Channels, row = y + k &* outputs, twoBins = k &+ 1 < bins
                    var o = 0
                    while o < outputs {
                        var a = Q15Arithmetic.load4(c + o)
                        if twoBins {
                            var b = a
                            Q15Arithmetic.dot4x2(source, next: Channels, w + o &* Channels, stride: Channels, count: Channels, &a, &b)
                            Q15Arithmetic.finish4(b, row: row + (outputs &+ o), shift: shift, how)
                        } else {
                            Q15Arithmetic.dot4(source, w + o &* Channels, stride: Channels, count: Channels, &a)
                        }
                        Q15Arithmetic.finish4(a, row: row + o, shift: shift, how)
                        o &+= 4
                    }
                    k &+= twoBins ? 2 : 1
                }
            }
        }
        OperationCounter.record(.network, Q15Arithmetic.convolutionMix(
            macs: bins * outputs * Channels, pairsPerSharedLoad: 4, outputs: bins * outputs, bins: bins, kernel: 0, how))
    }
}
