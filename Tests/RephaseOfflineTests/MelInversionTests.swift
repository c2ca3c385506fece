import Foundation
import RephaseCore
import RephaseIO
import RephaseOffline
import RephaseReference
import Testing

/// The host mel tools on the bundled clip: the run-time basis against librosa, NNLS against
/// its optimality conditions, and ADMM against the cascade (NNLS + FGLA).
@Suite struct MelInversionTests {
    typealias STFT = WholeSignalSTFT<512, 128>
    static let basis = MelBasis(MelBands(count: 80, fftSize: 512, sampleRate: 16_000))
    static let magnitudes = STFT.forward(SpeechClip.samples).magnitudes
    static let mel = basis.melSpectrogram(of: magnitudes)

    @Test func basisMatchesLibrosa() throws {
        let expected = try NpyMatrix(contentsOf: BundledExample.fixture("mel/librosa-mel-80-slaney.npy"))
        var worst: Float = 0
        for b in 0..<80 {
            for k in 0..<257 { worst = max(worst, abs(Self.basis.weight(band: b, bin: k) - expected.values[b * 257 + k])) }
        }
        #expect(worst <= 1e-6, "max difference \(worst)")
    }

    /// Cholesky solves against RephaseReference's dense float64 solve on ADMM's normal matrix.
    @Test func choleskyMatchesDenseSolve() throws {
        let n = 257, a = Self.basis.normalMatrix(ridge: 1e-4)
        let factor = try #require(CholeskyFactor(a, size: n))
        var generator = SplitMix64(seed: 4)
        let b = (0..<n).map { _ in generator.signed() }
        var x = b
        factor.solve(&x)
        let expected = DenseSolve.solve(a, n: n, b)
        let scale = expected.map(abs).max() ?? 1
        for i in 0..<n { #expect(abs(x[i] - expected[i]) <= 1e-9 * scale, "row \(i)") }
    }

    /// The NNLS result is non-negative and satisfies the optimality (KKT) conditions to within
    /// a small fraction of the gradient's scale: g = F^T (F a - m) >= 0 where a = 0, and g = 0
    /// where a > 0. More iterations lower the residual.
    @Test func nnlsSatisfiesOptimalityConditions() {
        let frames = Array(Self.mel.values[200 * 80..<260 * 80])
        let mel = MagnitudeSpectrogram(frames: 60, bins: 80, values: frames)
        func residual(_ a: MagnitudeSpectrogram) -> (norm: Double, values: [Float]) {
            var r = Self.basis.melSpectrogram(of: a).values
            for i in r.indices { r[i] -= mel.values[i] }
            return (r.reduce(0) { $0 + Double($1 * $1) }.squareRoot(), r)
        }
        let few = MelNNLS(iterations: 10).solve(mel, basis: Self.basis)
        let many = MelNNLS(iterations: 3000).solve(mel, basis: Self.basis)
        #expect(many.values.allSatisfy { $0 >= 0 })
        let (manyNorm, r) = residual(many)
        #expect(manyNorm < residual(few).norm)
        let gradient = Self.basis.transposedProduct(r, frames: 60)
        let melGradientScale = Self.basis.transposedProduct(mel.values, frames: 60).map(abs).max() ?? 1
        for i in gradient.indices {
            if many.values[i] > 0 {
                #expect(abs(gradient[i]) <= 1e-3 * melGradientScale, "bin \(i % 257) of frame \(i / 257): \(gradient[i])")
            } else {
                #expect(gradient[i] >= -1e-3 * melGradientScale)
            }
        }
    }

    /// ADMM's objective (0.5 ||F A - M||^2 + lambda/2 || |X| - A ||^2) ends far below where it
    /// starts, the constraint X = Z gets closer to holding, and the signal's mel spectrogram
    /// keeps approaching M (mel spectral convergence 5 dB better at iteration 100 than 20).
    @Test func admmConverges() {
        let initial = MelNNLS(iterations: 100).solve(Self.mel, basis: Self.basis)
        var generator = SplitMix64(seed: 0)
        let phase = FastGriffinLim<512, 128>.InitialPhase.random(frames: initial.frames, bins: 257, using: &generator)
        var progress: [MelADMM<512, 128>.Progress] = []
        _ = MelADMM<512, 128>(iterations: 100, lambda: 5, rho: 1e-5).reconstruct(
            Self.mel, basis: Self.basis, length: SpeechClip.samples.count, initial: initial, initialPhase: phase
        ) { progress.append($0) }
        #expect(progress.map(\.iteration) == Array(1...100))
        let first = progress[0], twenty = progress[19], last = progress[99]
        #expect(last.objective < 0.1 * first.objective, "objective \(first.objective) -> \(last.objective)")
        #expect(last.primalResidual < 0.5 * first.primalResidual)
        #expect(last.melConvergence < twenty.melConvergence - 5, "mel SC \(twenty.melConvergence) -> \(last.melConvergence) dB")
    }
}
