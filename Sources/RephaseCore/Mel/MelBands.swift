/// The triangular mel bands of librosa.filters.mel (its defaults: Slaney's scale and "slaney"
/// area normalisation), described without any storage so that both the core's fixed-size
/// `MelFilterbank` and host code with a run-time band count build their weights from it.
///
/// B + 2 edge frequencies p_0 ... p_{B+1} are equally spaced in mels from fmin to fmax; band b
/// is the triangle rising from p_b to 1 at p_{b+1} and falling to 0 at p_{b+2}, scaled by
/// 2 / (p_{b+2} - p_b) so every band has the same area (constant energy per mel band). A bin
/// at frequency f with p_j <= f < p_{j+1} therefore lies on the rising side of band j and the
/// falling side of band j - 1 and in no other band: each bin has at most two weights.
public struct MelBands: Sendable, Equatable {
    public var scale: MelScale
    /// B, the number of bands.
    public var count: Int
    public var sampleRate: Float
    /// The DFT size N of the spectra the bands apply to (bins k = 0 ... N/2 at k fs / N).
    public var fftSize: Int
    public var minimumFrequency: Float
    public var maximumFrequency: Float
    let lowestMel: Float
    let melStep: Float

    /// librosa's defaults: Slaney's scale, fmin 0, fmax fs / 2.
    public init(
        count: Int, fftSize: Int, sampleRate: Float, scale: MelScale = .slaney, minimumFrequency: Float = 0,
        maximumFrequency: Float? = nil
    ) {
        let top = maximumFrequency ?? sampleRate / 2
        precondition(count > 0 && fftSize > 1, "MelBands: need at least one band and a DFT size")
        precondition(minimumFrequency >= 0 && top > minimumFrequency, "MelBands: need 0 <= fmin < fmax")
        self.scale = scale
        self.count = count
        self.sampleRate = sampleRate
        self.fftSize = fftSize
        self.minimumFrequency = minimumFrequency
        self.maximumFrequency = top
        lowestMel = scale.mel(hertz: minimumFrequency)
        melStep = (scale.mel(hertz: top) - lowestMel) / Float(count + 1)
    }

    /// Edge frequency p_j in hertz, j = 0 ... B + 1.
    public func edge(_ j: Int) -> Float {
        scale.hertz(mel: lowestMel + Float(j) * melStep)
    }

    /// The two weights of bin k (frequency k fs / N): `falling` belongs to band
    /// `risingBand - 1` and `rising` to band `risingBand`; a weight whose band does not exist
    /// (outside 0 ..< B) is 0. Exactly librosa's max(0, min(lower, upper)) for each band.
    public func weights(bin k: Int) -> (risingBand: Int, falling: Float, rising: Float) {
        let f = Float(k) * sampleRate / Float(fftSize)
        // Segment j with p_j <= f < p_{j+1}: first guess from the mel value, then made exact
        // against the edges themselves (the bands are defined by them).
        let guess = (scale.mel(hertz: f) - lowestMel) / melStep
        var j = guess < 0 ? -1 : min(Int(guess), count + 1)
        while j <= count, edge(j + 1) <= f { j += 1 }
        while j >= 0, edge(j) > f { j -= 1 }
        guard j >= 0, j <= count else { return (j, 0, 0) }
        let lower = edge(j), upper = edge(j + 1)
        var falling: Float = 0, rising: Float = 0
        if j >= 1 {
            falling = (upper - f) / (upper - lower) * (2 / (upper - edge(j - 1)))
        }
        if j < count {
            rising = (f - lower) / (upper - lower) * (2 / (edge(j + 2) - lower))
        }
        return (j, falling, rising)
    }
}
