import Testing
@testable import RephaseCore

/// The CNN estimator inside the streaming inverter, on the bundled clip (a dev-split speaker,
/// unseen in training), against PGHI with the same least squares.
@Suite struct CNNEstimatorTests {
    static let speech = Array(SpeechFixture.audio.samples)
    static let frames = OracleSpectrogram(speech).floatFrames

    static func spectralConvergence<E: PhaseDerivativeEstimator>(
        _ estimator: E, _ integrator: LeastSquaresPhaseIntegrator<257> = .init()
    ) -> Double {
        var inverter = PhaseGradientInverter<512, 128, 257, E>(estimator: estimator, integrator: integrator)
        let y = invert(&inverter, frames: frames, length: speech.count)
        return RephaseCoreTests.spectralConvergence(reference: speech, estimate: y)
    }

    /// Spectral convergence with each estimator's own least-squares weights. Measured:
    /// causal -28.7 dB (Float32 and Float16) against PGHI's -25.8 dB; strided -28.0 dB against
    /// PGHI with one frame of look-ahead, -27.7 dB.
    @Test(arguments: [CNNVariant.causal, .strided], [CNNPrecision.float32, .float16])
    func beatsPGHI(variant: CNNVariant, precision: CNNPrecision) {
        let pghi = Self.spectralConvergence(PGHIEstimator<257>(frameLength: 512, hop: 128, lookahead: variant == .strided ? 1 : 0))
        let cnn = Self.spectralConvergence(CNNEstimator(variant: variant, precision: precision), .tuned(for: variant))
        #expect(cnn < pghi, "CNN \(cnn) dB, PGHI \(pghi) dB")
    }

    /// The features' constant silent level is what FloatMath.log gives for the floor, to the bit.
    @Test func silentLogIsFloatMathLogOfTheFloor() {
        let computed = FloatMath.log(CNNArchitecture.logFloor)
        #expect(CNNFeatures.silentLog.bitPattern == computed.bitPattern, "0x\(String(computed.bitPattern, radix: 16))")
    }

    @Test func lookaheadAndLatency() {
        #expect(CNNEstimator(variant: .causal).lookahead == 0)
        #expect(CNNEstimator(variant: .strided).lookahead == 1)
        let inverter = PhaseGradientInverter<512, 128, 257, CNNEstimator>(estimator: CNNEstimator(variant: .strided))
        #expect(inverter.latency == 512)
    }

    @Test func resetRestartsIdentically() {
        let clip = Array(Self.frames[0..<60])
        var inverter = PhaseGradientInverter<512, 128, 257, CNNEstimator>(estimator: CNNEstimator(variant: .strided))
        let first = invert(&inverter, frames: clip, length: 6000)
        inverter.reset()
        #expect(invert(&inverter, frames: clip, length: 6000) == first)
    }
}
