import Foundation

/// Joint magnitude and phase estimation from a mel spectrogram by ADMM (seed: Masuyama, Ueno
/// and Ono, arXiv 2501.05557; the updates are the formulation of docs/ALGORITHMS.md section 8,
/// ours where the paper's were not available):
///
///     minimise over X, A >= 0, Z:  0.5 ||F A - M||^2 + (lambda/2) || |X| - A ||^2 + i_C(Z)
///     subject to X = Z,
///
/// C the consistent spectrograms, scaled dual U, penalty rho. Per iteration, with V = Z - U
/// and mu = lambda rho / (lambda + rho):
///
///     A <- max(0, (F^T F + mu I)^{-1} (F^T M + mu |V|))
///     X <- ((lambda A + rho |V|) / (lambda + rho)) e^{j angle V}
///     Z <- P_C(X + U),   U <- U + X - Z
///
/// F^T F + mu I is the same K x K matrix for every frame and iteration: it is factored once
/// (Cholesky). Initialisation: A from NNLS of M (MelNNLS), Z = P_C(A e^{j phi_0}), U = 0.
/// The result is the signal whose STFT is the last Z.
public struct MelADMM<let N: Int, let H: Int> {
    public var iterations: Int
    public var lambda: Double
    public var rho: Double

    /// What each iteration reports (for convergence prints and plots).
    public struct Progress: Sendable {
        public var iteration: Int
        /// 0.5 ||F A - M||^2 + (lambda/2) || |X| - A ||^2 (i_C(Z) = 0: Z is consistent).
        public var objective: Double
        /// Spectral convergence of F|Z| (the mel spectrogram of the current signal) against M, dB.
        public var melConvergence: Double
        /// ||X - Z|| / ||Z||: how far the constraint is from holding.
        public var primalResidual: Double
    }

    public init(iterations: Int, lambda: Double, rho: Double) {
        precondition(iterations >= 0 && lambda > 0 && rho > 0, "MelADMM: need iterations >= 0, lambda > 0, rho > 0")
        self.iterations = iterations
        self.lambda = lambda
        self.rho = rho
    }

    /// A signal of `length` samples whose mel spectrogram approximates `mel` (B bands per
    /// frame, `WholeSignalSTFT<N, H>` framing), starting from magnitudes `initial` (K bins).
    public func reconstruct(
        _ mel: MagnitudeSpectrogram, basis: MelBasis, length: Int, initial: MagnitudeSpectrogram,
        initialPhase: FastGriffinLim<N, H>.InitialPhase, progress: ((Progress) -> Void)? = nil
    ) -> [Float] {
        typealias STFT = WholeSignalSTFT<N, H>
        let frames = mel.frames, k = basis.bins
        precondition(k == STFT.bins && frames == STFT.frameCount(length: length) && initial.frames == frames,
                     "MelADMM: the spectrograms do not have the STFT size of a \(length)-sample signal")
        let mu = lambda * rho / (lambda + rho)
        guard let factor = CholeskyFactor(basis.normalMatrix(ridge: mu), size: k) else {
            preconditionFailure("MelADMM: F^T F + mu I is not positive definite")
        }
        let projectedMel = basis.transposedProduct(mel.values, frames: frames)
        var start = FastGriffinLim<N, H>.start(initial, phase: initialPhase)
        var signal = STFT.inverse(start, length: length)
        var z = STFT.forward(signal)
        var u = ComplexSpectrogram(frames: frames, bins: k, re: .init(repeating: 0, count: frames * k), im: .init(repeating: 0, count: frames * k))
        var a = initial.values
        var column = [Double](repeating: 0, count: k)
        let count = frames * k
        var vMagnitude = [Float](repeating: 0, count: count)
        for n in 0..<iterations {
            // V = Z - U and its magnitudes; then the magnitude step, one frame at a time.
            for i in 0..<count {
                start.re[i] = z.re[i] - u.re[i]
                start.im[i] = z.im[i] - u.im[i]
                vMagnitude[i] = (start.re[i] * start.re[i] + start.im[i] * start.im[i]).squareRoot()
            }
            for t in 0..<frames {
                for j in 0..<k { column[j] = Double(projectedMel[t * k + j]) + mu * Double(vMagnitude[t * k + j]) }
                factor.solve(&column)
                for j in 0..<k { a[t * k + j] = Float(max(0, column[j])) }
            }
            // X keeps V's phase with the weighted mean of A and |V| as magnitude; W = X + U.
            var x = start
            var objectiveMagnitude = 0.0
            for i in 0..<count {
                let m = Float((lambda * Double(a[i]) + rho * Double(vMagnitude[i])) / (lambda + rho))
                if vMagnitude[i] > 0 {
                    x.re[i] = m * start.re[i] / vMagnitude[i]
                    x.im[i] = m * start.im[i] / vMagnitude[i]
                } else {
                    x.re[i] = m
                    x.im[i] = 0
                }
                let d = Double(m) - Double(a[i])
                objectiveMagnitude += d * d
                start.re[i] = x.re[i] + u.re[i]
                start.im[i] = x.im[i] + u.im[i]
            }
            signal = STFT.inverse(start, length: length)
            z = STFT.forward(signal)
            var residual = 0.0, energy = 0.0
            for i in 0..<count {
                let dr = x.re[i] - z.re[i], di = x.im[i] - z.im[i]
                u.re[i] += dr
                u.im[i] += di
                residual += Double(dr * dr + di * di)
                energy += Double(z.re[i] * z.re[i] + z.im[i] * z.im[i])
            }
            if let progress {
                let fitted = basis.melSpectrogram(of: MagnitudeSpectrogram(frames: frames, bins: k, values: a))
                var melError = 0.0
                for i in mel.values.indices {
                    let d = Double(fitted.values[i] - mel.values[i])
                    melError += d * d
                }
                progress(Progress(
                    iteration: n + 1, objective: 0.5 * melError + 0.5 * lambda * objectiveMagnitude,
                    melConvergence: mel.spectralConvergence(of: basis.melSpectrogram(of: z.magnitudes)),
                    primalResidual: energy > 0 ? (residual / energy).squareRoot() : 0))
            }
        }
        return signal
    }
}
