import RephaseCore

/// The mel filterbank F (B x K) with a band count chosen at run time, for whole-spectrogram
/// host algorithms; the weights come from the core's `MelBands`, so they are the streaming
/// filterbank's (and librosa's). Each band is stored as its run of non-zero weights.
public struct MelBasis: Sendable {
    public let bands: MelBands
    /// K, the bins of the linear spectra.
    public let bins: Int
    /// Band b's weights F[b, first[b] ..< first[b] + length[b]] are
    /// weights[offset[b] ..< offset[b] + length[b]] (one flat array: the products below run
    /// over every frame of every NNLS and ADMM iteration).
    let first: [Int]
    let length: [Int]
    let offset: [Int]
    let weights: [Float]

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
        var first = [Int](), length = [Int](), offset = [Int](), weights = [Float]()
        for row in dense {
            let start = row.firstIndex { $0 > 0 } ?? 0, end = (row.lastIndex { $0 > 0 } ?? -1) + 1
            first.append(start)
            length.append(max(0, end - start))
            offset.append(weights.count)
            weights += row[start..<max(start, end)]
        }
        self.first = first
        self.length = length
        self.offset = offset
        self.weights = weights
    }

    /// B, the number of bands.
    public var count: Int { bands.count }

    /// F[b, k].
    public func weight(band b: Int, bin k: Int) -> Float {
        let i = k - first[b]
        return i >= 0 && i < length[b] ? weights[offset[b] + i] : 0
    }

    /// s_b = sum_k F[b, k], each band's weight sum (the core's `MelFilterbank.bandSums`).
    public var bandSums: [Float] {
        (0..<count).map { b in weights[offset[b]..<offset[b] + length[b]].reduce(0, +) }
    }

    /// F A for every frame: the mel spectrogram of linear magnitudes `a` (K bins).
    public func melSpectrogram(of a: MagnitudeSpectrogram) -> MagnitudeSpectrogram {
        precondition(a.bins == bins, "MelBasis: magnitudes have \(a.bins) bins, not \(bins)")
        var mel = [Float](repeating: 0, count: a.frames * count)
        weights.withUnsafeBufferPointer { w in
            a.values.withUnsafeBufferPointer { x in
                mel.withUnsafeMutableBufferPointer { m in
                    for t in 0..<a.frames {
                        for b in 0..<count {
                            var sum: Float = 0
                            let row = offset[b], column = t * bins + first[b]
                            for i in 0..<length[b] { sum += w[row + i] * x[column + i] }
                            m[t * count + b] = sum
                        }
                    }
                }
            }
        }
        return MagnitudeSpectrogram(frames: a.frames, bins: count, values: mel)
    }

    /// F^T R for every frame of `r` (B bands): K values per frame.
    public func transposedProduct(_ r: [Float], frames: Int) -> [Float] {
        var out = [Float](repeating: 0, count: frames * bins)
        weights.withUnsafeBufferPointer { w in
            out.withUnsafeMutableBufferPointer { o in
                for t in 0..<frames {
                    for b in 0..<count {
                        let rb = r[t * count + b], row = offset[b], column = t * bins + first[b]
                        for i in 0..<length[b] { o[column + i] += w[row + i] * rb }
                    }
                }
            }
        }
        return out
    }

    /// F^T F + mu I as a dense K x K matrix in Double, row-major (ADMM's normal matrix).
    public func normalMatrix(ridge mu: Double) -> [Double] {
        var g = [Double](repeating: 0, count: bins * bins)
        for b in 0..<count {
            for i in 0..<length[b] {
                for j in 0..<length[b] {
                    g[(first[b] + i) * bins + first[b] + j] += Double(weights[offset[b] + i]) * Double(weights[offset[b] + j])
                }
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
                for i in 0..<length[b] { sum += Double(weights[offset[b] + i]) * Double(weight(band: c, bin: first[b] + i)) }
                g[b * count + c] = sum
            }
        }
        return g
    }
}
