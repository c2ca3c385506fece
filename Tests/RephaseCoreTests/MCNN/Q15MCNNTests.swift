import Foundation
import Testing
@testable import RephaseCore

/// The Q15 MCNN against its bit-true numpy model (Tools/mcnn/q15model.py; quantize.py writes
/// Tests/Fixtures/mcnn-golden/mcnn-q15.txt: per frame the int16 network inputs and the int16
/// output samples of the whole-utterance integer network, nothing before the first frame).
@Suite struct Q15MCNNTests {
    static func golden() throws -> (inputs: [[Int16]], samples: [[Int16]]) {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // .../Tests/RephaseCoreTests/MCNN/Q15MCNNTests.swift
        let path = parts.joined(separator: "/") + "/Fixtures/mcnn-golden/mcnn-q15.txt"
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }
        let rows = lines.map { $0.split(separator: " ").map { Int16(String($0))! } }
        return (stride(from: 0, to: rows.count, by: 2).map { rows[$0] }, stride(from: 1, to: rows.count, by: 2).map { rows[$0] })
    }

    static func stream(_ inverter: inout Q15MCNNInverter, _ frames: [[Int16]]) -> [[Int16]] {
        MCNNInverterTests.blocks(frames) { inverter.process(q15Magnitudes: $0, output: &$1) }
    }

    @Test func tablesHoldTheDocumentedLayout() {
        let layers = MCNNArchitecture.layers, heads = MCNNArchitecture.heads
        let channels = (0..<layers).map { MCNNArchitecture.channels[$0] }.reduce(0, +)
        let weights = (0..<layers).map { MCNNArchitecture.width * MCNNArchitecture.channels[$0] * MCNNLayout.inputChannels(layer: $0) }.reduce(0, +)
        #expect(MCNNLayout.kernelWeightCount == heads * weights)
        #expect(MCNNInverterTests.padding(rows: Q15MCNNWeights.weights.count, columns: 1024, holding: heads * weights) != nil)
        #expect(Q15MCNNWeights.biases.count == heads * channels && Q15MCNNWeights.multipliers.count == heads * channels
            && Q15MCNNWeights.shifts.count == heads * channels)
        #expect(Q15MCNNWeights.eluTables.count == heads * (layers - 1) * Q15TransposedConvolution.tableCount)
        #expect(Q15MCNNWeights.coefficients.count == heads && Q15MCNNWeights.softsign.count == Q15TransposedConvolution.tableCount)
    }

    @Test func bitExactToTheNumpyModel() throws {
        let golden = try Self.golden()
        var inverter = Q15MCNNInverter()
        let blocks = Self.stream(&inverter, golden.inputs)
        #expect(blocks == golden.samples)
        #expect(golden.samples.joined().contains { $0 != 0 })
    }

    @Test func resetForgetsThePast() throws {
        let inputs = try Self.golden().inputs
        var fresh = Q15MCNNInverter()
        let expected = Self.stream(&fresh, Array(inputs[4...]))
        var used = Q15MCNNInverter()
        _ = Self.stream(&used, Array(inputs[..<12]))
        used.reset()
        #expect(Self.stream(&used, Array(inputs[4...])) == expected)
    }

    /// The Float interface runs the same network: against the Float32 inverter on the golden
    /// magnitudes, the Q15 output's SNR is at least 24 dB (quantisation of weights,
    /// activations and the tables; quantize.py prints the SNR of its numpy model, 26 dB: the
    /// shipped network's second head has activations whose calibrated peaks are 10 to 30
    /// times those of these frames, and its error dominates).
    @Test func floatInterfaceTracksTheFloat32Network() throws {
        let frames = try MCNNInverterTests.Golden("float32").magnitudes
        var exact = MCNNInverter(), fixed = Q15MCNNInverter()
        let reference = MCNNInverterTests.stream(&exact, frames)
        let approximate = MCNNInverterTests.stream(&fixed, frames)
        let signal = reference.joined().map { Double($0 * $0) }.reduce(0, +)
        let noise = zip(approximate.joined(), reference.joined()).map { Double(($0 - $1) * ($0 - $1)) }.reduce(0, +)
        let snr = 10 * log10(signal / noise)
        #expect(snr >= 24, "SNR \(snr) dB")
        #expect(fixed.latency == exact.latency)
    }
}
