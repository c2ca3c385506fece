/// The Q15 network's convolutions, on bin-major rows ([bin][channel]: a bin's channels are
/// contiguous, as CMSIS-NN lays out activations), with zero 'same' padding along bins. The
/// integer twins of FrequencyConvolution and PointwiseConvolution, bit-exact to
/// Tools/cnn/q15model.py (Q15NetworkTests):
/// - int16 inputs and weights; each product is exact in 32 bits and summed into an Int64
///   accumulator that starts at the layer's Int64 bias (0 for depthwise layers), so no sum
///   overflows (|acc| < 2^41 for these layer sizes) and the order of summation does not matter;
/// - each output is requantised per output channel o: y = sat16(rshift_round(acc M_o, r_o)),
///   M_o < 2^21, 33 <= r_o <= 62, rounding half up, saturating to [-32768, 32767]; then
///   `Combine` says what is stored.
/// Every output is accumulated in a register over all its taps and channels (no accumulator
/// row in memory), the loop order a microcontroller kernel wants; the taps that fall in the
/// padding are skipped by computing each bin's valid tap range once, not by a test per product.
enum Q15Convolution {
    /// What becomes of the requantised y: stored as is (the head, depthwise outputs), stored
    /// rectified (layer 0), or rectified and added, saturating, to what the output holds (the
    /// residual block's h = sat16(h + ReLU(y))).
    enum Combine {
        case store
        case rectify
        case addRectified
    }

    /// y = sat16(rshift_round(acc M, r)). With r >= 33 the quotient and its rounding bit both
    /// lie in the high word of acc M, so a 32-bit core shifts one register, not a register pair.
    @inline(__always)
    static func requantize(_ acc: Int64, multiplier: Int32, shift: UInt8) -> Int16 {
        let high = Int32(truncatingIfNeeded: (acc &* Int64(multiplier)) &>> 32)
        let r = Int32(shift)
        return Int16(clamping: (high &>> (r &- 32)) &+ ((high &>> (r &- 33)) & 1))
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

    /// Calls `body` for every bin k with raw pointers to the weights and the output, k's valid
    /// taps and the input row of its first valid tap (rows of `rowWidth` channels); returns the
    /// valid taps summed over the bins. Raw pointers inside the ranges the callers checked, and
    /// wrapping index arithmetic: bounds and overflow checks in the tap loops cost more than
    /// the products.
    @inline(__always)
    static func forEachBin(
        input: Span<Int16>, weights: Span<Int16>, output: inout MutableSpan<Int16>, bins: Int, kernel: Int, dilation: Int,
        rowWidth: Int,
        _ body: (UnsafePointer<Int16>, UnsafeMutablePointer<Int16>, Int, Range<Int>, UnsafePointer<Int16>) -> Void
    ) -> Int {
        var taps = 0
        input.withUnsafeBufferPointer { x in
            weights.withUnsafeBufferPointer { w in
                output.withUnsafeMutableBufferPointer { y in
                    for k in 0..<bins {
                        let valid = validTaps(bin: k, kernel: kernel, dilation: dilation, bins: bins)
                        taps += valid.count
                        let firstSource = x.baseAddress! + (k &+ (valid.lowerBound &- kernel / 2) &* dilation) &* rowWidth
                        body(w.baseAddress!, y.baseAddress!, k, valid, firstSource)
                    }
                }
            }
        }
        return taps
    }

    /// A dense convolution along bins (layer 0): output[k][o] = combine(requantise(bias[o] +
    /// sum_i sum_j w[o][i][j] input[k + (j - kernel/2) dilation][i])).
    /// weights: [outputs][inputChannels][kernel] (PyTorch's order); biases, multipliers, shifts: [outputs].
    static func dense(
        input: Span<Int16>, inputChannels: Int, weights: Span<Int16>, kernel: Int, dilation: Int,
        biases: Span<Int64>, multipliers: Span<Int32>, shifts: Span<UInt8>,
        output: inout MutableSpan<Int16>, bins: Int, combine how: Combine
    ) {
        let outputs = biases.count
        precondition(input.count >= bins * inputChannels && output.count >= bins * outputs
            && weights.count == outputs * inputChannels * kernel && multipliers.count == outputs && shifts.count == outputs)
        let taps = forEachBin(input: input, weights: weights, output: &output, bins: bins, kernel: kernel, dilation: dilation,
                              rowWidth: inputChannels) { w, y, k, valid, firstSource in
            for o in 0..<outputs {
                var acc = biases[o]
                var source = firstSource
                var row = w + (o &* inputChannels &* kernel &+ valid.lowerBound)
                for _ in valid {
                    for i in 0..<inputChannels { acc &+= Int64(Int32(row[i &* kernel]) &* Int32(source[i])) }
                    source += dilation &* inputChannels
                    row += 1
                }
                combine(requantize(acc, multiplier: multipliers[o], shift: shifts[o]), into: y + (k &* outputs &+ o), how)
            }
        }
        let macs = taps * outputs * inputChannels
        OperationCounter.record(.network, mix(macs: macs, loops: taps * outputs, outputs: bins * outputs, bins: bins, kernel: kernel, how))
    }

    /// A depthwise convolution along bins: output[k][c] = requantise(sum_j w[c][j]
    /// input[k + (j - kernel/2) dilation][c]), stored as is. weights: [channels][kernel].
    static func depthwise(
        input: Span<Int16>, channels: Int, weights: Span<Int16>, kernel: Int, dilation: Int,
        multipliers: Span<Int32>, shifts: Span<UInt8>, output: inout MutableSpan<Int16>, bins: Int
    ) {
        precondition(input.count >= bins * channels && output.count >= bins * channels && weights.count == channels * kernel
            && multipliers.count == channels && shifts.count == channels)
        let taps = forEachBin(input: input, weights: weights, output: &output, bins: bins, kernel: kernel, dilation: dilation,
                              rowWidth: channels) { w, y, k, valid, firstSource in
            let step = dilation &* channels
            for c in 0..<channels {
                var acc: Int64 = 0
                var source = firstSource + c
                var weight = w + (c &* kernel &+ valid.lowerBound)
                for _ in valid {
                    acc &+= Int64(Int32(weight.pointee) &* Int32(source.pointee))
                    source += step
                    weight += 1
                }
                y[k &* channels &+ c] = requantize(acc, multiplier: multipliers[c], shift: shifts[c])
            }
        }
        OperationCounter.record(.network, mix(macs: taps * channels, loops: bins * channels, outputs: bins * channels, bins: bins, kernel: kernel, .store))
    }

    /// A pointwise (1 x 1) convolution: output[k][o] = combine(requantise(bias[o] + sum_i
    /// w[o][i] input[k][i])). weights: [outputs][inputChannels].
    static func pointwise(
        input: Span<Int16>, inputChannels: Int, weights: Span<Int16>,
        biases: Span<Int64>, multipliers: Span<Int32>, shifts: Span<UInt8>,
        output: inout MutableSpan<Int16>, bins: Int, combine how: Combine
    ) {
        let outputs = biases.count
        precondition(input.count >= bins * inputChannels && output.count >= bins * outputs
            && weights.count == outputs * inputChannels && multipliers.count == outputs && shifts.count == outputs)
        input.withUnsafeBufferPointer { x in
            weights.withUnsafeBufferPointer { w in
                output.withUnsafeMutableBufferPointer { y in
                    for k in 0..<bins {
                        let source = x.baseAddress! + k * inputChannels
                        for o in 0..<outputs {
                            let row = w.baseAddress! + o * inputChannels
                            var acc = biases[o]
                            for i in 0..<inputChannels { acc &+= Int64(Int32(row[i]) &* Int32(source[i])) }
                            combine(requantize(acc, multiplier: multipliers[o], shift: shifts[o]), into: y.baseAddress! + k * outputs + o, how)
                        }
                    }
                }
            }
        }
        OperationCounter.record(.network, mix(macs: bins * outputs * inputChannels, loops: bins * outputs, outputs: bins * outputs, bins: bins, kernel: 0, how))
    }

    /// A call's operations: per MAC two 16-bit loads and a multiply-accumulate into 64 bits
    /// (SMLALBB), per inner loop a branch; per bin the valid-tap search (two compares per
    /// tap); per output the bias load, the 64 x 32 multiply (two multiplies), the shifts,
    /// rounding and saturation, the combine and the store.
    static func mix(macs: Int, loops: Int, outputs: Int, bins: Int, kernel: Int, _ how: Combine) -> OperationMix {
        let combineCost = how == .addRectified ? OperationMix(integer: 3, load: 1) : how == .rectify ? OperationMix(integer: 1) : OperationMix()
        return OperationMix(multiply: 1, load: 2, branch: 1) * macs + OperationMix(integer: 2, branch: 1) * loops
            + OperationMix(integer: 4, branch: 2) * (bins * kernel)
            + (OperationMix(integer: 8, multiply: 2, load: 4, store: 1, branch: 1) + combineCost) * outputs
    }
}
