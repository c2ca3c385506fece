import Foundation
import Testing
@testable import RephaseCore

/// The streaming MCNN against PyTorch's whole-utterance network (Tools/mcnn/export.py writes
/// Tests/Fixtures/mcnn-golden: consecutive magnitude frames of the bundled clip, nothing
/// before the first, and the network's output samples y[t H ..< (t + 1) H] for each frame t).
/// Signal sample n is y[n + latency], so equal blocks mean equal output after the latency.
///
/// Relative error: max_n |swift_n - torch_n| / max_n |torch_n| over all golden samples, the
/// golden computed in float64. The bound is Float32 rounding of the inner activations, which
/// run up to about 140 times the output's peak (quantize.py's calibration): on the shipped
/// network's golden frames PyTorch's own Float32 run misses its float64 one by 4.4e-6, and the
/// core's sequential sums by 1.3e-5 (Float32 table) and 2.1e-5 (Float16 table, against the
/// float64 run of the rounded weights). A wrong weight, tap or alignment shows as 1e-2 or more.
@Suite struct MCNNInverterTests {
    struct Golden {
        var magnitudes: [[Float]] = []
        var samples: [[Float]] = []

        init(_ name: String) throws {
            var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
            parts.removeLast(3)  // .../Tests/RephaseCoreTests/MCNN/MCNNInverterTests.swift
            let path = parts.joined(separator: "/") + "/Fixtures/mcnn-golden/mcnn-\(name).txt"
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }
            for (i, line) in lines.enumerated() {
                let values = line.split(separator: " ").map { Float(String($0))! }
                if i % 2 == 0 { magnitudes.append(values) } else { samples.append(values) }
            }
        }
    }

    /// The blocks `process` writes for `frames`, one per frame (Float or Q15 interfaces).
    static func blocks<T: Numeric>(_ frames: [[T]], _ process: (Span<T>, inout MutableSpan<T>) -> Void) -> [[T]] {
        frames.map { frame in
            var block = [T](repeating: 0, count: MCNNArchitecture.hop)
            var output = block.mutableSpan
            process(frame.span, &output)
            return block
        }
    }

    static func stream<I: MagnitudeInverter>(_ inverter: inout I, _ frames: [[Float]]) -> [[Float]] {
        blocks(frames) { inverter.process(magnitudes: $0, output: &$1) }
    }

    static let tolerance: Float = 4e-5

    static func relativeError(_ actual: [[Float]], _ expected: [[Float]]) -> Float {
        let error = zip(actual.joined(), expected.joined()).map { abs($0 - $1) }.max()!
        return error / expected.joined().map(abs).max()!
    }

    /// The padding of a table of `rows` rows holding `count` values, nil unless it is less than a row.
    static func padding(rows: Int, columns: Int, holding count: Int) -> Int? {
        let padding = rows * columns - count
        return (0..<columns).contains(padding) ? padding : nil
    }

    @Test func tablesHoldTheDocumentedLayout() {
        // Tables in rows of 1024: exactly the layout's weights, then less than a row of padding.
        #expect(Self.padding(rows: MCNNWeights.float32.count, columns: 1024, holding: MCNNLayout.weightCount) != nil)
        #expect(Self.padding(rows: MCNNWeights.float16Bits.count, columns: 1024, holding: MCNNLayout.weightCount) != nil)
        let heads = MCNNArchitecture.heads
        let odd = stride(from: 1, to: MCNNArchitecture.layers, by: 2).map { MCNNLayout.rowCount(layer: $0) }.reduce(0, +)
        let even = stride(from: 2, to: MCNNArchitecture.layers, by: 2).map { MCNNLayout.rowCount(layer: $0) }.reduce(0, +)
        #expect(MCNNOddRows<Float>.count == heads * odd && MCNNEvenRows<Float>.count == heads * even)
        #expect(MCNNMagnitudeRows<Float>.count == MCNNLayout.rowCount(layer: 0))
        #expect(MCNNBlock<Float>.count == MCNNArchitecture.hop && MCNNLayout.newInputs(layer: MCNNArchitecture.layers) == MCNNArchitecture.hop)
    }

    @Test func float32MatchesPyTorch() throws {
        let golden = try Golden("float32")
        var inverter = MCNNInverter(precision: .float32)
        let error = Self.relativeError(Self.stream(&inverter, golden.magnitudes), golden.samples)
        #expect(error <= Self.tolerance, "\(error)")
    }

    /// Against PyTorch run with the weights rounded as the Float16 table stores them.
    @Test func float16MatchesPyTorchWithRoundedWeights() throws {
        let golden = try Golden("float16")
        var inverter = MCNNInverter(precision: .float16)
        let error = Self.relativeError(Self.stream(&inverter, golden.magnitudes), golden.samples)
        #expect(error <= Self.tolerance, "\(error)")
    }

    /// The latency is N - H plus the 4 frames of look-ahead the training's alignment gives,
    /// and it is all the inverter needs: block t depends on frames up to t only, so changing
    /// a later frame leaves the blocks before it as they were.
    @Test func blocksDependOnNoLaterFrame() throws {
        let frames = try Golden("float32").magnitudes
        var inverter = MCNNInverter()
        #expect(inverter.latency == MCNNArchitecture.frameLength - MCNNArchitecture.hop + 4 * MCNNArchitecture.hop)
        #expect(MCNNInverter.lookahead == 4)
        let reference = Self.stream(&inverter, frames)
        var changed = frames
        changed[10] = changed[10].map { $0 * 3 + 1 }
        inverter.reset()
        let blocks = Self.stream(&inverter, changed)
        #expect(blocks[..<10] == reference[..<10])
        #expect(blocks[10] != reference[10])
    }

    /// The running level makes the output follow the input's level: magnitudes times 8 (a power
    /// of two, so every rounding scales with it) give every block after the first delay / hop
    /// (scaled by the level's floor) times 8, bit for bit, while the level stays above the floor.
    @Test func outputFollowsTheInputLevel() throws {
        let frames = try Golden("float32").magnitudes
        var inverter = MCNNInverter()
        let lag = MCNNArchitecture.delay / MCNNArchitecture.hop
        let reference = Self.stream(&inverter, frames)
        inverter.reset()
        let louder = Self.stream(&inverter, frames.map { $0.map { $0 * 8 } })
        #expect(louder[lag...].map { $0 } == reference[lag...].map { $0.map { $0 * 8 } })
        #expect(reference[lag...].joined().contains { $0 != 0 })
    }

    @Test func resetForgetsThePast() throws {
        let frames = try Golden("float32").magnitudes
        var fresh = MCNNInverter()
        let expected = Self.stream(&fresh, Array(frames[4...]))
        var used = MCNNInverter()
        _ = Self.stream(&used, Array(frames[..<12]))
        used.reset()
        #expect(Self.stream(&used, Array(frames[4...])) == expected)
    }
}
