/// The Q15 network's convolutions, on bin-major rows ([bin][channel]: a bin's channels are
/// contiguous, as CMSIS-NN lays out activations), with zero 'same' padding along bins. The
/// integer twins of FrequencyConvolution and PointwiseConvolution, bit-exact to
/// Tools/cnn/q15model.py (Q15NetworkTests):
/// - int16 inputs and weights; each product is exact in 32 bits and summed into an Int64
///   accumulator that starts at the layer's Int64 bias (0 for depthwise layers), so no sum
///   overflows (|acc| < 2^41 for these layer sizes) and the order of summation does not matter;
/// - each output is requantised per output channel o: y = sat16(rshift_round(acc M_o, r_o)),
///   M_o in [2^14, 2^15), 1 <= r_o <= 62, rounding half up (`roundingShiftRight`), saturating
///   to [-32768, 32767]; then `Combine` says what is stored.
/// Every output is accumulated in a register over all its taps and channels (no accumulator
/// row in memory), the loop order a microcontroller kernel wants.
enum Q15Convolution {
    /// What becomes of the requantised y: stored as is (the head), stored rectified (layer 0,
    /// depthwise outputs need no ReLU and use `.store`), or rectified and added, saturating,
    /// to what the output holds (the residual block's h = sat16(h + ReLU(y))).
    enum Combine {
        case store
        case rectify
        case addRectified
    }

    /// y = sat16(rshift_round(acc M, r)).
    @inline(__always)
    static func requantize(_ acc: Int64, multiplier: Int16, shift: UInt8) -> Int16 {
        Int16(clamping: roundingShiftRight(acc &* Int64(multiplier), by: Int(shift)))
    }

    @inline(__always)
    static func combine(_ y: Int16, into output: inout MutableSpan<Int16>, at index: Int, _ how: Combine) {
        switch how {
        case .store: output[index] = y
        case .rectify: output[index] = max(y, 0)
        case .addRectified: output[index] = Int16(clamping: Int32(output[index]) + Int32(max(y, 0)))
        }
    }

    /// A dense convolution along bins (layer 0): output[k][o] = combine(requantise(bias[o] +
    /// sum_i sum_j w[o][i][j] input[k + (j - kernel/2) dilation][i])).
    /// weights: [outputs][inputChannels][kernel] (PyTorch's order); biases, multipliers, shifts: [outputs].
    static func dense(
        input: Span<Int16>, inputChannels: Int, weights: Span<Int16>, kernel: Int, dilation: Int,
        biases: Span<Int64>, multipliers: Span<Int16>, shifts: Span<UInt8>,
        output: inout MutableSpan<Int16>, bins: Int, combine how: Combine
    ) {
        let outputs = biases.count
        precondition(input.count >= bins * inputChannels && output.count >= bins * outputs
            && weights.count == outputs * inputChannels * kernel && multipliers.count == outputs && shifts.count == outputs)
        var taps = 0
        for k in 0..<bins {
            for o in 0..<outputs {
                var acc = biases[o]
                for j in 0..<kernel {
                    let source = k + (j - kernel / 2) * dilation
                    guard source >= 0 && source < bins else { continue }
                    for i in 0..<inputChannels {
                        acc &+= Int64(Int32(weights[(o * inputChannels + i) * kernel + j]) &* Int32(input[source * inputChannels + i]))
                    }
                    if o == 0 { taps += 1 }
                }
                combine(requantize(acc, multiplier: multipliers[o], shift: shifts[o]), into: &output, at: k * outputs + o, how)
            }
        }
        record(macs: taps * outputs * inputChannels, tapChecks: bins * outputs * kernel, outputs: bins * outputs, how)
    }

    /// A depthwise convolution along bins: output[k][c] = requantise(sum_j w[c][j]
    /// input[k + (j - kernel/2) dilation][c]), stored as is. weights: [channels][kernel].
    static func depthwise(
        input: Span<Int16>, channels: Int, weights: Span<Int16>, kernel: Int, dilation: Int,
        multipliers: Span<Int16>, shifts: Span<UInt8>, output: inout MutableSpan<Int16>, bins: Int
    ) {
        precondition(input.count >= bins * channels && output.count >= bins * channels && weights.count == channels * kernel
            && multipliers.count == channels && shifts.count == channels)
        var taps = 0
        for k in 0..<bins {
            for c in 0..<channels {
                var acc: Int64 = 0
                for j in 0..<kernel {
                    let source = k + (j - kernel / 2) * dilation
                    guard source >= 0 && source < bins else { continue }
                    acc &+= Int64(Int32(weights[c * kernel + j]) &* Int32(input[source * channels + c]))
                    if c == 0 { taps += 1 }
                }
                output[k * channels + c] = requantize(acc, multiplier: multipliers[c], shift: shifts[c])
            }
        }
        record(macs: taps * channels, tapChecks: bins * channels * kernel, outputs: bins * channels, .store)
    }

    /// A pointwise (1 x 1) convolution: output[k][o] = combine(requantise(bias[o] + sum_i
    /// w[o][i] input[k][i])). weights: [outputs][inputChannels].
    static func pointwise(
        input: Span<Int16>, inputChannels: Int, weights: Span<Int16>,
        biases: Span<Int64>, multipliers: Span<Int16>, shifts: Span<UInt8>,
        output: inout MutableSpan<Int16>, bins: Int, combine how: Combine
    ) {
        let outputs = biases.count
        precondition(input.count >= bins * inputChannels && output.count >= bins * outputs
            && weights.count == outputs * inputChannels && multipliers.count == outputs && shifts.count == outputs)
        for k in 0..<bins {
            for o in 0..<outputs {
                var acc = biases[o]
                for i in 0..<inputChannels {
                    acc &+= Int64(Int32(weights[o * inputChannels + i]) &* Int32(input[k * inputChannels + i]))
                }
                combine(requantize(acc, multiplier: multipliers[o], shift: shifts[o]), into: &output, at: k * outputs + o, how)
            }
        }
        record(macs: bins * outputs * inputChannels, tapChecks: 0, outputs: bins * outputs, how)
    }

    /// Reports a call's operations: per MAC two 16-bit loads and a multiply-accumulate into
    /// 64 bits, per inner-loop pass a branch; per padding check two compares and a branch;
    /// per output the bias load, the 64 x 16 multiply (two multiplies), rounding and
    /// saturation, the combine and the store.
    static func record(macs: Int, tapChecks: Int, outputs: Int, _ how: Combine) {
        let combineCost = how == .addRectified ? OperationMix(integer: 3, load: 1) : how == .rectify ? OperationMix(integer: 1) : OperationMix()
        OperationCounter.record(
            .network,
            OperationMix(multiply: 1, load: 2, branch: 1) * macs + OperationMix(integer: 3, branch: 1) * tapChecks
                + (OperationMix(integer: 6, multiply: 2, load: 4, store: 1, branch: 1) + combineCost) * outputs)
    }
}
