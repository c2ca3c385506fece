import RephaseCore

/// The mel filterbank F (B x K) with a band count chosen at run time, for whole-spectrogram
/// host algorithms; the weights come from the core's `MelBands`, so they are the streaming
/// filterbank's (and librosa's). Each band is stored as its run of non-zero weights.
public struct MelBasis: Sendable {
    public let bands: MelBands
    /// K, the bins of the linear spectra.
    public let bins: Int
    /// Band b's weights F[b, first[b] ..< first[b] + weights[b].count].
    public let first: [Int]
    public let weights: [[Float]]

    /// The bands for the project STFT size N (K = N/2 + 1 bins).
    public init(_ bands: MelBands) {
        self.bands = bands
        bins = bands.fftSize / 2 + 1
        var dense = [[Float]](repeating: [Float](repeating: 0, count: bins), count: bands.count)
        for k in 0..<bins {
            let w = bands.weights(bin: k)
            if w.falling > 0 { dense[w.risingBand - 1][k] = w.falling }
            if w.rising > 0 { dense[w.risingBand][k] = w.rising }
        }
        let starts = dense.map { $0.firstIndex { $0 > 0 } ?? 0 }
        first = starts
        weights = dense.indices.map { b in
            guard let last = dense[b].lastIndex(where: { $0 > 0 }) else { return [] }
            return Array(dense[b][starts[b]...last])
        }
    }

    /// B, the number of bands.
    public var count: Int { bands.count }

    /// F[b, k].
    public func weight(band b: Int, bin k: Int) -> Float {
        let i = k - first[b]
        return i >= 0 && i < weights[b].count ? weights[b][i] : 0
    }

    /// F A for every frame: the mel spectrogram of linear magnitudes `a` (K bins).
    public func melSpectrogram(of a: MagnitudeSpectrogram) -> MagnitudeSpectrogram {
        precondition(a.bins == bins, "MelBasis: magnitudes have \(a.bins) bins, not \(bins)")
        var mel = [Float](repeating: 0, count: a.frames * count)
        for t in 0..<a.frames {
            for b in 0..<count {
                var sum: Float = 0
                for (i, w) in weights[b].enumerated() { sum += w * a.values[t * bins + first[b] + i] }
                mel[t * count + b] = sum
            }
        }
        return MagnitudeSpectrogram(frames: a.frames, bins: count, values: mel)
    }

    /// F^T R for every frame of `r` (B bands): K values per frame.
    public func transposedProduct(_ r: [Float], frames: Int) -> [Float] {
        var out = [Float](repeating: 0, count: frames * bins)
        for t in 0..<frames {
            for b in 0..<count {
                let rb = r[t * count + b]
                for (i, w) in weights[b].enumerated() { out[t * bins + first[b] + i] += w * rb }
            }
        }
        return out
    }

    /// F^T F + mu I as a dense K x K matrix in Double, row-major (ADMM's normal matrix).
    public func normalMatrix(ridge mu: Double) -> [Double] {
        var g = [Double](repeating: 0, count: bins * bins)
        for b in 0..<count {
            for (i, wi) in weights[b].enumerated() {
                for (j, wj) in weights[b].enumerated() { g[(first[b] + i) * bins + first[b] + j] += Double(wi) * Double(wj) }
            }
        }
        for k in 0..<bins { g[k * bins + k] += mu }
        return g
    }

    /// F F^T as a dense B x B matrix in Double (the minimum-norm solution's system).
    public func gramMatrix() -> [Double] {
        var g = [Double](repeating: 0, count: count * count)
        for b in 0..<count {
            for c in 0..<count {
                var sum = 0.0
                for (i, w) in weights[b].enumerated() { sum += Double(w) * Double(weight(band: c, bin: first[b] + i)) }
                g[b * count + c] = sum
            }
        }
        return g
    }
}
