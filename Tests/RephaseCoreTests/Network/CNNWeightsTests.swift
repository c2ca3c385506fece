import Foundation
import Testing
@testable import RephaseCore

/// The exported network against PyTorch (Tools/cnn/export.py writes the golden vectors, Tests/Fixtures/cnn-golden: a few
/// consecutive magnitude frames of the bundled clip, silent history before the first, and the
/// Float32 network outputs with each frame as the newest input row).
///
/// Relative error of a frame: max_i |swift_i - torch_i| / max_i |torch_i| over its output
/// channels and bins.
@Suite struct CNNWeightsTests {
    struct Golden {
        var magnitudes: [[Float]] = []
        var outputs: [[Float]] = []

        init(_ variant: CNNVariant) throws {
            var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
            parts.removeLast(3)  // .../Tests/RephaseCoreTests/Network/CNNWeightsTests.swift
            let path = parts.joined(separator: "/") + "/Fixtures/cnn-golden/cnn-\(variant).txt"
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }
            for (i, line) in lines.enumerated() {
                let values = line.split(separator: " ").map { Float(String($0))! }
                if i % 2 == 0 { magnitudes.append(values) } else { outputs.append(values) }
            }
        }
    }

    /// The largest relative error (above) over the golden frames, with `weights`.
    static func worstRelativeError<W: NetworkWeight>(_ variant: CNNVariant, weights: Span<W>) throws -> Double {
        let golden = try Golden(variant)
        var features = CNNFeatures()
        var network = PhaseDerivativeNetwork()
        var worst = 0.0
        for (magnitudes, expected) in zip(golden.magnitudes, golden.outputs) {
            features.push(magnitudes: magnitudes.span)
            network.evaluate(features, weights: weights, variant: variant)
            var error: Float = 0, scale: Float = 0
            for (i, value) in expected.enumerated() {
                error = max(error, abs(network.output[i] - value))
                scale = max(scale, abs(value))
            }
            worst = max(worst, Double(error / scale))
        }
        return worst
    }

    @Test func tablesHoldTheDocumentedLayout() {
        #expect(CNNWeights.causalFloat32.count == PhaseDerivativeNetwork.weightCount(.causal))
        #expect(CNNWeights.causalFloat16Bits.count == PhaseDerivativeNetwork.weightCount(.causal))
        #expect(CNNWeights.stridedFloat32.count == PhaseDerivativeNetwork.weightCount(.strided))
        #expect(CNNWeights.stridedFloat16Bits.count == PhaseDerivativeNetwork.weightCount(.strided))
        #expect(CNNFrame.count == CNNArchitecture.bins
            && CNNActivations.count == max(CNNVariant.causal.channels, CNNVariant.strided.channels) * CNNArchitecture.bins)
    }

    @Test func float32MatchesPyTorch() throws {
        let causal = try Self.worstRelativeError(.causal, weights: CNNWeights.causalFloat32.span)
        let strided = try Self.worstRelativeError(.strided, weights: CNNWeights.stridedFloat32.span)
        #expect(causal <= 1e-5, "causal \(causal)")
        #expect(strided <= 1e-5, "strided \(strided)")
    }

    /// Float16 storage rounds every weight by up to 2^-11 relative; through the network that
    /// gives about 5e-4 relative on the outputs (PyTorch with the rounded weights agrees);
    /// the bound leaves a margin of 4.
    @Test func float16StaysClose() throws {
        let causalHalves = GeneratedTable.withSpan(&CNNWeights.causalFloat16Bits, as: Float16.self) { span in (0..<span.count).map { span[$0] } }
        let stridedHalves = GeneratedTable.withSpan(&CNNWeights.stridedFloat16Bits, as: Float16.self) { span in (0..<span.count).map { span[$0] } }
        let causal = try Self.worstRelativeError(.causal, weights: causalHalves.span)
        let strided = try Self.worstRelativeError(.strided, weights: stridedHalves.span)
        #expect(causal <= 2e-3, "causal \(causal)")
        #expect(strided <= 2e-3, "strided \(strided)")
    }
}
