import Foundation
import Testing
import RephaseCore
import RephaseReference

/// Replays phase derivatives computed from the true STFT phase: with them the least-squares
/// integrator must give back the original signal (required: >= 40 dB).
struct OracleEstimator: PhaseDerivativeEstimator {
    let oracle: OracleSpectrogram
    var frame = 0
    var lookahead: Int { 0 }

    mutating func reset() { frame = 0 }

    mutating func push(
        magnitudes: Span<Float>, delayedMagnitudes: inout MutableSpan<Float>,
        timeDerivative: inout MutableSpan<Float>, frequencyDerivative: inout MutableSpan<Float>
    ) -> Bool {
        // Past the recorded frames (the flush of silence at the end) the phase stays put.
        let last = oracle.phases.count - 1
        let phi = oracle.phases[min(frame, last)], previous = frame > 0 ? oracle.phases[min(frame - 1, last)] : phi
        for k in 0..<magnitudes.count {
            delayedMagnitudes[k] = magnitudes[k]
            timeDerivative[k] = Float(remainder(phi[k] - previous[k], 2 * Double.pi))
            frequencyDerivative[k] = k + 1 < phi.count ? Float(remainder(phi[k + 1] - phi[k], 2 * Double.pi)) : 0
        }
        frame += 1
        return true
    }
}

/// SNR against the signal or its negative, whichever is better: magnitudes cannot tell x from -x.
func signAgnosticSNR(_ reference: [Float], _ estimate: [Float]) -> Double {
    let r = reference.map(Double.init), e = estimate.map(Double.init)
    return max(snrDecibels(reference: r, estimate: e), snrDecibels(reference: r, estimate: e.map { -$0 }))
}

@Suite struct PhaseGradientInverterTests {
    static let speech = Array(SpeechFixture.audio.samples)

    @Test func oracleDerivativesReconstructSpeech() {
        let oracle = OracleSpectrogram(Self.speech)
        var inverter = PhaseGradientInverter<512, 128, 257, OracleEstimator>(estimator: OracleEstimator(oracle: oracle))
        let frames = oracle.floatFrames
        let y = invert(&inverter, frames: frames, length: Self.speech.count)
        let snr = signAgnosticSNR(Self.speech, y)
        #expect(snr >= 40, "\(snr) dB")  // measured 93.3 dB
    }

    @Test func latencyCountsLookahead() {
        let causal = PhaseGradientInverter<512, 128, 257, PGHIEstimator<257>>(
            estimator: PGHIEstimator(frameLength: 512, hop: 128, lookahead: 0))
        let ahead = PhaseGradientInverter<512, 128, 257, PGHIEstimator<257>>(
            estimator: PGHIEstimator(frameLength: 512, hop: 128, lookahead: 1))
        #expect(causal.latency == 384)
        #expect(ahead.latency == 512)
    }

    /// PGHI + least squares on real speech: a regression bound on spectral convergence (the
    /// dev-split quality is measured by Tools/eval, not here). Measured on the bundled clip:
    /// -25.2 dB causal, -26.3 dB with one frame of look-ahead.
    @Test(arguments: [0, 1])
    func pghiInverterSpectralConvergence(lookahead: Int) {
        let oracle = OracleSpectrogram(Self.speech)
        var inverter = PhaseGradientInverter<512, 128, 257, PGHIEstimator<257>>(
            estimator: PGHIEstimator(frameLength: 512, hop: 128, lookahead: lookahead))
        let frames = oracle.floatFrames
        let y = invert(&inverter, frames: frames, length: Self.speech.count)
        let sc = spectralConvergence(reference: Self.speech, estimate: y)
        #expect(sc <= -22, "SC \(sc) dB")
    }

    @Test func resetRestartsIdentically() {
        let oracle = OracleSpectrogram(Array(Self.speech[0..<8000]))
        let frames = oracle.floatFrames
        var inverter = PhaseGradientInverter<512, 128, 257, PGHIEstimator<257>>(
            estimator: PGHIEstimator(frameLength: 512, hop: 128))
        let first = invert(&inverter, frames: frames, length: 8000)
        inverter.reset()
        let second = invert(&inverter, frames: frames, length: 8000)
        #expect(first == second)
    }
}
