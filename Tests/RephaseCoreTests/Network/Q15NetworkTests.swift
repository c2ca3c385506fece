import Foundation
import Testing
@testable import RephaseCore
import RephaseReference

/// The Q15 features, network and magnitude correction against the bit-true integer model
/// (Tools/cnn/q15model.py; Tools/cnn/quantize.py writes Tests/Fixtures/cnn-golden/q15-<network>.txt:
/// consecutive frames of the bundled clip as mantissas and exponent, and per frame the model's
/// Q15 features and int16 outputs, and for a mel network the corrected frame). Bit for bit:
/// every feature, output and corrected mantissa must be equal.
@Suite struct Q15NetworkTests {
    struct Golden {
        var exponents: [Int] = []
        var mantissas: [[UInt32]] = []
        /// [rows][K] and [head outputs][K], row-major, as numpy writes them.
        var features: [[Int16]] = []
        var outputs: [[Int16]] = []
        /// A mel network's corrected frames (g of output frame 0): exponent and mantissas.
        var correctedExponents: [Int] = []
        var corrected: [[UInt32]] = []

        init(_ variant: CNNVariant, _ input: CNNInput = .linear) throws {
            var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
            parts.removeLast(3)  // .../Tests/RephaseCoreTests/Network/Q15NetworkTests.swift
            let name = "\(variant)" + (input == .mel80 ? "-mel80" : "")
            let path = parts.joined(separator: "/") + "/Fixtures/cnn-golden/q15-\(name).txt"
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }
            let perFrame = input.correctsMagnitudes ? 4 : 3
            for (i, line) in lines.enumerated() {
                let fields = line.split(separator: " ").map { Int64(String($0))! }
                switch i % perFrame {
                case 0:
                    exponents.append(Int(fields[0]))
                    mantissas.append(fields.dropFirst().map { UInt32($0) })
                case 1: features.append(fields.map { Int16($0) })
                case 2: outputs.append(fields.map { Int16($0) })
                default:
                    correctedExponents.append(Int(fields[0]))
                    corrected.append(fields.dropFirst().map { UInt32($0) })
                }
            }
        }
    }

    /// Whole, and in the two halves the strided estimator spreads over its hops; for the mel
    /// networks, also the magnitude correction of each frame by its output frame 0.
    @Test(arguments: [CNNVariant.causal, .strided], [(CNNInput.linear, false), (.linear, true), (.mel80, false), (.mel80, true)])
    func featuresAndNetworkAreBitExact(_ variant: CNNVariant, _ run: (input: CNNInput, inHalves: Bool)) throws {
        let (input, inHalves) = run
        let golden = try Golden(variant, input)
        #expect(golden.mantissas.count == 8 && golden.corrected.count == (input.correctsMagnitudes ? 8 : 0))
        let bins = CNNArchitecture.bins, rows = variant.inputFrames
        let outputs = Q15PhaseDerivativeNetwork.headOutputs(variant, input)
        var features = Q15CNNFeatures()
        var network = Q15PhaseDerivativeNetwork()
        for frame in golden.mantissas.indices {
            let mantissas = golden.mantissas[frame]
            features.push(mantissas: mantissas.span, exponent: golden.exponents[frame])
            network.load(&features, rows: rows)
            var featureMismatches = 0, outputMismatches = 0
            for f in 0..<rows {
                for k in 0..<bins where network.input(at: k * rows + f) != golden.features[frame][f * bins + k] { featureMismatches += 1 }
            }
            switch (variant, inHalves) {
            case (.causal, _): network.evaluate(width: Q15CausalCNNEstimator.Kernels.self, variant: variant, input: input)
            case (.strided, false): network.evaluate(width: Q15StridedCNNEstimator.Kernels.self, variant: variant, input: input)
            case (.strided, true):
                network.evaluate(
                    width: Q15StridedCNNEstimator.Kernels.self, variant: variant, input: input, steps: Q15PhaseDerivativeNetwork.firstHalf)
                network.evaluate(
                    width: Q15StridedCNNEstimator.Kernels.self, variant: variant, input: input, steps: Q15PhaseDerivativeNetwork.secondHalf)
            }
            for c in 0..<outputs {
                for k in 0..<bins where network.output(at: k * outputs + c) != golden.outputs[frame][c * bins + k] { outputMismatches += 1 }
            }
            #expect(featureMismatches == 0 && outputMismatches == 0, "frame \(frame): \(featureMismatches) features, \(outputMismatches) outputs differ")
            guard input.correctsMagnitudes else { continue }
            var corrected = mantissas
            var span = corrected.mutableSpan
            let exponent = network.withOutputs { output in
                Q15MagnitudeCorrection.apply(
                    &span, exponent: golden.exponents[frame], corrections: output + 4, stride: outputs,
                    gain: Q15PhaseDerivativeNetwork.correctionGain(variant), floorQ55: Q15CNNFeatures.logFloorQ55)
            }
            #expect(exponent == golden.correctedExponents[frame] && corrected == golden.corrected[frame], "frame \(frame): correction differs")
        }
    }

    /// The integer correction follows its Float32 definition, a' = (a + 1e-7) e^g, to within
    /// 2e-5 of the frame's peak (Q15MagnitudeCorrection's error budget), on random frames and
    /// corrections over g's whole range (beyond +-16 clamped), at quiet and loud exponents.
    @Test func magnitudeCorrectionFollowsTheFloatDefinition() {
        var rng = SplitMix64(seed: 5)
        // Six times the causal network's gain, so that the int16 corrections reach past +-16.
        let bins = CNNArchitecture.bins, gain = 6 * Q15PhaseDerivativeNetwork.correctionGain(.causal)
        let scale = Double(gain) / 0x1p31 * 0.693_147_180_559_945_3  // the head scale s: G = 2^31 s log2(e)
        for trial in 0..<30 {
            let e = [-60, -31, -24, 0][trial % 4]
            var mantissas = (0..<bins).map { _ in rng.next() % 3 == 0 ? 0 : UInt32(truncatingIfNeeded: rng.next() >> UInt64(rng.next() % 40)) }
            mantissas[Int(rng.next() % UInt64(bins))] |= 1 << 31
            let g = (0..<bins).map { _ in Int16(truncatingIfNeeded: rng.next()) >> Int16(rng.next() % 8) }
            var corrected = mantissas
            var span = corrected.mutableSpan
            let exponent = g.withUnsafeBufferPointer {
                Q15MagnitudeCorrection.apply(
                    &span, exponent: e, corrections: $0.baseAddress!, stride: 1, gain: gain, floorQ55: Q15CNNFeatures.logFloorQ55)
            }
            let expected = (0..<bins).map { k in
                (Double(mantissas[k]) * pow(2, Double(e)) + 1e-7) * exp(min(max(Double(g[k]) * scale, -16), 16))
            }
            let peak = expected.max()!, got = corrected.map { Double($0) * pow(2, Double(exponent)) }
            #expect(corrected.max()! >= 1 << 31, "trial \(trial): the peak's mantissa is not normalised")
            let worst = zip(got, expected).map { abs($0 - $1) / peak }.max()!
            #expect(worst < 2e-5, "trial \(trial): worst \(worst) of the peak")
        }
    }

    /// The Q15 features are the Float32 features (CNNFeatures) to within one LSB of Q15.
    @Test func featuresFollowTheFloat32Definition() throws {
        let golden = try Golden(.causal)
        let bins = CNNArchitecture.bins, rows = CNNVariant.causal.inputFrames
        var fixed = Q15CNNFeatures()
        var float = CNNFeatures()
        var expected = InlineArray<1285, Float>(repeating: 0)
        var worst: Float = 0
        for frame in golden.mantissas.indices {
            let magnitudes = golden.mantissas[frame].map { BlockFloatingMagnitudes.value($0, exponent: golden.exponents[frame]) }
            let mantissas = golden.mantissas[frame]
            fixed.push(mantissas: mantissas.span, exponent: golden.exponents[frame])
            float.push(magnitudes: magnitudes.span)
            var x = expected.mutableSpan
            float.write(rows: rows, into: &x)
            var q = InlineArray<1285, Int16>(repeating: 0)
            var qs = q.mutableSpan
            fixed.write(rows: rows, into: &qs)
            for f in 0..<rows {
                for k in 0..<bins { worst = max(worst, abs(Float(q[k * rows + f]) - expected[f * bins + k] * 32768)) }
            }
        }
        #expect(worst <= 1, "worst \(worst) LSB")
    }

    /// Conversion to block floating point: the peak's mantissa in [2^31, 2^32), each value the
    /// nearest integer of a 2^-e (Double reference), silence all zero.
    /// `Q15CNNFeatures.write` against its definition, x = sat16(round((A - A_peak) C / 2^31)),
    /// in exact arithmetic: logs over the whole Int32 range (whose differences leave 32 bits
    /// and saturate), near the peak (every rounding case), and at the silent level.
    @Test func featureWriteFollowsItsDefinition() {
        var rng = SplitMix64(seed: 11)
        let bins = CNNArchitecture.bins
        for trial in 0..<40 {
            var features = Q15CNNFeatures()
            features.newestPeak = trial % 4 == 0 ? rng.nextInt32() : Int32(rng.nextUInt32() % 10_000_000)
            for i in 0..<features.logHistory.count {
                switch (trial + i) % 3 {
                case 0: features.logHistory[i] = rng.nextInt32()
                case 1: features.logHistory[i] = features.newestPeak &- Int32(rng.nextUInt32() % 3_000_000)
                default: features.logHistory[i] = 0
                }
            }
            var input = [Int16](repeating: 0, count: 5 * bins)
            var span = input.mutableSpan
            features.write(rows: 5, into: &span)
            for f in 0..<5 {
                for k in 0..<bins {
                    let d = Int64(features.logHistory[f * bins + k]) - Int64(features.newestPeak)
                    let product = d * Q15CNNFeatures.lnTwoOverThirtyTwoQ31
                    let expected = Int16(clamping: (product >> 31) + ((product >> 30) & 1))
                    if input[k * 5 + f] != expected {
                        Issue.record("trial \(trial) row \(f) bin \(k): \(input[k * 5 + f]) != \(expected)")
                        return
                    }
                }
            }
        }
    }

    @Test func blockFloatingConversionRoundsToNearest() {
        var rng = SplitMix64(seed: 7)
        for scale in [Float(1e-6), 0.01, 1, 300] {
            let frame = (0..<257).map { _ in Float(Double(rng.next() % 1_000_000) / 1e6) * scale * (rng.next() % 4 == 0 ? 1e-4 : 1) }
            var mantissas = [UInt32](repeating: 0, count: 257)
            var span = mantissas.mutableSpan
            let e = BlockFloatingMagnitudes.convert(frame.span, into: &span)
            #expect(mantissas.max()! >= 1 << 31)
            for (a, m) in zip(frame, mantissas) {
                let exact = Double(a) * pow(2, Double(-e))
                #expect(abs(Double(m) - exact) <= 0.5, "\(a): \(m) vs \(exact)")
            }
        }
        var silent = [UInt32](repeating: 9, count: 257)
        var span = silent.mutableSpan
        #expect(BlockFloatingMagnitudes.convert([Float](repeating: 0, count: 257).span, into: &span) == 0)
        #expect(silent.allSatisfy { $0 == 0 })
    }
}
