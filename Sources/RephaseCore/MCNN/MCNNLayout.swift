/// Where MCNN's weights and layer inputs lie (MCNNArchitecture's sizes), shared by the Float
/// and the Q15 inverter. Layer i reads c_{i-1} input channels (c_{-1} = K bins) at stride^i
/// new positions per frame, after `history` kept ones; the input rows of layers 1 ..< L of
/// all heads lie in two buffers, odd layers in one and even layers in the other, head after
/// head, so a layer reads one buffer while it writes the other.
enum MCNNLayout {
    /// Weights the Float table holds (MCNNInverter documents the layout): every layer's kernel
    /// and bias, then the head scales and the softsign's two.
    static var weightCount: Int {
        var biases = 0
        for i in 0..<MCNNArchitecture.layers { biases += MCNNArchitecture.channels[i] }
        return kernelWeightCount + MCNNArchitecture.heads * (biases + 1) + 2
    }

    /// Kernel weights of all layers of all heads (the Q15 `weights` table).
    static var kernelWeightCount: Int {
        var count = 0
        for i in 0..<MCNNArchitecture.layers { count += kernelWeights(layer: i) }
        return MCNNArchitecture.heads * count
    }

    /// Weights of layer i's kernel, [width][c_i][c_{i-1}].
    static func kernelWeights(layer i: Int) -> Int { MCNNArchitecture.width * MCNNArchitecture.channels[i] * inputChannels(layer: i) }

    static func inputChannels(layer i: Int) -> Int { i == 0 ? MCNNArchitecture.bins : MCNNArchitecture.channels[i - 1] }

    static var history: Int { TransposedConvolution.history(width: MCNNArchitecture.width, stride: MCNNArchitecture.stride) }

    /// New input positions of layer i per frame (stride^i).
    static func newInputs(layer i: Int) -> Int {
        var n = 1
        for _ in 0..<i { n *= MCNNArchitecture.stride }
        return n
    }

    /// Floats of layer i's input rows (history and new positions, all its input channels).
    static func rowCount(layer i: Int) -> Int { (history + newInputs(layer: i)) * inputChannels(layer: i) }

    /// Where layer i's (i >= 1) input rows of `head` start in its buffer (`odd` for odd i).
    static func rowOffset(head: Int, layer i: Int) -> Int {
        var offset = 0
        for h in 0...head {
            for j in stride(from: 2 - i % 2, to: h == head ? i : MCNNArchitecture.layers, by: 2) { offset += rowCount(layer: j) }
        }
        return offset
    }

    /// Layer i's sizes in `head`, its outputs placed as the new positions of layer i + 1's
    /// input rows (the last layer's at 0, in the head's block).
    static func shape(head h: Int, layer i: Int) -> TransposedConvolution.Shape {
        let last = i == MCNNArchitecture.layers - 1
        return TransposedConvolution.Shape(
            inputChannels: inputChannels(layer: i), newInputs: newInputs(layer: i), width: MCNNArchitecture.width,
            stride: MCNNArchitecture.stride, elu: !last,
            outputOffset: last ? 0 : rowOffset(head: h, layer: i + 1) + history * MCNNArchitecture.channels[i])
    }

    /// Keeps each layer's newest `history` input positions for the next frame.
    static func shiftHistories<T>(magnitudes: inout MutableSpan<T>, odd: inout MutableSpan<T>, even: inout MutableSpan<T>) {
        TransposedConvolution.shift(&magnitudes, start: 0, channels: MCNNArchitecture.bins, history: history, newInputs: 1)
        for h in 0..<MCNNArchitecture.heads {
            for i in 1..<MCNNArchitecture.layers {
                let start = rowOffset(head: h, layer: i), channels = inputChannels(layer: i), n = newInputs(layer: i)
                if i % 2 == 1 {
                    TransposedConvolution.shift(&odd, start: start, channels: channels, history: history, newInputs: n)
                } else {
                    TransposedConvolution.shift(&even, start: start, channels: channels, history: history, newInputs: n)
                }
            }
        }
    }
}
