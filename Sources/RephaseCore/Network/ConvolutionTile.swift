/// The register tiles the Float32 network's convolutions (FrequencyConvolution) are built of.
///
/// A tile is up to four output channels by `Lanes` bins whose sums stay in SIMD accumulators
/// while the input channels and taps stream past: per term one load of the tile's bins and
/// one weight per output channel feed all its products, and nothing is stored until the tile
/// is done (the plain loop loaded and stored every sum once per input channel: rephase-bench
/// cnn 102 -> 61 us per frame). Every sum is bias + w[0] x[0] + w[1] x[1] + ... in the order
/// input channel, then tap, each product and each sum rounded once, whatever the tile: the
/// same bits as the plain loop on every target.
enum ConvolutionTile {
    /// What a kernel does with its sums y: store them (layer 0, the depthwise convolutions,
    /// the linear head), or add ReLU(y) to what the output already holds (the residual
    /// block's `out = in + ReLU(pointwise(...))`, fused so the block needs no extra buffer).
    enum Combine {
        case store
        case addRectified

        /// What one output costs on top of its sum, for the simulator.
        var operations: OperationMix {
            self == .store ? OperationMix(store: 1) : OperationMix(load: 1, store: 1, floatAdd: 2)
        }
    }

    /// Output channels of a full tile.
    static let group = 4
    #if arch(arm)
    /// Bins of a tile: four on a 32-bit ARM core, whose 32 single-precision registers hold the
    /// sixteen sums beside the operands; elsewhere as many as make eight independent vector
    /// sums, which hide the adder's latency: eight with 128-bit vectors (two SSE or NEON
    /// registers per SIMD8), sixteen with AVX2's 256-bit ones (host builds for AVX2 define
    /// REPHASE_AVX2: Package.swift).
    typealias Lanes = SIMD4<Float>
    #elseif REPHASE_AVX2
    typealias Lanes = SIMD16<Float>
    #else
    typealias Lanes = SIMD8<Float>
    #endif
    /// Bins of a tile on the simulator's targets (32-bit ARM cores), whatever the host.
    static let targetLanes = 4

    /// Four output channels by Lanes bins of a dense convolution (dilation 1); x points at
    /// the first bin's first tap in input row 0, w at output channel 0's weights
    /// [inputChannels][kernel], b at its bias.
    @inline(__always)
    static func fourRows(
        _ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
        _ inputChannels: Int, _ kernel: Int, _ bins: Int, _ combine: Combine
    ) {
        let terms = inputChannels &* kernel
        let w1 = w + terms, w2 = w1 + terms, w3 = w2 + terms
        var a0 = Lanes(repeating: b[0]), a1 = Lanes(repeating: b[1])
        var a2 = Lanes(repeating: b[2]), a3 = Lanes(repeating: b[3])
        var term = 0
        for i in 0..<inputChannels {
            let row = x + i &* bins
            for j in 0..<kernel {
                let v = load(row + j)
                a0 += v * w[term]
                a1 += v * w1[term]
                a2 += v * w2[term]
                a3 += v * w3[term]
                term &+= 1
            }
        }
        finish(a0, y, combine)
        finish(a1, y + bins, combine)
        finish(a2, y + 2 &* bins, combine)
        finish(a3, y + 3 &* bins, combine)
    }

    /// One output channel by Lanes bins, starting from `bias`; x points at the first bin's
    /// first tap in the channel's first input row.
    @inline(__always)
    static func oneRow(
        _ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ bias: Float, _ y: UnsafeMutablePointer<Float>,
        _ inputChannels: Int, _ kernel: Int, _ dilation: Int, _ bins: Int, _ combine: Combine
    ) {
        var a = Lanes(repeating: bias), term = 0
        for i in 0..<inputChannels {
            let row = x + i &* bins
            for j in 0..<kernel {
                a += load(row + j &* dilation) * w[term]
                term &+= 1
            }
        }
        finish(a, y, combine)
    }

    /// One output at bin k near the row's ends (or beyond the last whole vector): the taps
    /// that read the padding are skipped.
    @inline(__always)
    static func edge(
        _ x: UnsafePointer<Float>, _ k: Int, _ w: UnsafePointer<Float>, _ bias: Float, _ y: UnsafeMutablePointer<Float>,
        _ inputChannels: Int, _ kernel: Int, _ dilation: Int, _ bins: Int, _ combine: Combine
    ) {
        var a = bias
        for i in 0..<inputChannels {
            for j in 0..<kernel {
                let source = k + (j - kernel / 2) * dilation
                if source >= 0 && source < bins { a += w[i &* kernel &+ j] * x[i &* bins &+ source] }
            }
        }
        switch combine {
        case .store: y[k] = a
        case .addRectified: y[k] += max(a, 0)
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
