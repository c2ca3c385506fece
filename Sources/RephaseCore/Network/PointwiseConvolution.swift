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

    /// A local run of 32 bins: y for one output channel over 32 bins is accumulated here
    /// (in registers), the inner loop runs over contiguous bins, and each weight is loaded
    /// (converted, if stored as Float16) once per run rather than once per bin.
    typealias Run = InlineArray<32, Float>

    /// What `apply` executes, for the simulator (OperationCounter): per run of bins and output
    /// channel the accumulator set-up and each weight (converted from Float16 if so stored);
    /// per product a multiply-add with the accumulator loaded and stored (32 of them do not
    /// fit the FPU's registers beside the operands); per output the store or the rectified add.
    static func operations<W: NetworkWeight>(
        _: W.Type, inputChannels: Int, outputChannels: Int, bins: Int, combine: Combine
    ) -> OperationMix {
        let runs = (bins + Run.count - 1) / Run.count
        let weight = OperationMix(integer: 4, load: 1, branch: 1, floatAdd: W.self == Float.self ? 0 : 1)
        let product = OperationMix(integer: 1, load: 2, store: 1, branch: 1, floatMultiplyAdd: 1)
        let output = combine == .store
            ? OperationMix(integer: 1, load: 1, store: 1, branch: 1)
            : OperationMix(integer: 1, load: 2, store: 1, branch: 1, floatAdd: 2)
        let initialise = OperationMix(integer: 1, store: 1, branch: 1)
        return (OperationMix(integer: 6, load: 1, branch: 2) * runs + weight * (runs * inputChannels)) * outputChannels
            + (initialise + output + product * inputChannels) * (bins * outputChannels)
    }

    /// weights: [outputChannels][inputChannels]; bias: [outputChannels].
    static func apply<W: NetworkWeight>(
        input: Span<Float>, inputChannels: Int, weights: Span<W>, bias: Span<W>,
        output: inout MutableSpan<Float>, bins: Int, combine: Combine
    ) {
        let outputChannels = bias.count
        precondition(input.count >= inputChannels * bins && output.count >= outputChannels * bins
            && weights.count == outputChannels * inputChannels)
        OperationCounter.record(
            .network, operations(W.self, inputChannels: inputChannels, outputChannels: outputChannels, bins: bins, combine: combine))
        for start in stride(from: 0, to: bins, by: Run.count) {
            let count = min(Run.count, bins - start)
            for o in 0..<outputChannels {
                var y = Run(repeating: bias[o].float)
                // Raw pointers inside the checked spans: no per-element bounds checks, so the
                // inner loop vectorises; same operations in the same order as indexing.
                input.withUnsafeBufferPointer { source in
                    var run = y.mutableSpan
                    run.withUnsafeMutableBufferPointer { accumulator in
                        for i in 0..<inputChannels {
                            let weight = weights[o * inputChannels + i].float
                            let row = source.baseAddress! + i * bins + start
                            for j in 0..<count { accumulator[j] += weight * row[j] }
                        }
                    }
                }
                let row = o * bins + start
                switch combine {
                case .store: for j in 0..<count { output[row + j] = y[j] }
                case .addRectified: for j in 0..<count { output[row + j] += max(y[j], 0) }
                }
            }
        }
    }
}
