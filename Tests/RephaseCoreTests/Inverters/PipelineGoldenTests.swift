import Foundation
import Testing
import RephaseCore

/// The whole streaming pipelines against their golden outputs (Tests/Fixtures/pipeline-golden,
/// written by Tools/golden/regenerate with `rephase vectors`): any change of any output bit
/// fails here, so a change of arithmetic must come with regenerated vectors and a reason. The
/// same files are what the board targets (Targets/) must reproduce. The Q15 pipelines are fed
/// through their fixed-point interface (mantissas and exponents), the Float32 one through
/// magnitudes.
@Suite struct PipelineGoldenTests {
    static let folder: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // .../Tests/RephaseCoreTests/Inverters/PipelineGoldenTests.swift
        return parts.joined(separator: "/") + "/Fixtures/pipeline-golden/"
    }()

    static func read(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: folder + name))
    }

    /// (exponent, mantissas) per frame of mantissas.bin.
    static func mantissaFrames() throws -> [(Int, [UInt32])] {
        let words = try read("mantissas.bin").withUnsafeBytes { Array($0.bindMemory(to: UInt32.self)) }.map(UInt32.init(littleEndian:))
        return stride(from: 0, to: words.count, by: 258).map { (Int(Int32(bitPattern: words[$0])), Array(words[($0 + 1)..<($0 + 258)])) }
    }

    static func runQ15<E: Q15PhaseDerivativeEstimator>(_ inverter: inout Q15PhaseGradientInverter<512, 128, 257, E>) throws -> [Int16] {
        var all = [Int16](), out = [Int16](repeating: 0, count: 128)
        for (exponent, mantissas) in try mantissaFrames() {
            var span = out.mutableSpan
            inverter.process(mantissas: mantissas.span, exponent: exponent, output: &span)
            all += out
        }
        return all
    }

    static func expectedQ15(_ name: String) throws -> [Int16] {
        try read(name).withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }.map(Int16.init(littleEndian:))
    }

    @Test func q15CNNCausal() throws {
        var inverter = Q15PhaseGradientInverter<512, 128, 257, Q15CausalCNNEstimator>(
            estimator: Q15CausalCNNEstimator(variant: .causal), integrator: .tuned(for: .causal))
        #expect(try Self.runQ15(&inverter) == Self.expectedQ15("cnn-q15.out"))
    }

    @Test func q15CNNStrided() throws {
        var inverter = Q15PhaseGradientInverter<512, 128, 257, Q15StridedCNNEstimator>(
            estimator: Q15StridedCNNEstimator(variant: .strided), integrator: .tuned(for: .strided))
        #expect(try Self.runQ15(&inverter) == Self.expectedQ15("cnn-strided-q15.out"))
    }

    @Test func q15PGHI() throws {
        var inverter = Q15PhaseGradientInverter<512, 128, 257, Q15PGHIEstimator<257>>(
            estimator: Q15PGHIEstimator(frameLength: 512, hop: 128))
        #expect(try Self.runQ15(&inverter) == Self.expectedQ15("pghi-q15.out"))
    }

    @Test func float32CNNStrided() throws {
        let magnitudes = try Self.read("magnitudes.f32").withUnsafeBytes { Array($0.bindMemory(to: UInt32.self)) }
            .map { Float(bitPattern: UInt32(littleEndian: $0)) }
        let expected = try Self.read("cnn-strided-f32.out").withUnsafeBytes { Array($0.bindMemory(to: UInt32.self)) }
            .map { Float(bitPattern: UInt32(littleEndian: $0)) }
        var inverter = PhaseGradientInverter<512, 128, 257, CNNEstimator>(
            estimator: CNNEstimator(variant: .strided), integrator: .tuned(for: .strided))
        var all = [Float](), out = [Float](repeating: 0, count: 128)
        for t in 0..<(magnitudes.count / 257) {
            let frame = Array(magnitudes[(t * 257)..<((t + 1) * 257)])
            var span = out.mutableSpan
            inverter.process(magnitudes: frame.span, output: &span)
            all += out
        }
        #expect(all.map(\.bitPattern) == expected.map(\.bitPattern))
    }
}
