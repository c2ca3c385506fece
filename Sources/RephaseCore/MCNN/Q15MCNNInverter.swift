/// MCNNInverter in Q15 (the fixed-point issue's arithmetic; Tools/mcnn/q15model.py documents
/// it and is the bit-exact reference): the same network, layers and streaming, on int16
/// activations with per-layer scales (Q15TransposedConvolution), ELU and the softsign by
/// interpolated tables, the heads summed in Int64. An output sample q stands for q
/// Q15MCNNWeights.outputScale (the level-normalised output exceeds 1). The
/// Float interface normalises the magnitudes by their running level and scales the output
/// samples back (MCNNLevel, in Float32); the integer interface is the network alone.
///
/// Tables (Q15MCNNWeights), per head and per layer in MCNNInverter's order: `weights`
/// [width][out][in], and per output channel `biases`, `multipliers`, `shifts`; `eluTables`
/// 257 entries per layer but each head's last; then the heads' `coefficients`, the sum's
/// multiplier and shift, and the `softsign` table. State: the layer inputs in Int16, the Int64
/// sum and the level's ring.
public struct Q15MCNNInverter: MagnitudeInverter {
    var rows = Rows()

    /// Layer inputs in a non-generic struct, as MCNNInverter.Rows.
    struct Rows {
        var magnitudes = MCNNMagnitudeRows<Int16>(repeating: 0)
        var odd = MCNNOddRows<Int16>(repeating: 0)
        var even = MCNNEvenRows<Int16>(repeating: 0)
        var head = MCNNBlock<Int16>(repeating: 0)
        var sum = MCNNBlock<Int64>(repeating: 0)
    }
    /// The Float interface's converted frame and samples.
    var inputs = InlineArray<257, Int16>(repeating: 0)
    var samples = MCNNBlock<Int16>(repeating: 0)
    var level = MCNNLevel()

    public var latency: Int { MCNNArchitecture.delay }

    public init() {}

    public mutating func reset() {
        rows = Rows()
        level = MCNNLevel()
    }

    /// The Float interface: magnitudes to the network's int16 input, sat16(round(a (inputGain /
    /// g))) with g the frame's running level (FloatMath.nearestInteger: half away from zero; a
    /// bounded by MagnitudeRange, so never NaN or negative), and the int16 samples to Float times the
    /// level of the frame that ends with them.
    public mutating func process(magnitudes: Span<Float>, output: inout MutableSpan<Float>) {
        precondition(magnitudes.count == MCNNArchitecture.bins && output.count == MCNNArchitecture.hop,
                     "Q15MCNNInverter: the network is trained for 257 bins and hop 128")
        var peak: Float = 0
        for k in 0..<MCNNArchitecture.bins { peak = max(peak, MagnitudeRange.bounded(magnitudes[k])) }
        let gain = Q15MCNNWeights.inputGain / level.next(peak: peak * MCNNArchitecture.magnitudeScale)
        for k in 0..<MCNNArchitecture.bins {
            let v = FloatMath.nearestInteger(MagnitudeRange.bounded(magnitudes[k]) * gain)
            inputs[k] = v >= 32767 ? 32767 : Int16(v)
        }
        var q15 = samples.mutableSpan
        Self.step(&rows, inputs: inputs.span, output: &q15)
        let scale = level.outputGain * Q15MCNNWeights.outputScale
        for n in 0..<MCNNArchitecture.hop { output[n] = Float(samples[n]) * scale }
        OperationCounter.record(.network, (OperationMix(integer: 3, load: 2, store: 1, floatAdd: 1, floatMultiply: 1) + MagnitudeRange.operations * 2) * MCNNArchitecture.bins
            + OperationMix(load: 1, store: 1, floatMultiply: 1) * MCNNArchitecture.hop + MCNNLevel.operations)
    }

    /// The integer interface: a frame of int16 network inputs in, hop int16 samples out (in units of outputScale).
    public mutating func process(q15Magnitudes: Span<Int16>, output: inout MutableSpan<Int16>) {
        precondition(q15Magnitudes.count == MCNNArchitecture.bins && output.count == MCNNArchitecture.hop,
                     "Q15MCNNInverter: the network is trained for 257 bins and hop 128")
        Self.step(&rows, inputs: q15Magnitudes, output: &output)
    }

    static func step(_ rows: inout Rows, inputs: Span<Int16>, output: inout MutableSpan<Int16>) {
        let bins = MCNNArchitecture.bins, hop = MCNNArchitecture.hop
        for k in 0..<bins { rows.magnitudes[MCNNLayout.history * bins + k] = inputs[k] }
        for n in 0..<hop { rows.sum[n] = 0 }
        GeneratedTable.withFlat(&Q15MCNNWeights.weights, as: Int16.self, count: MCNNLayout.kernelWeightCount) { weights in
            GeneratedTable.withSpan(&Q15MCNNWeights.biases) { biases in
                GeneratedTable.withSpan(&Q15MCNNWeights.multipliers) { multipliers in
                    GeneratedTable.withSpan(&Q15MCNNWeights.shifts) { shifts in
                        GeneratedTable.withSpan(&Q15MCNNWeights.eluTables) { elu in
                            var tables = Tables()
                            for h in 0..<MCNNArchitecture.heads {
                                for i in 0..<MCNNArchitecture.layers {
                                    layer(&rows, head: h, layer: i, tables: &tables, weights: weights, biases: biases,
                                          multipliers: multipliers, shifts: shifts, elu: elu)
                                }
                                let c = Int64(Q15MCNNWeights.coefficients[h])
                                for n in 0..<hop { rows.sum[n] &+= c &* Int64(rows.head[n]) }
                            }
                        }
                    }
                }
            }
        }
        GeneratedTable.withSpan(&Q15MCNNWeights.softsign) { softsign in
            for n in 0..<hop {
                let s = Int32(Q15Arithmetic.requantize(rows.sum[n], multiplier: Q15MCNNWeights.sumMultiplier, shift: Q15MCNNWeights.sumShift))
                output[n] = Int16(s < 0 ? -Q15TransposedConvolution.interpolate(softsign, -s) : Q15TransposedConvolution.interpolate(softsign, s))
            }
        }
        var magnitudes = rows.magnitudes.mutableSpan, odd = rows.odd.mutableSpan, even = rows.even.mutableSpan
        MCNNLayout.shiftHistories(magnitudes: &magnitudes, odd: &odd, even: &even)
        OperationCounter.record(
            .network, OperationMix(multiply: 1, load: 2, store: 1) * (MCNNArchitecture.heads * hop)
                + (OperationMix(integer: 6, multiply: 2, load: 2, store: 1, branch: 1) + Q15TransposedConvolution.interpolationCost) * hop)
    }

    /// How far the walk through the tables has come (layers run in table order).
    struct Tables {
        var weights = 0, channels = 0, elu = 0
    }

    /// Runs layer i of `head` (MCNNInverter.layer's buffers) with its part of the flat tables
    /// (Q15MCNNWeights, read in place) and advances `tables` past it.
    static func layer(
        _ rows: inout Rows, head h: Int, layer i: Int, tables: inout Tables, weights allWeights: Span<Int16>,
        biases allBiases: Span<Int64>, multipliers allMultipliers: Span<Int32>, shifts allShifts: Span<UInt8>, elu allELU: Span<Int16>
    ) {
        let shape = MCNNLayout.shape(head: h, layer: i), outputs = MCNNArchitecture.channels[i]
        let weights = allWeights.extracting(tables.weights..<(tables.weights + MCNNLayout.kernelWeights(layer: i)))
        let channels = tables.channels..<(tables.channels + outputs)
        let biases = allBiases.extracting(channels)
        let multipliers = allMultipliers.extracting(channels)
        let shifts = allShifts.extracting(channels)
        let elu = allELU.extracting(tables.elu..<(tables.elu + (shape.elu ? Q15TransposedConvolution.tableCount : 0)))
        tables.weights += weights.count
        tables.channels += outputs
        tables.elu += elu.count
        let source = i == 0 ? 0 : MCNNLayout.rowOffset(head: h, layer: i)
        func run(_ input: Span<Int16>, _ output: inout MutableSpan<Int16>) {
            Q15TransposedConvolution.step(
                input: input, weights: weights, biases: biases, multipliers: multipliers, shifts: shifts, elu: elu,
                shape: shape, output: &output)
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
}
