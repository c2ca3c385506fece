import Testing
@testable import RephaseCore

/// Every inverter's Float entry reads its magnitudes through MagnitudeRange.bounded: hostile
/// frames (non-finite, negative, near Float's limit) give finite output, never a trap, and
/// ordinary ones are untouched (the pipeline goldens check that bit for bit).
@Suite struct MagnitudeRangeTests {
    @Test func boundedIsTheIdentityInsideTheRangeAndClampsOutside() {
        for a: Float in [0, .leastNonzeroMagnitude, 1e-30, 0.5, 1, 256, 8.4e6, MagnitudeRange.largest] {
            #expect(MagnitudeRange.bounded(a) == a)
        }
        for a: Float in [.nan, -.nan, -0.0, -1, -.infinity, -.greatestFiniteMagnitude] {
            #expect(MagnitudeRange.bounded(a) == 0 && MagnitudeRange.bounded(a).sign == .plus)
        }
        for a: Float in [MagnitudeRange.largest.nextUp, 1e30, .greatestFiniteMagnitude, .infinity] {
            #expect(MagnitudeRange.bounded(a) == MagnitudeRange.largest)
        }
    }

    /// A voiced speech frame's magnitudes.
    static let speech = OracleSpectrogram(SpeechFixture.loudestFrame(count: 1024).map(Float.init)).floatMagnitudes(3)

    /// Frames that broke the Float32 inverters before the bound: each is streamed for long
    /// enough to pass every inverter's look-ahead.
    static let hostileFrames: [(name: String, frame: [Float])] = [
        ("NaN", .init(repeating: .nan, count: 257)),
        ("+infinity", .init(repeating: .infinity, count: 257)),
        ("-infinity", .init(repeating: -.infinity, count: 257)),
        ("negative", .init(repeating: -3, count: 257)),
        ("largest Float", .init(repeating: .greatestFiniteMagnitude, count: 257)),
        ("1e30", .init(repeating: 1e30, count: 257)),
        ("3e38 in alternate bins", (0..<257).map { $0 % 2 == 0 ? 3e38 : 0 }),
        ("the bound", .init(repeating: MagnitudeRange.largest, count: 257)),
        ("the bound in alternate bins", (0..<257).map { $0 % 2 == 1 ? MagnitudeRange.largest : 0 }),
        ("subnormal", .init(repeating: .leastNonzeroMagnitude, count: 257)),
        ("one NaN bin in speech", { var f = speech; f[100] = .nan; return f }()),
    ]

    /// Streams 6 copies of each hostile frame, then 2 of speech, and expects finite output.
    func expectFiniteOutput<I: MagnitudeInverter>(_ make: () -> I, _ name: String, bins: Int = 257) {
        for (pattern, frame) in Self.hostileFrames {
            var inverter = make()
            let input = Array(frame.prefix(bins)) + [Float](repeating: frame[0], count: max(0, bins - frame.count))
            let speech = Array(Self.speech.prefix(bins))
            let output = streamOutput(&inverter, frames: Array(repeating: input, count: 6) + [speech, speech])
            #expect(output.allSatisfy { $0.isFinite }, "\(name): non-finite output from \(pattern) frames")
        }
    }

    @Test func phaseGradientInvertersGiveFiniteOutput() {
        expectFiniteOutput({ PhaseGradientInverter<512, 128, 257, PGHIEstimator<257>>(
            estimator: PGHIEstimator(frameLength: 512, hop: 128, lookahead: 1)) }, "pghi")
        expectFiniteOutput({ PhaseGradientInverter<512, 128, 257, CNNEstimator>(
            estimator: CNNEstimator(variant: .causal), integrator: .tuned(for: .causal)) }, "cnn")
        expectFiniteOutput({ PhaseGradientInverter<512, 128, 257, CNNEstimator>(
            estimator: CNNEstimator(variant: .strided, precision: .float16), integrator: .tuned(for: .strided)) }, "cnn-strided f16")
        expectFiniteOutput({ PhaseGradientInverter<512, 128, 257, PGHIEstimator<257>>(
            estimator: PGHIEstimator(frameLength: 512, hop: 128, lookahead: 0),
            integrator: LeastSquaresPhaseIntegrator(exponent: 16, coupling: 1e6)) }, "pghi, extreme weights")
    }

    @Test func iterativeAndHeapInvertersGiveFiniteOutput() {
        expectFiniteOutput({ RTPGHIInverter<512, 128, 257>(lookahead: 1) }, "rtpghi")
        expectFiniteOutput({ RTISILAInverter<512, 128, 257, 8>(lookahead: 3, iterations: 2) }, "rtisi-la")
        expectFiniteOutput({ LookaheadRefinementInverter<512, 128, 257, 7, CNNEstimator>(
            estimator: CNNEstimator(variant: .causal), integrator: .tuned(for: .causal), lookahead: 1, iterations: 1) }, "cnn-la")
    }

    @Test func networksAndMelInputGiveFiniteOutput() {
        expectFiniteOutput({ MCNNInverter(precision: .float32) }, "mcnn")
        expectFiniteOutput({ Q15MCNNInverter() }, "mcnn q15")
        expectFiniteOutput({ Q15PhaseGradientInverter<512, 128, 257, Q15PGHIEstimator<257>>(
            estimator: Q15PGHIEstimator(frameLength: 512, hop: 128, lookahead: 1)) }, "pghi q15")
        expectFiniteOutput({ MelInverter(
            stage: MelToLinear(filterbank: MelFilterbank<257, 80>(), iterations: 4),
            inner: PhaseGradientInverter<512, 128, 257, PGHIEstimator<257>>(
                estimator: PGHIEstimator(frameLength: 512, hop: 128, lookahead: 0))) }, "mel + pghi", bins: 80)
    }
}
