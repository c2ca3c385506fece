/// The integer twin of TransposedConvolution (same gather form, same row layout), bit-exact to
/// Tools/mcnn/q15model.py (Q15MCNNTests): int16 inputs and weights, each product exact in 32
/// bits and summed into an Int64 accumulator starting at the Int64 bias (|acc| < 2^41 for
/// these sizes, so the order of summation does not matter), requantised per output channel
/// as Q15Arithmetic does (y = sat16(rshift_round(acc M_o, r_o))), then ELU by table where
/// the layer has one.
enum Q15TransposedConvolution {
    /// One streaming step (TransposedConvolution.step's positions and shapes).
    /// weights: [width][outputs][inputs]; biases, multipliers, shifts: [outputs];
    /// elu: the layer's 257-entry table (`interpolate`), read only where `shape.elu`.
    static func step(
        input: Span<Int16>, weights: Span<Int16>, biases: Span<Int64>, multipliers: Span<Int32>, shifts: Span<UInt8>,
        elu: Span<Int16>, shape: TransposedConvolution.Shape, output: inout MutableSpan<Int16>
    ) {
        let inputs = shape.inputChannels, outputs = biases.count, stride = shape.stride, width = shape.width
        let history = TransposedConvolution.history(width: width, stride: stride), positions = stride * shape.newInputs
        precondition(input.count >= (history + shape.newInputs) * inputs && weights.count == width * outputs * inputs
            && multipliers.count == outputs && shifts.count == outputs && (!shape.elu || elu.count == tableCount)
            && output.count >= shape.outputOffset + positions * outputs)
        var taps = 0
        input.withUnsafeBufferPointer { source in
            weights.withUnsafeBufferPointer { table in
                for r in 0..<positions {
                    let reads = TransposedConvolution.rows(output: r, width: width, stride: stride, history: history)
                    taps += reads.count
                    for o in 0..<outputs {
                        var acc = biases[o]
                        for m in reads {
                            // Raw pointers over the checked spans: no bounds check per product.
                            let w = table.baseAddress! + ((r &+ stride &* (history &- m)) &* outputs &+ o) &* inputs
                            let x = source.baseAddress! + m &* inputs
                            for i in 0..<inputs { acc &+= Int64(Int32(w[i]) &* Int32(x[i])) }
                        }
                        let y = Q15Arithmetic.requantize(acc, multiplier: multipliers[o], shift: shifts[o])
                        output[shape.outputOffset + r * outputs + o] = shape.elu && y <= 0 ? Int16(interpolate(elu, -Int32(y))) : y
                    }
                }
            }
        }
        // Per MAC two loads, the multiply-accumulate, the two pointer steps and the loop branch;
        // per output the requantisation, the ELU and the store.
        OperationCounter.record(
            .network,
            OperationMix(integer: 2, multiply: 1, load: 2, branch: 1) * (taps * outputs * inputs) + OperationMix(integer: 3, branch: 1) * (taps * outputs)
                + (OperationMix(integer: 6, multiply: 2, load: 4, store: 1, branch: 1) + (shape.elu ? interpolationCost : OperationMix()))
                * (positions * outputs))
    }

    /// Entries of an interpolation table: 256 segments of 128 over [0, 32768], and the end.
    static var tableCount: Int { 257 }

    /// table[j] + rshift_round((table[j + 1] - table[j]) f, 7) with j = u >> 7, f = u & 127,
    /// for u in 0...32768 (u = 32768 reads the last entry alone): the fixed-point ELU of a
    /// non-positive input -u and the softsign of |sum| (the tables' values: q15model.py).
    @inline(__always)
    static func interpolate(_ table: Span<Int16>, _ u: Int32) -> Int32 {
        let j = Int(u &>> 7), f = Int64(u & 127)
        let near = Int64(table[j]), far = Int64(table[min(j + 1, tableCount - 1)])
        return Int32(near + roundingShiftRight((far - near) * f, by: 7))
    }

    /// An interpolation: shifts and masks, two loads, a multiply, the rounding shift, a compare.
    static var interpolationCost: OperationMix { OperationMix(integer: 8, multiply: 1, load: 2, branch: 1) }
}
