/// Convolutions along the frequency axis of channel-major rows ([channel][bin], `bins` values
/// per channel), with zero 'same' padding, as PyTorch's Conv1d computes them (a correlation:
/// output[o][k] = bias[o] + sum_i sum_j w[o][i][j] input[i][k + (j - (kernel - 1) / 2) dilation]).
///
/// Like PointwiseConvolution, the bins whose taps all lie inside the row go in tiles of
/// `Lanes` bins, their sums held in SIMD accumulators while the taps stream past (four output
/// channels at a time for the dense convolution), and are stored once. The few bins near the
/// row's ends, whose outer taps read the padding, go one at a time and skip those taps. Every
/// sum adds its terms in the order input channel, then tap, each product and each sum rounded
/// once: the same bits as a plain loop on every target.
enum FrequencyConvolution {
    typealias Lanes = PointwiseConvolution.Lanes

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
            .network, operations(W.self, rows: outputChannels, terms: inputChannels * kernel, kernel: kernel, dilation: 1, bins: bins))
        let span = interior(kernel: kernel, dilation: 1, bins: bins)
        W.withFloat32(weights) { w in
            W.withFloat32(bias) { b in
                input.withUnsafeBufferPointer { x in
                    output.withUnsafeMutableBufferPointer { y in
                        let x = x.baseAddress!, y = y.baseAddress!, terms = inputChannels &* kernel
                        let groups = outputChannels / PointwiseConvolution.group * PointwiseConvolution.group
                        for o in stride(from: 0, to: groups, by: PointwiseConvolution.group) {
                            for k in stride(from: span.lowerBound, to: span.upperBound, by: Lanes.scalarCount) {
                                denseTile(x + (k &- kernel / 2), w + o &* terms, b + o, y + (o &* bins &+ k), inputChannels, kernel, bins)
                            }
                        }
                        for o in groups..<outputChannels {
                            for k in stride(from: span.lowerBound, to: span.upperBound, by: Lanes.scalarCount) {
                                rowTile(x + (k &- kernel / 2), w + o &* terms, b[o], y + (o &* bins &+ k), inputChannels, kernel, 1, bins)
                            }
                        }
                        for o in 0..<outputChannels {
                            forEachEdge(span, bins) { k in y[o &* bins &+ k] = edge(x, k, w + o &* terms, b[o], inputChannels, kernel, 1, bins) }
                        }
                    }
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
            .network, operations(W.self, rows: channels, terms: kernel, kernel: kernel, dilation: dilation, bins: bins, group: 1))
        let span = interior(kernel: kernel, dilation: dilation, bins: bins)
        W.withFloat32(weights) { w in
            input.withUnsafeBufferPointer { x in
                output.withUnsafeMutableBufferPointer { y in
                    let x = x.baseAddress!, y = y.baseAddress!, reach = kernel / 2 &* dilation
                    for c in 0..<channels {
                        let row = x + c &* bins, weights = w + c &* kernel
                        for k in stride(from: span.lowerBound, to: span.upperBound, by: Lanes.scalarCount) {
                            rowTile(row + (k &- reach), weights, 0, y + (c &* bins &+ k), 1, kernel, dilation, bins)
                        }
                        forEachEdge(span, bins) { k in y[c &* bins &+ k] = edge(row, k, weights, 0, 1, kernel, dilation, bins) }
                    }
                }
            }
        }
    }

    /// The bins a tile may start at and run through: every tap inside the row, the count a
    /// whole number of vectors.
    static func interior(kernel: Int, dilation: Int, bins: Int) -> Range<Int> {
        let reach = kernel / 2 * dilation, first = min(reach, bins)
        let whole = max(0, bins - 2 * reach) / Lanes.scalarCount * Lanes.scalarCount
        return first..<(first + whole)
    }

    /// Calls `body` with each bin outside `interior`: those below it, then those above it.
    @inline(__always)
    static func forEachEdge(_ interior: Range<Int>, _ bins: Int, _ body: (Int) -> Void) {
        for k in 0..<interior.lowerBound { body(k) }
        for k in interior.upperBound..<bins { body(k) }
    }

    /// Four output channels by Lanes bins of a dense convolution; x points at the first bin's
    /// first tap in input row 0, w at output channel 0's weights.
    @inline(__always)
    static func denseTile(
        _ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
        _ inputChannels: Int, _ kernel: Int, _ bins: Int
    ) {
        let terms = inputChannels &* kernel
        let w1 = w + terms, w2 = w1 + terms, w3 = w2 + terms
        var a0 = Lanes(repeating: b[0]), a1 = Lanes(repeating: b[1])
        var a2 = Lanes(repeating: b[2]), a3 = Lanes(repeating: b[3])
        var term = 0
        for i in 0..<inputChannels {
            let row = x + i &* bins
            for j in 0..<kernel {
                let v = PointwiseConvolution.load(row + j)
                a0 += v * w[term]
                a1 += v * w1[term]
                a2 += v * w2[term]
                a3 += v * w3[term]
                term &+= 1
            }
        }
        PointwiseConvolution.finish(a0, y, .store)
        PointwiseConvolution.finish(a1, y + bins, .store)
        PointwiseConvolution.finish(a2, y + 2 &* bins, .store)
        PointwiseConvolution.finish(a3, y + 3 &* bins, .store)
    }

    /// One output channel by Lanes bins, starting from `bias`; x points at the first bin's
    /// first tap in the channel's first input row.
    @inline(__always)
    static func rowTile(
        _ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ bias: Float, _ y: UnsafeMutablePointer<Float>,
        _ inputChannels: Int, _ kernel: Int, _ dilation: Int, _ bins: Int
    ) {
        var a = Lanes(repeating: bias), term = 0
        for i in 0..<inputChannels {
            let row = x + i &* bins
            for j in 0..<kernel {
                a += PointwiseConvolution.load(row + j &* dilation) * w[term]
                term &+= 1
            }
        }
        PointwiseConvolution.finish(a, y, .store)
    }

    /// One output at bin k near the row's ends: the taps that read the padding are skipped.
    @inline(__always)
    static func edge(
        _ x: UnsafePointer<Float>, _ k: Int, _ w: UnsafePointer<Float>, _ bias: Float,
        _ inputChannels: Int, _ kernel: Int, _ dilation: Int, _ bins: Int
    ) -> Float {
        var a = bias
        for i in 0..<inputChannels {
            for j in 0..<kernel {
                let source = k + (j - kernel / 2) * dilation
                if source >= 0 && source < bins { a += w[i &* kernel &+ j] * x[i &* bins &+ source] }
            }
        }
        return a
    }

    /// What a convolution executes, for the simulator (OperationCounter), counted as a
    /// Cortex-M4F runs it (tiles of PointwiseConvolution.targetLanes bins, `group` output
    /// channels each): per term (input channel and tap) the bins' loads, the group's weights
    /// and the products as multiply-adds; per tile the set-up and the stores; per edge bin a
    /// plain loop over its terms. Float16 tables add one conversion pass.
    static func operations<W: NetworkWeight>(
        _: W.Type, rows: Int, terms: Int, kernel: Int, dilation: Int, bins: Int, group: Int = PointwiseConvolution.group
    ) -> OperationMix {
        let lanes = PointwiseConvolution.targetLanes, reach = kernel / 2 * dilation
        let tiles = max(0, bins - 2 * reach) / lanes, edges = bins - tiles * lanes
        func tile(_ rows: Int) -> OperationMix {
            OperationMix(integer: 4, load: rows, store: rows * lanes, branch: 1)
                + OperationMix(integer: 2, load: lanes + rows, branch: 1, floatMultiplyAdd: rows * lanes) * terms
        }
        let full = rows / group, single = rows % group
        let edge = OperationMix(integer: 3, store: 1, branch: 1) + OperationMix(integer: 4, load: 2, branch: 2, floatMultiplyAdd: 1) * terms
        let conversion = W.self == Float.self
            ? OperationMix()
            : OperationMix(integer: 1, load: 1, store: 1, branch: 1, floatAdd: 1) * (rows * (terms + 1))
        return (tile(group) * full + tile(1) * single) * tiles + edge * (edges * rows) + conversion
    }
}
