import Foundation
import Testing
@testable import RephaseCore

/// The exported network against PyTorch (Tools/cnn/export.py writes the golden vectors, Tests/Fixtures/cnn-golden: a few
/// consecutive magnitude frames of the bundled clip, silent history before the first, and the
/// Float32 network outputs with each frame as the newest input row; a second file per network
/// with the weights rounded as the Float16 table holds them).
///
/// Relative error of a frame: max_i |swift_i - torch_i| / max_i |torch_i| over its output
/// channels and bins.
@Suite struct CNNWeightsTests {
    /// Every network the core ships: each variant for each input.
    static let networks: [(variant: CNNVariant, input: CNNInput)] = [(.causal, .linear), (.strided, .linear), (.causal, .mel80), (.strided, .mel80)]

    /// The golden file's name of a network (export.py's): causal, strided-mel80, ...
    static func name(_ variant: CNNVariant, _ input: CNNInput) -> String {
        "\(variant)" + (input == .linear ? "" : "-mel\(CNNArchitecture.melBands)")
    }

    struct Golden {
        var magnitudes: [[Float]] = []
        var outputs: [[Float]] = []

        /// `cnn-<name>.txt`, or with `float16` the outputs of the Float16 table's weights.
        init(_ name: String, float16: Bool = false) throws {
            var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
            parts.removeLast(3)  // .../Tests/RephaseCoreTests/Network/CNNWeightsTests.swift
            let path = parts.joined(separator: "/") + "/Fixtures/cnn-golden/cnn-\(name)\(float16 ? "-float16" : "").txt"
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }
            for (i, line) in lines.enumerated() {
                let values = line.split(separator: " ").map { Float(String($0))! }
                if i % 2 == 0 { magnitudes.append(values) } else { outputs.append(values) }
            }
        }
    }

    /// The Float32 table of a network, copied out.
    static func float32Table(_ variant: CNNVariant, _ input: CNNInput) -> [Float] {
        func copy<let W: Int>(_ table: inout InlineArray<W, Float>) -> [Float] {
            GeneratedTable.withSpan(&table) { span in (0..<span.count).map { span[$0] } }
        }
        switch (variant, input) {
        case (.causal, .linear): return copy(&CNNWeights.causalFloat32)
        case (.strided, .linear): return copy(&CNNWeights.stridedFloat32)
        case (.causal, .mel80): return copy(&CNNWeights.causalMel80Float32)
        case (.strided, .mel80): return copy(&CNNWeights.stridedMel80Float32)
        }
    }

    /// The Float16 table of a network, read as Float16.
    static func float16Table(_ variant: CNNVariant, _ input: CNNInput) -> [Float16] {
        func copy<let W: Int>(_ table: inout InlineArray<W, UInt16>) -> [Float16] {
            GeneratedTable.withSpan(&table, as: Float16.self) { span in (0..<span.count).map { span[$0] } }
        }
        switch (variant, input) {
        case (.causal, .linear): return copy(&CNNWeights.causalFloat16Bits)
        case (.strided, .linear): return copy(&CNNWeights.stridedFloat16Bits)
        case (.causal, .mel80): return copy(&CNNWeights.causalMel80Float16Bits)
        case (.strided, .mel80): return copy(&CNNWeights.stridedMel80Float16Bits)
        }
    }

    /// The largest relative error (above) over the golden frames, with `weights`.
    static func worstRelativeError<W: NetworkWeight>(_ variant: CNNVariant, _ input: CNNInput, weights: Span<W>) throws -> Double {
        let golden = try Golden(name(variant, input), float16: W.self == Float16.self)
        var features = CNNFeatures()
        var network = PhaseDerivativeNetwork()
        var worst = 0.0
        for (magnitudes, expected) in zip(golden.magnitudes, golden.outputs) {
            #expect(expected.count == input.frameOutputs * variant.outputFrames * CNNArchitecture.bins)
            features.push(magnitudes: magnitudes.span)
            network.evaluate(features, weights: weights, variant: variant, input: input)
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
        for (variant, input) in Self.networks {
            let count = PhaseDerivativeNetwork.weightCount(variant, input)
            #expect(Self.float32Table(variant, input).count == count && Self.float16Table(variant, input).count == count, "\(Self.name(variant, input))")
            let estimator = CNNEstimator(variant: variant, precision: .float16, input: input)
            #expect(estimator.weightTableBytes == 2 * count)
        }
        #expect(CNNFrame.count == CNNArchitecture.bins
            && CNNActivations.count == max(CNNVariant.causal.channels, CNNVariant.strided.channels) * CNNArchitecture.bins
            && CNNOutputRows.count == CNNInput.mel80.frameOutputs * CNNVariant.strided.outputFrames * CNNArchitecture.bins)
    }

    @Test(arguments: 0..<4) func float32MatchesPyTorch(network: Int) throws {
        let (variant, input) = Self.networks[network]
        let error = try Self.worstRelativeError(variant, input, weights: Self.float32Table(variant, input).span)
        #expect(error <= 1e-5, "\(Self.name(variant, input)) \(error)")
    }

    /// Float16 storage rounds every weight by up to 2^-11 relative, which moves the outputs by
    /// up to 2.2e-3 relative (strided; PyTorch agrees), more than a fixed bound can tell from a
    /// wrong conversion. So the golden holds PyTorch's outputs with the rounded weights, and
    /// the Float16 path, whose arithmetic is Float32's, must match them as closely as Float32.
    @Test(arguments: 0..<4) func float16MatchesPyTorch(network: Int) throws {
        let (variant, input) = Self.networks[network]
        let error = try Self.worstRelativeError(variant, input, weights: Self.float16Table(variant, input).span)
        #expect(error <= 1e-5, "\(Self.name(variant, input)) \(error)")
    }
}
