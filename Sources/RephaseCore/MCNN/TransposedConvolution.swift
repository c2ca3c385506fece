/// One streaming step of a transposed 1-D convolution over time (PyTorch's ConvTranspose1d,
/// stride s, width w, no padding: output[p][o] = bias[o] + sum over q with 0 <= p - s q < w of
/// sum_i w[i][o][p - s q] input[q][i]), the layer MCNN stacks (docs/ALGORITHMS.md section 10).
///
/// Written in gather form, so each output is summed in a register over all its taps and
/// channels (no accumulator rows in memory; the Q15 twin wants the same loop order): the
/// outputs of the step, positions s Q ..< s (Q + n) for the n new inputs Q ..< Q + n, need
/// inputs from Q - `history` on, with history = (w - 1) / s (w - 1 a multiple of s). The
/// input rows are position-major, [history + n][inputChannels]: positions before the stream's
/// start hold zeros, which contribute nothing, exactly as absent inputs do.
///
/// Output position s Q + r reads input rows m in ceil((r + s history - w + 1) / s) ...
/// history + r / s with tap k = r + s (history - m).
enum TransposedConvolution {
    /// Input positions kept from earlier steps.
    static func history(width: Int, stride: Int) -> Int {
        precondition((width - 1) % stride == 0, "TransposedConvolution: width - 1 must be a multiple of the stride")
        return (width - 1) / stride
    }

    /// The range of input rows output `r` of a step reads.
    @inline(__always)
    static func rows(output r: Int, width: Int, stride: Int, history: Int) -> ClosedRange<Int> {
        let lowest = r + stride * history - width + 1
        return max(0, (lowest + stride - 1) / stride)...(history + r / stride)
    }

    /// A layer's sizes and where a step writes.
    struct Shape {
        var inputChannels: Int
        /// Input positions new in this step (n).
        var newInputs: Int
        var width: Int
        var stride: Int
        /// Whether ELU follows the convolution.
        var elu: Bool
        /// Where in `output` the step's first output goes.
        var outputOffset: Int
    }

    /// Computes the step's stride x newInputs outputs, position-major [position][outputChannels],
    /// into `output` from `shape.outputOffset` on.
    /// weights: [width][outputChannels][inputChannels] (tap-major, so each dot product reads
    /// contiguous weights); bias: [outputChannels].
    static func step<W: NetworkWeight>(
        input: Span<Float>, weights: Span<W>, bias: Span<W>, shape: Shape, output: inout MutableSpan<Float>
    ) {
        let inputChannels = shape.inputChannels, newInputs = shape.newInputs, width = shape.width, stride = shape.stride
        let elu = shape.elu, outputOffset = shape.outputOffset
        let outputChannels = bias.count, history = history(width: width, stride: stride)
        let outputs = stride * newInputs
        precondition(input.count >= (history + newInputs) * inputChannels
            && weights.count == width * outputChannels * inputChannels
            && output.count >= outputOffset + outputs * outputChannels)
        var taps = 0
        input.withUnsafeBufferPointer { source in
            weights.withUnsafeBufferPointer { table in
                for r in 0..<outputs {
                    let reads = rows(output: r, width: width, stride: stride, history: history)
                    taps += reads.count
                    for o in 0..<outputChannels {
                        // Four partial sums over groups of four channels (the remainder into s0):
                        // shorter addition chains than one running sum over a first layer's 257
                        // channels and ~7 taps, and independent adds for a pipelined FPU.
                        var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
                        for m in reads {
                            // Raw pointers over the checked spans: no bounds check per element.
                            let k = r + stride * (history - m)
                            let w = table.baseAddress! + (k * outputChannels + o) * inputChannels
                            let x = source.baseAddress! + m * inputChannels
                            var i = 0
                            while i &+ 4 <= inputChannels {
                                s0 += w[i].float * x[i]
                                s1 += w[i &+ 1].float * x[i &+ 1]
                                s2 += w[i &+ 2].float * x[i &+ 2]
                                s3 += w[i &+ 3].float * x[i &+ 3]
                                i &+= 4
                            }
                            while i < inputChannels {
                                s0 += w[i].float * x[i]
                                i &+= 1
                            }
                        }
                        let sum = bias[o].float + ((s0 + s1) + (s2 + s3))
                        output[outputOffset + r * outputChannels + o] = elu ? Self.elu(sum) : sum
                    }
                }
            }
        }
        record(macs: taps * outputChannels * inputChannels, dotProducts: taps * outputChannels,
               outputs: outputs * outputChannels, elu: elu)
    }

    /// ELU(x) = x for x > 0, e^x - 1 otherwise (FloatMath.exp, no libm).
    @inline(__always)
    static func elu(_ x: Float) -> Float {
        x > 0 ? x : FloatMath.exp(x) - 1
    }

    /// Moves the newest `history` input rows of the rows starting at `start` to their front,
    /// making room for the next step's new inputs after them.
    static func shift<T>(_ rows: inout MutableSpan<T>, start: Int, channels: Int, history: Int, newInputs: Int) {
        for i in start..<(start + history * channels) { rows[i] = rows[i + newInputs * channels] }
    }

    /// Reports a step: per MAC two loads, a multiply-add and three instructions of index
    /// arithmetic (8 instructions a MAC on the M4, Targets/cortex-m4/profile-stages), per dot
    /// product the pointer set-up and loop branch, per output the bias load and store, and an
    /// exp2 (about twenty float operations) where ELU applies (counted for every output: the
    /// negative half takes it, the bound is what a frame's budget must hold).
    static func record(macs: Int, dotProducts: Int, outputs: Int, elu: Bool) {
        let activation = elu ? OperationMix(integer: 4, branch: 2, floatAdd: 3, floatMultiply: 4, floatMultiplyAdd: 6) : OperationMix()
        OperationCounter.record(
            .network,
            OperationMix(integer: 3, load: 2, branch: 1, floatMultiplyAdd: 1) * macs + OperationMix(integer: 3, branch: 1) * dotProducts
                + (OperationMix(load: 1, store: 1) + activation) * outputs)
    }
}
