/// One evaluation of the phase-derivative CNN (architecture in CNNWeights.swift and
/// Tools/cnn/model.py): CNNFeatures in, the P channels of each output frame in `output`
/// ((c_b, s_b, c_f, s_f), then g for mel input: CNNInput), all channel-major [channel][bin] (a channel's bins contiguous, the
/// runs the Float kernels vectorise; Q15PhaseDerivativeNetwork says why its twin is bin-major).
///
/// The weight table of a variant is the concatenation, in this order, of
///   layer 0: weights [C][F][K0], bias [C]
///   each block: depthwise [C][KB], pointwise [C][C], pointwise bias [C]
///   head: weights [P O][C], bias [P O]
/// (C channels, F input rows, O output frames: CNNVariant; P outputs per frame: CNNInput). Every buffer is inline: 11.6K Floats (46 kB).
struct PhaseDerivativeNetwork {
    var input = CNNInputRows(repeating: 0)
    var hidden = CNNActivations(repeating: 0)
    var depthwiseOutput = CNNActivations(repeating: 0)
    var output = CNNOutputRows(repeating: 0)

    /// Weights the table of a variant's network for `input` holds (the layout above).
    static func weightCount(_ variant: CNNVariant, _ input: CNNInput) -> Int {
        let c = variant.channels, blocks = CNNArchitecture.dilations.count
        let outputs = input.frameOutputs * variant.outputFrames
        return c * variant.inputFrames * CNNArchitecture.firstKernel + c
            + blocks * (c * CNNArchitecture.blockKernel + c * c + c) + outputs * c + outputs
    }

    /// Runs the network on the newest rows of `features` with `weights`, the table of the
    /// network of `variant` for `input`.
    mutating func evaluate<W: NetworkWeight>(_ features: CNNFeatures, weights: Span<W>, variant: CNNVariant, input networkInput: CNNInput) {
        precondition(weights.count == Self.weightCount(variant, networkInput), "PhaseDerivativeNetwork: wrong weight table")
        let bins = CNNArchitecture.bins, c = variant.channels, rows = variant.inputFrames
        do {
            var x = input.mutableSpan
            features.write(rows: rows, into: &x)
        }
        var used = 0
        /// The next `count` weights of the table.
        func next(_ count: Int) -> Range<Int> {
            defer { used += count }
            return used..<(used + count)
        }

        var h = hidden.mutableSpan
        FrequencyConvolution.dense(
            input: input.span, inputChannels: rows,
            weights: weights.extracting(next(c * rows * CNNArchitecture.firstKernel)), bias: weights.extracting(next(c)),
            kernel: CNNArchitecture.firstKernel, output: &h, bins: bins)
        for i in 0..<(c * bins) { h[i] = max(h[i], 0) }
        OperationCounter.record(.network, OperationMix(integer: 1, load: 1, store: 1, branch: 1, floatAdd: 1) * (c * bins))

        var d = depthwiseOutput.mutableSpan
        for block in CNNArchitecture.dilations.indices {
            FrequencyConvolution.depthwise(
                input: h.span, channels: c, weights: weights.extracting(next(c * CNNArchitecture.blockKernel)),
                kernel: CNNArchitecture.blockKernel, dilation: CNNArchitecture.dilations[block], output: &d, bins: bins)
            FrequencyConvolution.dense(
                input: d.span, inputChannels: c, weights: weights.extracting(next(c * c)), bias: weights.extracting(next(c)),
                kernel: 1, output: &h, bins: bins, combine: .addRectified)
        }

        let outputs = networkInput.frameOutputs * variant.outputFrames
        var out = output.mutableSpan
        FrequencyConvolution.dense(
            input: h.span, inputChannels: c, weights: weights.extracting(next(outputs * c)),
            bias: weights.extracting(next(outputs)), kernel: 1, output: &out, bins: bins)
    }
}
