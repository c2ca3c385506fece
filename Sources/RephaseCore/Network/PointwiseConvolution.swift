/// Pointwise (1 x 1) convolution of channel-major rows: a matrix product over channels, bin by
/// bin: y[o][k] = bias[o] + sum_i w[o][i] x[i][k].
///
/// The work goes in tiles of four output channels by `Lanes` bins, each tile's sums held in
/// four SIMD accumulators while the input channels stream past: per input channel one load of
/// the tile's bins and four weights feed all its products, and nothing is stored until the
/// tile is done (the plain loop loaded and stored every sum once per input channel: rephase-bench
/// cnn 102 -> 68 us per frame). Every sum is bias + w[o][0] x[0][k] + w[o][1] x[1][k] + ... in
/// that order, each product and each sum rounded once, whatever the tile: the same bits as the
/// plain loop on every target. Output channels beyond the last group of four go one at a time
/// (a tile of one row), the bins beyond the last whole vector one at a time.
enum PointwiseConvolution {
    /// What the kernel does with y: store it (a linear head), or add ReLU(y) to what the
    /// output already holds (the residual block's `out = in + ReLU(pointwise(...))`, fused so
    /// the block needs no extra activation buffer).
    enum Combine {
        case store
        case addRectified
    }

    /// Output channels of a full tile.
    static let group = 4
    #if arch(arm)
    /// Bins of a tile: four on a 32-bit ARM core, whose 32 single-precision registers hold the
    /// sixteen sums beside the operands; eight where SIMD registers are (two SSE or NEON
    /// vectors per SIMD8), so that eight independent sums hide the adder's latency.
    typealias Lanes = SIMD4<Float>
    #else
    typealias Lanes = SIMD8<Float>
    #endif
    /// Bins of a tile on the simulator's targets (32-bit ARM cores), whatever the host.
    static let targetLanes = 4

    /// What `apply` executes, for the simulator (OperationCounter), counted per tile as a
    /// Cortex-M4F runs it (tiles of `targetLanes` bins, a SIMD4 operation four scalar ones):
    /// per input channel the bins' loads, the tile's weights and the products as multiply-adds;
    /// per tile the accumulators set from the biases and the outputs stored or added
    /// rectified; the leftover bins as a plain loop. Float16 tables add one conversion pass over the layer.
    static func operations<W: NetworkWeight>(
        _: W.Type, inputChannels: Int, outputChannels: Int, bins: Int, combine: Combine
    ) -> OperationMix {
        let output = combine == .store
            ? OperationMix(store: 1)
            : OperationMix(load: 1, store: 1, floatAdd: 2)
        /// A tile of `rows` output channels by `lanes` bins.
        func tile(rows: Int, lanes: Int) -> OperationMix {
            let step = OperationMix(integer: 2, load: lanes + rows, branch: 1, floatMultiplyAdd: rows * lanes)
            return OperationMix(integer: 4, load: rows, branch: 1) + step * inputChannels + output * (rows * lanes)
        }
        let blocks = bins / targetLanes, leftover = bins % targetLanes
        let groups = outputChannels / group, single = outputChannels % group
        let conversion = W.self == Float.self
            ? OperationMix()
            : OperationMix(integer: 1, load: 1, store: 1, branch: 1, floatAdd: 1) * ((inputChannels + 1) * outputChannels)
        return (tile(rows: group, lanes: targetLanes) * blocks + tile(rows: group, lanes: 1) * leftover) * groups
            + (tile(rows: 1, lanes: targetLanes) * blocks + tile(rows: 1, lanes: 1) * leftover) * single + conversion
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
        // Raw pointers inside the checked spans: no bounds check per element. Float16 weights
        // are converted once here rather than once per tile.
        W.withFloat32(weights) { w in
            W.withFloat32(bias) { b in
                input.withUnsafeBufferPointer { x in
                    output.withUnsafeMutableBufferPointer { y in
                        tiles(x.baseAddress!, w, b, y.baseAddress!, inputChannels, outputChannels, bins, combine)
                    }
                }
            }
        }
    }

    /// `apply` over raw rows: the full tiles, then the output channels beyond the last group
    /// of four and the bins beyond the last whole SIMD vector.
    @inline(__always)
    static func tiles(
        _ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
        _ inputChannels: Int, _ outputChannels: Int, _ bins: Int, _ combine: Combine
    ) {
        let groups = outputChannels / group, blocks = bins / Lanes.scalarCount * Lanes.scalarCount
        for o in stride(from: 0, to: groups * group, by: group) {
            let rows = w + o &* inputChannels
            for k in stride(from: 0, to: blocks, by: Lanes.scalarCount) {
                groupTile(x + k, rows, b + o, y + (o &* bins &+ k), inputChannels, bins, combine)
            }
            for o in o..<(o + group) {
                for k in blocks..<bins { single(x + k, w + o &* inputChannels, b[o], y + (o &* bins &+ k), inputChannels, bins, combine) }
            }
        }
        for o in (groups * group)..<outputChannels {
            for k in stride(from: 0, to: blocks, by: Lanes.scalarCount) {
                rowTile(x + k, w + o &* inputChannels, b[o], y + (o &* bins &+ k), inputChannels, bins, combine)
            }
            for k in blocks..<bins { single(x + k, w + o &* inputChannels, b[o], y + (o &* bins &+ k), inputChannels, bins, combine) }
        }
    }

    /// Four output channels (weight rows w, w + C, ...; biases b[0...3]) by Lanes bins from x.
    @inline(__always)
    static func groupTile(
        _ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
        _ channels: Int, _ bins: Int, _ combine: Combine
    ) {
        let w1 = w + channels, w2 = w1 + channels, w3 = w2 + channels
        var a0 = Lanes(repeating: b[0]), a1 = Lanes(repeating: b[1])
        var a2 = Lanes(repeating: b[2]), a3 = Lanes(repeating: b[3])
        var row = x
        for i in 0..<channels {
            let v = load(row)
            a0 += v * w[i]
            a1 += v * w1[i]
            a2 += v * w2[i]
            a3 += v * w3[i]
            row += bins
        }
        finish(a0, y, combine)
        finish(a1, y + bins, combine)
        finish(a2, y + 2 &* bins, combine)
        finish(a3, y + 3 &* bins, combine)
    }

    /// One output channel by Lanes bins.
    @inline(__always)
    static func rowTile(
        _ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ bias: Float, _ y: UnsafeMutablePointer<Float>,
        _ channels: Int, _ bins: Int, _ combine: Combine
    ) {
        var a = Lanes(repeating: bias), row = x
        for i in 0..<channels {
            a += load(row) * w[i]
            row += bins
        }
        finish(a, y, combine)
    }

    /// One output channel at one bin.
    @inline(__always)
    static func single(
        _ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ bias: Float, _ y: UnsafeMutablePointer<Float>,
        _ channels: Int, _ bins: Int, _ combine: Combine
    ) {
        var a = bias
        for i in 0..<channels { a += x[i &* bins] * w[i] }
        switch combine {
        case .store: y[0] = a
        case .addRectified: y[0] += max(a, 0)
        }
    }

    /// Lanes consecutive Floats (element loads, which the compiler merges into vector loads
    /// where the target has them: a Float pointer is too little aligned for a vector load).
    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> Lanes {
        var v = Lanes()
        for j in 0..<Lanes.scalarCount { v[j] = p[j] }
        return v
    }

    /// Stores a tile row's sums, or adds them rectified.
    @inline(__always)
    static func finish(_ a: Lanes, _ y: UnsafeMutablePointer<Float>, _ combine: Combine) {
        switch combine {
        case .store:
            for j in 0..<Lanes.scalarCount { y[j] = a[j] }
        case .addRectified:
            for j in 0..<Lanes.scalarCount { y[j] += max(a[j], 0) }
        }
    }
}
