import Testing
import RephaseCore

/// The Q15 CNN inverter on the bundled clip against its Float32 twin (same network, same least
/// squares). Waveform SNR between the two is not the measure: the integrator follows its own
/// previous phases, so a 1e-5 rad change of every time derivative already moves the output by
/// -30 dB (measured); quality is compared by spectral convergence instead (dev-split WB-PESQ in
/// docs/RESULTS.md).
@Suite struct Q15PhaseGradientInverterTests {
    static let speech = Array(SpeechFixture.audio.samples)
    static let frames = OracleSpectrogram(speech).floatFrames

    typealias Causal = Q15PhaseGradientInverter<512, 128, 257, Q15CausalCNNEstimator>
    typealias Strided = Q15PhaseGradientInverter<512, 128, 257, Q15StridedCNNEstimator>

    static var causal: Causal { Causal(estimator: Q15CausalCNNEstimator(variant: .causal), integrator: .tuned(for: .causal)) }
    static var strided: Strided { Strided(estimator: Q15StridedCNNEstimator(variant: .strided), integrator: .tuned(for: .strided)) }

    /// Measured: causal -28.67 dB (Float32 -28.68), strided -28.05 dB (Float32 -28.03).
    @Test(arguments: [CNNVariant.causal, .strided])
    func matchesFloat32SpectralConvergence(variant: CNNVariant) {
        var float = PhaseGradientInverter<512, 128, 257, CNNEstimator>(
            estimator: CNNEstimator(variant: variant), integrator: .tuned(for: variant))
        var causal = Self.causal, strided = Self.strided
        let fixed = variant == .causal
            ? invert(&causal, frames: Self.frames, length: Self.speech.count)
            : invert(&strided, frames: Self.frames, length: Self.speech.count)
        let q = spectralConvergence(reference: Self.speech, estimate: fixed)
        let f = spectralConvergence(reference: Self.speech, estimate: invert(&float, frames: Self.frames, length: Self.speech.count))
        #expect(abs(q - f) <= 0.5, "Q15 \(q) dB, Float32 \(f) dB")
    }

    /// The integer PGHI estimator against PGHIEstimator, both with the same Float32 least squares.
    /// Measured: -25.843 dB against -25.843 dB causal, -27.657 against -27.657 at L = 1.
    @Test(arguments: [0, 1])
    func q15PGHIMatchesFloat32SpectralConvergence(lookahead: Int) {
        var fixed = Q15PhaseGradientInverter<512, 128, 257, Q15PGHIEstimator<257>>(
            estimator: Q15PGHIEstimator(frameLength: 512, hop: 128, lookahead: lookahead))
        var float = PhaseGradientInverter<512, 128, 257, PGHIEstimator<257>>(
            estimator: PGHIEstimator(frameLength: 512, hop: 128, lookahead: lookahead))
        let q = spectralConvergence(reference: Self.speech, estimate: invert(&fixed, frames: Self.frames, length: Self.speech.count))
        let f = spectralConvergence(reference: Self.speech, estimate: invert(&float, frames: Self.frames, length: Self.speech.count))
        #expect(abs(q - f) <= 0.5, "Q15 \(q) dB, Float32 \(f) dB")
    }

    /// The fixed-point interface (mantissas in, Int16 out) is what the Float interface runs.
    @Test func fixedPointInterfaceIsTheFloatOne() {
        expectFloatInterfaceIsTheFixedPointOne(Self.strided, frames: Self.frames[0..<80])
    }

    @Test func latencyAndReset() {
        #expect(Self.causal.latency == 384)
        // N - H, plus two hops of look-ahead for the strided network spread over two hops.
        #expect(Self.strided.latency == 640)
        let clip = Array(Self.frames[0..<60])
        var inverter = Self.strided
        let first = invert(&inverter, frames: clip, length: 6000)
        inverter.reset()
        #expect(invert(&inverter, frames: clip, length: 6000) == first)
    }
}
