/// The plain definition of the Q15 network's arithmetic: the same three convolutions as
/// Q15Convolution, written as the formulas read, index by index, with no layout tricks, no
/// raw pointers and no intrinsics. Q15Convolution is tested bit for bit against these on the
/// host and on the boards (Q15ConvolutionTests; the firmware's kernel check); the network as
/// a whole is tested against Tools/cnn/q15model.py's golden vectors.
///
/// Formats (the contract every Q15 kernel keeps):
/// - inputs, weights and outputs are int16, bin-major rows ([bin][channel]) with zero 'same'
///   padding along bins;
/// - each output channel o has an Int32 start value c_o (its bias at the accumulator's scale
///   plus the rounding constant 2^(r - 1)), and the layer a shift 1 <= r <= 30: the real
///   multipliers are folded into the weights, so there is no multiplier;
/// - products are exact in 32 bits and summed into an Int32 accumulator that starts at c_o.
///   The quantiser proves per channel that |c_o| + max|x| sum |w_o| < 2^31 (Tools/cnn/quantize.py),
///   so no partial sum overflows in any order (here an overflow would trap);
/// - the output is y = sat16(acc >> r), >> arithmetic: acc 2^-r rounded half up, the
///   rounding constant being in c_o; sat16 clamps to [-32768, 32767];
/// - `Q15Arithmetic.Combine` then says what is stored.
enum Q15ReferenceConvolution {
    static func requantize(_ acc: Int32, shift: Int32) -> Int16 {
        Int16(clamping: acc >> shift)
    }

    static func store(_ y: Int16, at index: Int, in output: inout MutableSpan<Int16>, _ how: Q15Arithmetic.Combine) {
        switch how {
        case .store: output[index] = y
        case .rectify: output[index] = max(y, 0)
        case .addRectified: output[index] = Int16(clamping: Int32(output[index]) + Int32(max(y, 0)))
        }
    }

    /// The input value of channel i at bin k + (j - kernel/2) dilation, 0 outside the bins.
    static func tap(_ input: Span<Int16>, channels: Int, bin k: Int, tap j: Int, kernel: Int, dilation: Int, bins: Int, channel i: Int) -> Int32 {
        let source = k + (j - kernel / 2) * dilation
        return source >= 0 && source < bins ? Int32(input[source * channels + i]) : 0
    }

    /// output[k][o] = combine(requantise(start[o] + sum_i sum_j w[o][i][j] input[k + (j - kernel/2) dilation][i])),
    /// weights [outputs][inputChannels][kernel].
    static func dense(
        input: Span<Int16>, inputChannels: Int, weights: Span<Int16>, kernel: Int, dilation: Int,
        starts: Span<Int32>, shift: Int32,
        output: inout MutableSpan<Int16>, bins: Int, combine how: Q15Arithmetic.Combine
    ) {
        for k in 0..<bins {
            for o in 0..<starts.count {
                var acc = starts[o]
                for i in 0..<inputChannels {
                    for j in 0..<kernel {
                        let x = tap(input, channels: inputChannels, bin: k, tap: j, kernel: kernel, dilation: dilation, bins: bins, channel: i)
                        acc += Int32(weights[(o * inputChannels + i) * kernel + j]) * x
                    }
                }
                store(requantize(acc, shift: shift), at: k * starts.count + o, in: &output, how)
            }
        }
    }

    /// output[k][c] = requantise(start[c] + sum_j w[c][j] input[k + (j - kernel/2) dilation][c]),
    /// stored as is; weights [channels][kernel].
    static func depthwise(
        input: Span<Int16>, channels: Int, weights: Span<Int16>, kernel: Int, dilation: Int,
        starts: Span<Int32>, shift: Int32, output: inout MutableSpan<Int16>, bins: Int
    ) {
        for k in 0..<bins {
            for c in 0..<channels {
                var acc = starts[c]
                for j in 0..<kernel {
                    let x = tap(input, channels: channels, bin: k, tap: j, kernel: kernel, dilation: dilation, bins: bins, channel: c)
                    acc += Int32(weights[c * kernel + j]) * x
                }
                output[k * channels + c] = requantize(acc, shift: shift)
            }
        }
    }

    /// output[k][o] = combine(requantise(start[o] + sum_i w[o][i] input[k][i])); weights [outputs][inputChannels].
    static func pointwise(
        input: Span<Int16>, inputChannels: Int, weights: Span<Int16>, starts: Span<Int32>, shift: Int32,
        output: inout MutableSpan<Int16>, bins: Int, combine how: Q15Arithmetic.Combine
    ) {
        dense(input: input, inputChannels: inputChannels, weights: weights, kernel: 1, dilation: 1, starts: starts,
              shift: shift, output: &output, bins: bins, combine: how)
    }
}
