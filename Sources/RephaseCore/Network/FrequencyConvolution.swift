/// Convolutions along the frequency axis of channel-major rows ([channel][bin], `bins` values
/// per channel), with zero 'same' padding, as PyTorch's Conv1d computes them (a correlation:
/// output[o][k] = bias[o] + sum_i sum_j w[o][i][j] input[i][k + (j - kernel / 2) dilation]),
/// kernel odd, so that the taps sit symmetrically around bin k.
/// A pointwise (1 x 1) convolution, a matrix product over channels bin by bin, is the dense
/// one with kernel 1.
///
/// The bins whose taps all lie inside the row go in register tiles of `Lanes` bins
/// (ConvolutionTile: four output channels at a time for the dense convolution), the same bits
/// as a plain loop. The few bins near the row's ends, whose outer taps read the padding, and
/// those beyond the last whole vector go one at a time and skip the padding taps.
enum FrequencyConvolution {
    typealias Lanes = ConvolutionTile.Lanes

    /// A dense convolution: every output channel sees every input channel.
    /// weights: [outputChannels][inputChannels][kernel]; bias: [outputChannels].
    static func dense<W: NetworkWeight>(
        input: Span<Float>, inputChannels: Int, weights: Span<W>, bias: Span<W>, kernel: Int,
        output: inout MutableSpan<Float>, bins: Int, combine: ConvolutionTile.Combine = .store
    ) {
        let outputChannels = bias.count
        precondition(input.count >= inputChannels * bins && output.count >= outputChannels * bins
            && weights.count == outputChannels * inputChannels * kernel)
        OperationCounter.record(
            .network,
            operations(W.self, rows: outputChannels, terms: inputChannels * kernel, kernel: kernel, dilation: 1, bins: bins, combine: combine))
        W.withFloat32(weights) { w in
            W.withFloat32(bias) { b in
                input.withUnsafeBufferPointer { x in
                    output.withUnsafeMutableBufferPointer { y in
                        // Kernel 1 (the pointwise layers) as a constant, so that its tiles lose the tap loop.
                        if kernel == 1 {
                            denseRows(x.baseAddress!, w, b, y.baseAddress!, inputChannels, outputChannels, 1, bins, combine)
                        } else {
                            denseRows(x.baseAddress!, w, b, y.baseAddress!, inputChannels, outputChannels, kernel, bins, combine)
                        }
                    }
                }
            }
        }
    }

    /// `dense` over raw rows: the tiles of four output channels, those of the channels beyond
    /// the last group of four, then every channel's edge bins.
    @inline(__always)
    static func denseRows(
        _ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
        _ inputChannels: Int, _ outputChannels: Int, _ kernel: Int, _ bins: Int, _ combine: ConvolutionTile.Combine
    ) {
        let span = interior(kernel: kernel, dilation: 1, bins: bins), terms = inputChannels &* kernel, reach = kernel / 2
        let groups = outputChannels / ConvolutionTile.group * ConvolutionTile.group
        for o in stride(from: 0, to: groups, by: ConvolutionTile.group) {
            for k in stride(from: span.lowerBound, to: span.upperBound, by: Lanes.scalarCount) {
                ConvolutionTile.fourRows(x + (k &- reach), w + o &* terms, b + o, y + (o &* bins &+ k), inputChannels, kernel, bins, combine)
            }
        }
        for o in groups..<outputChannels {
            for k in stride(from: span.lowerBound, to: span.upperBound, by: Lanes.scalarCount) {
                ConvolutionTile.oneRow(x + (k &- reach), w + o &* terms, b[o], y + (o &* bins &+ k), inputChannels, kernel, 1, bins, combine)
            }
        }
        for o in 0..<outputChannels {
            forEachEdge(span, bins) { k in ConvolutionTile.edge(x, k, w + o &* terms, b[o], y + o &* bins, inputChannels, kernel, 1, bins, combine) }
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
                        let row = x + c &* bins, weights = w + c &* kernel, out = y + c &* bins
                        for k in stride(from: span.lowerBound, to: span.upperBound, by: Lanes.scalarCount) {
                            ConvolutionTile.oneRow(row + (k &- reach), weights, 0, out + k, 1, kernel, dilation, bins, .store)
                        }
                        forEachEdge(span, bins) { k in ConvolutionTile.edge(row, k, weights, 0, out, 1, kernel, dilation, bins, .store) }
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

    /// What a convolution executes, for the simulator (OperationCounter), counted as a
    /// Cortex-M4F runs it (tiles of ConvolutionTile.targetLanes bins, `group` output channels
    /// each): per term (input channel and tap) the bins' loads, the group's weights and the
    /// products as multiply-adds; per tile the set-up and the outputs stored or added
    /// rectified; per edge bin a plain loop over its terms. Float16 tables add one conversion
    /// pass over the layer.
    static func operations<W: NetworkWeight>(
        _: W.Type, rows: Int, terms: Int, kernel: Int, dilation: Int, bins: Int, group: Int = ConvolutionTile.group,
        combine: ConvolutionTile.Combine = .store
    ) -> OperationMix {
        let lanes = ConvolutionTile.targetLanes, reach = kernel / 2 * dilation
        let tiles = max(0, bins - 2 * reach) / lanes, edges = bins - tiles * lanes
        func tile(_ rows: Int) -> OperationMix {
            OperationMix(integer: 4, load: rows, branch: 1) + combine.operations * (rows * lanes)
                + OperationMix(integer: 2, load: lanes + rows, branch: 1, floatMultiplyAdd: rows * lanes) * terms
        }
        let full = rows / group, single = rows % group
        let edge = OperationMix(integer: 3, branch: 1) + combine.operations
            + OperationMix(integer: 4, load: 2, branch: 2, floatMultiplyAdd: 1) * terms
        let conversion = W.self == Float.self
            ? OperationMix()
            : OperationMix(integer: 1, load: 1, store: 1, branch: 1, floatAdd: 1) * (rows * (terms + 1))
        return (tile(group) * full + tile(1) * single) * tiles + edge * (edges * rows) + conversion
    }
}
