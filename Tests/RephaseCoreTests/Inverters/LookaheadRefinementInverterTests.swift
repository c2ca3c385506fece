import Foundation
import Testing
@testable import RephaseCore
import RephaseReference

/// The CNN with look-ahead refinement (cnn-la) on the bundled clip, and its sliding buffer
/// against a float64 reference.
@Suite struct LookaheadRefinementInverterTests {
    typealias CNNLA = LookaheadRefinementInverter<512, 128, 257, 7, CNNEstimator>
    static let speech = Array(SpeechFixture.audio.samples)

    static func cnnLA(lookahead: Int, iterations: Int, momentum: Float = CNNLA.defaultMomentum) -> CNNLA {
        CNNLA(estimator: CNNEstimator(), integrator: .tuned(for: .causal), lookahead: lookahead,
              iterations: iterations, momentum: momentum)
    }

    /// Fed the true phase derivatives, the integrator gives the true phases, and those must
    /// survive the refinement: a consistent spectrogram with the target magnitudes is a fixed
    /// point of the projections (the newest frames' segments completed, LookaheadBuffer),
    /// momentum or not. Measured 93.2 dB without momentum, 80.5 dB with 0.5; bound 60 dB.
    @Test(arguments: [Float(0), 0.5])
    func truePhasesAreAFixedPoint(momentum: Float) {
        let oracle = OracleSpectrogram(Self.speech)
        var inverter = LookaheadRefinementInverter<512, 128, 257, 7, OracleEstimator>(
            estimator: OracleEstimator(oracle: oracle), lookahead: 3, iterations: 4, momentum: momentum)
        let y = invert(&inverter, frames: oracle.floatFrames, length: Self.speech.count)
        let snr = signAgnosticSNR(Self.speech, y)
        #expect(snr >= 60, "\(snr) dB")
    }

    /// The refinement must improve on the CNN phase it starts from. Measured on the clip:
    /// cnn alone -28.7 dB, L = 3 with 2 iterations -34.9 dB; bound: 4 dB better.
    @Test func refinementBeatsTheCNNAlone() {
        let frames = OracleSpectrogram(Self.speech).floatFrames
        var cnn = PhaseGradientInverter<512, 128, 257, CNNEstimator>(
            estimator: CNNEstimator(), integrator: .tuned(for: .causal))
        let alone = spectralConvergence(
            reference: Self.speech, estimate: invert(&cnn, frames: frames, length: Self.speech.count))
        var refining = Self.cnnLA(lookahead: 3, iterations: 2)
        let refined = spectralConvergence(
            reference: Self.speech, estimate: invert(&refining, frames: frames, length: Self.speech.count))
        #expect(refined < alone - 4, "cnn \(alone) dB, cnn-la \(refined) dB")
    }

    /// With no iterations the buffer only delays: the output is the plain CNN inverter's,
    /// bit for bit, L hops later.
    @Test func noIterationsIsTheCNNInverterDelayed() {
        let frames = OracleSpectrogram(Array(Self.speech[0..<16_000])).floatFrames
        var cnn = PhaseGradientInverter<512, 128, 257, CNNEstimator>(
            estimator: CNNEstimator(), integrator: .tuned(for: .causal))
        var delayed = Self.cnnLA(lookahead: 2, iterations: 0)
        let plain = streamOutput(&cnn, frames: frames), late = streamOutput(&delayed, frames: frames)
        #expect(late[0..<256].allSatisfy { $0 == 0 })
        #expect(Array(late[256...]) == Array(plain[0..<(plain.count - 256)]))
    }

    /// Latency N - H + L H, plus the estimator's own look-ahead (the strided CNN's frame).
    @Test func latencyCountsBothLookaheads() {
        for lookahead in 0...6 {
            #expect(Self.cnnLA(lookahead: lookahead, iterations: 1).latency == 512 - 128 + lookahead * 128)
        }
        let strided = CNNLA(estimator: CNNEstimator(variant: .strided), lookahead: 2, iterations: 1)
        #expect(strided.latency == 512 - 128 + 3 * 128)
        #expect(CNNLA.maxLookahead == 6)
    }

    @Test func resetMatchesAFreshInverter() {
        let frames = OracleSpectrogram(Array(Self.speech[0..<16_000])).floatFrames
        let first = Array(frames[0..<60]), second = Array(frames[60..<120])
        var used = Self.cnnLA(lookahead: 3, iterations: 2)
        _ = streamOutput(&used, frames: first)
        used.reset()
        var fresh = Self.cnnLA(lookahead: 3, iterations: 2)
        #expect(streamOutput(&used, frames: second) == streamOutput(&fresh, frames: second))
    }

    /// The buffer's refinement (enter with a spectrum, Gauss-Seidel passes, commit), with and
    /// without momentum and the completion of partial overlaps, against the same steps in
    /// float64 with direct DFTs, on a small STFT (N = 16, H = 4) with random magnitudes and
    /// initial phases. Measured worst error 1.3e-6 of the output's peak; bound 1e-5.
    @Test(arguments: [(0.0, false), (0.5, false), (0.0, true), (0.8, true)])
    func bufferMatchesFloat64Reference(alpha: Double, completes: Bool) {
        let n = 16, h = 4, k = 9, lookahead = 2, passes = 2
        var rng = SplitMix64(seed: 11)
        var buffer = LookaheadBuffer<16, 4, 9, 3>(momentum: Float(alpha), completesPartialOverlap: completes)
        let window = (0..<n).map { 0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(n)) }
        let synthesisWindow = (0..<n).map { i in
            window[i] / stride(from: i % h, to: n, by: h).reduce(0.0) { $0 + window[$1] * window[$1] }
        }
        // The weight of the frames that start at or before offset q of the newest frame.
        let coverage = (0..<n).map { q in
            stride(from: q, to: n, by: h).reduce(0.0) { $0 + window[$1] * synthesisWindow[$1] }
        }
        // The reference state: committed accumulator, and per buffered frame its target,
        // estimate and last projection.
        var accumulator = [Double](repeating: 0, count: n)
        var targets: [[Double]] = [], estimates: [[Double]] = [], projections: [[Double]] = []
        var worst = 0.0, peak = 0.0
        for _ in 0..<8 {
            let magnitudes = rng.floats(k, 0, 2).map(Double.init)
            var packed = [Double](repeating: 0, count: n)
            packed[0] = magnitudes[0]
            packed[1] = -magnitudes[k - 1]
            for bin in 1..<(k - 1) {
                let phase = rng.uniform(-Double.pi, Double.pi)
                packed[2 * bin] = magnitudes[bin] * cos(phase)
                packed[2 * bin + 1] = magnitudes[bin] * sin(phase)
            }
            let floatMagnitudes = magnitudes.map(Float.init)
            var floatPacked = packed.map(Float.init)
            var spectrumSpan = floatPacked.mutableSpan
            buffer.enter(magnitudes: floatMagnitudes.span, spectrum: &spectrumSpan)
            var output = [Float](repeating: 0, count: h)
            var outputSpan = output.mutableSpan
            buffer.refine(passes: passes)
            buffer.emit(lookahead: lookahead, output: &outputSpan)

            // Float64: the same steps.
            let initial = zip(ReferenceDFT.inverseOfPacked(packed.map { Double(Float($0)) }), synthesisWindow).map(*)
            targets.append(magnitudes)
            estimates.append(initial)
            projections.append(initial)
            for _ in 0..<passes {
                for d in targets.indices {
                    var x = (0..<n).map { d * h + $0 < n ? accumulator[d * h + $0] : 0 }
                    for e in estimates.indices where abs(d - e) * h < n {
                        for i in 0..<n where i + (d - e) * h >= 0 && i + (d - e) * h < n {
                            x[i] += estimates[e][i + (d - e) * h]
                        }
                    }
                    let shift = (targets.count - 1 - d) * h
                    for i in 0..<n where completes && i - shift >= h { x[i] /= coverage[i - shift] }
                    let (re, im) = ReferenceDFT.real(zip(x, window).map(*))
                    var projected = [Double](repeating: 0, count: n)
                    for bin in 0..<k {
                        let norm = hypot(re[bin], im[bin])
                        let (pr, pi) = norm > 0
                            ? (targets[d][bin] * re[bin] / norm, targets[d][bin] * im[bin] / norm) : (targets[d][bin], 0)
                        switch bin {
                        case 0: projected[0] = pr
                        case k - 1: projected[1] = pr
                        default: (projected[2 * bin], projected[2 * bin + 1]) = (pr, pi)
                        }
                    }
                    let t = zip(ReferenceDFT.inverseOfPacked(projected), synthesisWindow).map(*)
                    estimates[d] = (0..<n).map { t[$0] + alpha * (t[$0] - projections[d][$0]) }
                    projections[d] = t
                }
            }
            var expected = [Double](repeating: 0, count: h)
            if targets.count == lookahead + 1 {
                for i in 0..<n { accumulator[i] += projections[0][i] }
                expected = Array(accumulator[0..<h])
                accumulator = Array(accumulator[h...]) + [Double](repeating: 0, count: h)
                targets.removeFirst()
                estimates.removeFirst()
                projections.removeFirst()
            }
            for i in 0..<h {
                worst = max(worst, abs(Double(output[i]) - expected[i]))
                peak = max(peak, abs(expected[i]))
            }
        }
        #expect(peak > 0.1)
        #expect(worst <= 1e-5 * peak, "worst \(worst), peak \(peak)")
    }
}
