/// Pointwise (1 x 1) convolution of channel-major rows: a matrix product over channels, bin by
/// bin: y[o][k] = bias[o] + sum_i w[o][i] x[i][k].
enum PointwiseConvolution {
    /// What the kernel does with y: store it (a linear head), or add ReLU(y) to what the
    /// output already holds (the residual block's `out = in + ReLU(pointwise(...))`, fused so
    /// the block needs no extra activation buffer).
    enum Combine {
        case store
        case addRectified
    }

    /// weights: [outputChannels][inputChannels]; bias: [outputChannels].
    static func apply<W: NetworkWeight>(
        input: Span<Float>, inputChannels: Int, weights: Span<W>, bias: Span<W>,
        output: inout MutableSpan<Float>, bins: Int, combine: Combine
    ) {
        let outputChannels = bias.count
        precondition(input.count >= inputChannels * bins && output.count >= outputChannels * bins
            && weights.count == outputChannels * inputChannels)
        for o in 0..<outputChannels {
            let b = bias[o].float
            for k in 0..<bins {
                var y = b
                for i in 0..<inputChannels { y += weights[o * inputChannels + i].float * input[i * bins + k] }
                switch combine {
                case .store: output[o * bins + k] = y
                case .addRectified: output[o * bins + k] += max(y, 0)
                }
            }
        }
    }
}
