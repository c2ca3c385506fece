/// The plain definition of the Q15 network's arithmetic: the same three convolutions as
/// Q15Convolution, written as the formulas read, index by index, with no layout tricks, no
/// raw pointers and no intrinsics. Q15Convolution is tested bit for bit against these on the
/// host and on the boards (Q15ConvolutionTests; the firmware's kernel check); the network as
/// a whole is tested against Tools/cnn/q15model.py's golden vectors.
///
/// Formats (the contract every Q15 kernel keeps):
/// - inputs, weights and outputs are int16, bin-major rows ([bin][channel]) with zero 'same'
///   padding along bins;
/// - each product is exact in 32 bits; products are summed into an Int64 accumulator that
///   starts at the layer's Int64 bias (0 for depthwise layers); no sum overflows (|acc| < 2^41
///   for these layer sizes), so the order of summation does not matter;
/// - an output of channel o is y = sat16(rshift_round(acc M_o, r_o)) with 0 <= M_o < 2^21 and
///   33 <= r_o <= 62; rshift_round(v, r) = (v >> r) + ((v >> (r - 1)) & 1) rounds half up
///   (>> is arithmetic); sat16 clamps to [-32768, 32767];
/// - `Q15Arithmetic.Combine` then says what is stored.
enum Q15ReferenceConvolution {
    static func requantize(_ acc: Int64, multiplier: Int32, shift: UInt8) -> Int16 {
        let v = acc &* Int64(multiplier), r = Int64(shift)
        return Int16(clamping: (v >> r) + ((v >> (r - 1)) & 1))
    }

    static func store(_ y: Int16, at index: Int, in output: inout MutableSpan<Int16>, _ how: Q15Arithmetic.Combine) {
        switch how {
        case .store: output[index] = y
        case .rectify: output[index] = max(y, 0)
        case .addRectified: output[index] = Int16(clamping: Int32(output[index]) + Int32(max(y, 0)))
        }
    }

    /// The input value of channel i at bin k + (j - kernel/2) dilation, 0 outside the bins.
    static func tap(_ input: Span<Int16>, channels: Int, bin k: Int, tap j: Int, kernel: Int, dilation: Int, bins: Int, channel i: Int) -> Int64 {
        let source = k + (j - kernel / 2) * dilation
        return source >= 0 && source < bins ? Int64(input[source * channels + i]) : 0
    }

    /// output[k][o] = combine(requantise(bias[o] + sum_i sum_j w[o][i][j] input[k + (j - kernel/2) dilation][i])),
    /// weights [outputs][inputChannels][kernel].
    static func dense(
        input: Span<Int16>, inputChannels: Int, weights: Span<Int16>, kernel: Int, dilation: Int,
        biases: Span<Int64>, multipliers: Span<Int32>, shifts: Span<UInt8>,
        output: inout MutableSpan<Int16>, bins: Int, combine how: Q15Arithmetic.Combine
    ) {
        for k in 0..<bins {
            for o in 0..<biases.count {
                var acc = biases[o]
                for i in 0..<inputChannels {
                    for j in 0..<kernel {
                        let x = tap(input, channels: inputChannels, bin: k, tap: j, kernel: kernel, dilation: dilation, bins: bins, channel: i)
                        acc += Int64(weights[(o * inputChannels + i) * kernel + j]) * x
                    }
                }
                store(requantize(acc, multiplier: multipliers[o], shift: shifts[o]), at: k * biases.count + o, in: &output, how)
            }
        }
    }

    /// output[k][c] = requantise(sum_j w[c][j] input[k + (j - kernel/2) dilation][c]), stored
    /// as is; weights [channels][kernel].
    static func depthwise(
        input: Span<Int16>, channels: Int, weights: Span<Int16>, kernel: Int, dilation: Int,
        multipliers: Span<Int32>, shifts: Span<UInt8>, output: inout MutableSpan<Int16>, bins: Int
    ) {
        for k in 0..<bins {
            for c in 0..<channels {
                var acc: Int64 = 0
                for j in 0..<kernel {
                    let x = tap(input, channels: channels, bin: k, tap: j, kernel: kernel, dilation: dilation, bins: bins, channel: c)
                    acc += Int64(weights[c * kernel + j]) * x
                }
                output[k * channels + c] = requantize(acc, multiplier: multipliers[c], shift: shifts[c])
            }
        }
    }

    /// output[k][o] = combine(requantise(bias[o] + sum_i w[o][i] input[k][i])); weights [outputs][inputChannels].
    static func pointwise(
        input: Span<Int16>, inputChannels: Int, weights: Span<Int16>,
        biases: Span<Int64>, multipliers: Span<Int32>, shifts: Span<UInt8>,
        output: inout MutableSpan<Int16>, bins: Int, combine how: Q15Arithmetic.Combine
    ) {
        dense(input: input, inputChannels: inputChannels, weights: weights, kernel: 1, dilation: 1, biases: biases,
              multipliers: multipliers, shifts: shifts, output: &output, bins: bins, combine: how)
    }
}
