/// Non-negative least squares for mel inversion on the host: for every frame,
/// min_{a >= 0} 0.5 ||F a - m||^2 with F the mel basis, the magnitude stage of the cascaded
/// baseline and ADMM's initial magnitudes (docs/ALGORITHMS.md section 8).
///
/// F has fewer rows than columns, so the minimiser is not unique; like librosa's
/// `mel_to_stft` we start from the clipped minimum-norm solution max(0, F^T (F F^T)^{-1} m)
/// and then run FISTA (Beck and Teboulle 2009: projected gradient steps of 1/L,
/// L >= ||F^T F|| a Gershgorin bound, with Nesterov momentum), which keeps the residual
/// decreasing towards the non-negative optimum.
public struct MelNNLS: Sendable {
    public var iterations: Int

    public init(iterations: Int = 100) {
        precondition(iterations >= 0, "MelNNLS: iterations must not be negative")
        self.iterations = iterations
    }

    /// Linear magnitudes (K bins per frame) whose mel spectrogram approximates `mel` (B bands).
    public func solve(_ mel: MagnitudeSpectrogram, basis: MelBasis) -> MagnitudeSpectrogram {
        precondition(mel.bins == basis.count, "MelNNLS: the mel spectrogram has \(mel.bins) bands, the basis \(basis.count)")
        let b = basis.count, frames = mel.frames
        let gram = basis.gramMatrix()
        var trace = 0.0, bound = 0.0
        for i in 0..<b {
            trace += gram[i * b + i]
            bound = max(bound, (0..<b).reduce(0.0) { $0 + abs(gram[i * b + $1]) })
        }
        // A tiny ridge keeps F F^T invertible when a band is empty (more bands than bins can fill).
        var ridged = gram
        for i in 0..<b { ridged[i * b + i] += 1e-9 * trace / Double(b) }
        guard let factor = CholeskyFactor(ridged, size: b) else { preconditionFailure("MelNNLS: F F^T is not positive definite") }
        var y = [Float](repeating: 0, count: frames * b)
        var row = [Double](repeating: 0, count: b)
        for t in 0..<frames {
            for i in 0..<b { row[i] = Double(mel.values[t * b + i]) }
            factor.solve(&row)
            for i in 0..<b { y[t * b + i] = Float(row[i]) }
        }
        var x = basis.transposedProduct(y, frames: frames).map { max(0, $0) }
        var z = x, momentum = 1.0
        let step = Float(1 / bound)
        for _ in 0..<iterations {
            var residual = basis.melSpectrogram(of: MagnitudeSpectrogram(frames: frames, bins: basis.bins, values: z)).values
            for i in residual.indices { residual[i] -= mel.values[i] }
            let gradient = basis.transposedProduct(residual, frames: frames)
            let next = (1 + (1 + 4 * momentum * momentum).squareRoot()) / 2
            let beta = Float((momentum - 1) / next)
            for i in x.indices {
                let updated = max(0, z[i] - step * gradient[i])
                z[i] = updated + beta * (updated - x[i])
                x[i] = updated
            }
            momentum = next
        }
        return MagnitudeSpectrogram(frames: frames, bins: basis.bins, values: x)
    }
}
