/// MCNN (docs/ALGORITHMS.md section 10; seed: Arik, Jun, Diamos, IEEE SPL 2019) as a
/// streaming inverter: waveform samples straight from magnitudes, no phase. Each of the
/// network's heads runs its transposed convolutions (TransposedConvolution, ELU between them)
/// one frame at a time;
/// the heads' outputs are scaled, summed and bounded by a softsign a s / (1 + |b s|). The
/// input is normalised by its running level and the output scaled back (MCNNLevel), so the
/// input's level does not matter.
///
/// The network has no padding, so frame t reaches output samples [t H, t H + span) and each
/// frame completes exactly the H samples y[t H ..< (t + 1) H]: the stream is causal in frames
/// and needs no buffer beyond each layer's input history. The look-ahead is the training's
/// alignment: signal sample n is y[n + delay] (Tools/mcnn/network.py, delay = N - H plus 4
/// frames, which centres the receptive field on the frames holding n), so the latency is the
/// delay and the first delay output samples precede the signal.
///
/// The weight table (MCNNWeights) is, per head and per layer i: weights [width][c_i][c_{i-1}]
/// (c_{-1} = K), bias [c_i]; then the H head scales; then a and b. Trained for the sizes of
/// MCNNArchitecture only (precondition). State: layer inputs, two blocks and the level's ring.
public struct MCNNInverter: MagnitudeInverter {
    public let precision: CNNPrecision
    var rows = Rows()

    /// Every layer's input rows, in a non-generic struct so a layer can read one buffer while
    /// writing the next (odd layers read `odd` and write `even`, and the reverse).
    struct Rows {
        var magnitudes = MCNNMagnitudeRows<Float>(repeating: 0)
        var odd = MCNNOddRows<Float>(repeating: 0)
        var even = MCNNEvenRows<Float>(repeating: 0)
        var head = MCNNBlock<Float>(repeating: 0)
        var sum = MCNNBlock<Float>(repeating: 0)
        var level = MCNNLevel()
    }

    public var latency: Int { MCNNArchitecture.delay }

    /// Frames of look-ahead beyond the overlap-add's N - H that the latency holds.
    public static var lookahead: Int { (MCNNArchitecture.delay - MCNNArchitecture.frameLength + MCNNArchitecture.hop) / MCNNArchitecture.hop }

    public init(precision: CNNPrecision = .float32) {
        self.precision = precision
    }

    public mutating func reset() {
        rows = Rows()
    }

    public mutating func process(magnitudes: Span<Float>, output: inout MutableSpan<Float>) {
        precondition(magnitudes.count == MCNNArchitecture.bins && output.count == MCNNArchitecture.hop,
                     "MCNNInverter: the network is trained for 257 bins and hop 128")
        switch precision {
        case .float32:
            GeneratedTable.withFlat(&MCNNWeights.float32, as: Float.self, count: MCNNLayout.weightCount) {
                Self.step(&rows, magnitudes: magnitudes, weights: $0, output: &output)
            }
        case .float16:
            GeneratedTable.withFlat(&MCNNWeights.float16Bits, as: Float16.self, count: MCNNLayout.weightCount) {
                Self.step(&rows, magnitudes: magnitudes, weights: $0, output: &output)
            }
        }
    }

    static func step<W: NetworkWeight>(_ rows: inout Rows, magnitudes: Span<Float>, weights: Span<W>, output: inout MutableSpan<Float>) {
        let bins = MCNNArchitecture.bins, layers = MCNNArchitecture.layers, heads = MCNNArchitecture.heads
        let newest = MCNNLayout.history * bins
        var peak: Float = 0
        for k in 0..<bins {
            let x = MagnitudeRange.bounded(magnitudes[k]) * MCNNArchitecture.magnitudeScale
            rows.magnitudes[newest + k] = x
            peak = max(peak, x)
        }
        let inverse = 1 / rows.level.next(peak: peak)
        for k in 0..<bins { rows.magnitudes[newest + k] *= inverse }
        for k in 0..<MCNNArchitecture.hop { rows.sum[k] = 0 }
        var used = 0
        /// The next `count` weights of the table.
        func next(_ count: Int) -> Range<Int> {
            defer { used += count }
            return used..<(used + count)
        }
        for h in 0..<heads {
            for i in 0..<layers {
                let outputs = MCNNArchitecture.channels[i]
                let w = weights.extracting(next(MCNNLayout.kernelWeights(layer: i)))
                let b = weights.extracting(next(outputs))
                layer(&rows, head: h, layer: i, weights: w, bias: b)
            }
            let scale = weights[weights.count - heads - 2 + h].float
            for k in 0..<MCNNArchitecture.hop { rows.sum[k] += scale * rows.head[k] }
        }
        let a = weights[weights.count - 2].float, b = weights[weights.count - 1].float, gain = rows.level.outputGain
        for k in 0..<MCNNArchitecture.hop { output[k] = a * rows.sum[k] / (1 + abs(b * rows.sum[k])) * gain }
        shiftHistories(&rows)
        OperationCounter.record(
            .network, OperationMix(load: 2, store: 1, floatMultiplyAdd: 1) * (heads * MCNNArchitecture.hop)
                + OperationMix(load: 1, store: 1, floatAdd: 1, floatMultiply: 3, floatDivide: 1) * MCNNArchitecture.hop
                + (MagnitudeRange.operations + OperationMix(load: 1, store: 2, floatAdd: 1, floatMultiply: 2)) * bins
                + MCNNLevel.operations)
    }

    /// Runs layer i of `head`: layer 0 reads the magnitudes, odd layers read `odd` and write
    /// `even`, even ones the reverse; the last writes the head's block. Each writes its
    /// outputs as the new positions of the next layer's input rows, after their history.
    static func layer<W: NetworkWeight>(_ rows: inout Rows, head h: Int, layer i: Int, weights: Span<W>, bias: Span<W>) {
        let shape = MCNNLayout.shape(head: h, layer: i)
        let source = i == 0 ? 0 : MCNNLayout.rowOffset(head: h, layer: i)
        func run(_ input: Span<Float>, _ output: inout MutableSpan<Float>) {
            TransposedConvolution.step(input: input, weights: weights, bias: bias, shape: shape, output: &output)
        }
        if !shape.elu {
            var destination = rows.head.mutableSpan
            if i % 2 == 1 { run(rows.odd.span.extracting(source...), &destination) } else { run(rows.even.span.extracting(source...), &destination) }
        } else if i == 0 {
            var destination = rows.odd.mutableSpan
            run(rows.magnitudes.span, &destination)
        } else if i % 2 == 1 {
            var destination = rows.even.mutableSpan
            run(rows.odd.span.extracting(source...), &destination)
        } else {
            var destination = rows.odd.mutableSpan
            run(rows.even.span.extracting(source...), &destination)
        }
    }

    static func shiftHistories(_ rows: inout Rows) {
        var magnitudes = rows.magnitudes.mutableSpan, odd = rows.odd.mutableSpan, even = rows.even.mutableSpan
        MCNNLayout.shiftHistories(magnitudes: &magnitudes, odd: &odd, even: &even)
    }
}
