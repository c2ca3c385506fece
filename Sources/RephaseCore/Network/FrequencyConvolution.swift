/// Convolutions along the frequency axis of channel-major rows ([channel][bin], `bins` values
/// per channel), with zero 'same' padding, as PyTorch's Conv1d computes them (a correlation:
/// output[o][k] = bias[o] + sum_i sum_j w[o][i][j] input[i][k + (j - (kernel - 1) / 2) dilation]).
/// Loops run tap by tap over the valid bins, so the padding needs no branches in the inner loop.
enum FrequencyConvolution {
    /// A dense convolution: every output channel sees every input channel.
    /// weights: [outputChannels][inputChannels][kernel]; bias: [outputChannels].
    static func dense<W: NetworkWeight>(
        input: Span<Float>, inputChannels: Int, weights: Span<W>, bias: Span<W>, kernel: Int,
        output: inout MutableSpan<Float>, bins: Int
    ) {
        let outputChannels = bias.count
        precondition(input.count >= inputChannels * bins && output.count >= outputChannels * bins
            && weights.count == outputChannels * inputChannels * kernel)
        OperationCounter.record(
            .network, OperationMix(integer: 1, store: 1, branch: 1) * (outputChannels * bins)
                + tapOperations(W.self, kernel: kernel, dilation: 1, bins: bins) * (outputChannels * inputChannels))
        for o in 0..<outputChannels {
            let b = bias[o].float
            for k in 0..<bins { output[o * bins + k] = b }
            for i in 0..<inputChannels {
                for j in 0..<kernel {
                    accumulateTap(
                        weight: weights[(o * inputChannels + i) * kernel + j].float, shift: j - kernel / 2,
                        input: input, inputRow: i * bins, output: &output, outputRow: o * bins, bins: bins)
                }
            }
        }
    }

    /// A depthwise convolution: channel c of the output sees only channel c of the input; no bias.
    /// weights: [channels][kernel].
    static func depthwise<W: NetworkWeight>(
        input: Span<Float>, channels: Int, weights: Span<W>, kernel: Int, dilation: Int,
        output: inout MutableSpan<Float>, bins: Int
    ) {
        precondition(input.count >= channels * bins && output.count >= channels * bins && weights.count == channels * kernel)
        OperationCounter.record(
            .network, (OperationMix(integer: 1, store: 1, branch: 1) * bins
                + tapOperations(W.self, kernel: kernel, dilation: dilation, bins: bins)) * channels)
        for c in 0..<channels {
            for k in 0..<bins { output[c * bins + k] = 0 }
            for j in 0..<kernel {
                accumulateTap(
                    weight: weights[c * kernel + j].float, shift: (j - kernel / 2) * dilation,
                    input: input, inputRow: c * bins, output: &output, outputRow: c * bins, bins: bins)
            }
        }
    }

    /// What the `kernel` taps of one input row into one output row execute, for the simulator
    /// (OperationCounter): per tap the weight (converted from Float16 if so stored) and the loop
    /// set-up, per bin inside the row a multiply-add with two loads and a store.
    static func tapOperations<W: NetworkWeight>(_: W.Type, kernel: Int, dilation: Int, bins: Int) -> OperationMix {
        var products = 0
        for j in 0..<kernel { products += max(0, bins - abs((j - kernel / 2) * dilation)) }
        let tap = OperationMix(integer: 10, load: 1, branch: 2, floatAdd: W.self == Float.self ? 0 : 1)
        return tap * kernel + OperationMix(integer: 1, load: 2, store: 1, branch: 1, floatMultiplyAdd: 1) * products
    }

    /// output[row + k] += weight * input[row + k + shift] for the bins k whose source lies
    /// inside the row (the others read zero padding).
    @inline(__always)
    static func accumulateTap(
        weight: Float, shift: Int, input: Span<Float>, inputRow: Int,
        output: inout MutableSpan<Float>, outputRow: Int, bins: Int
    ) {
        let first = max(0, -shift), end = min(bins, bins - shift)
        guard first < end else { return }  // a dilated tap entirely in the padding
        // Raw pointers over the checked range: no bounds check per element, so the loop
        // vectorises; the same operations in the same order as the indexed form.
        precondition(inputRow + first + shift >= 0 && inputRow + end + shift <= input.count
            && outputRow + end <= output.count)
        input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                let from = source.baseAddress! + inputRow + shift, to = destination.baseAddress! + outputRow
                for k in first..<end { to[k] += weight * from[k] }
            }
        }
    }
}
