import Foundation
import Testing
import RephaseIO

/// Every bad input the tool documents: one line on stderr, a non-zero exit, and no output file left.
@Suite struct BadInputTests {
    /// Runs `invert` (or `arguments`) expecting failure; checks the three promises.
    static func expectCleanFailure(
        _ arguments: [String], output: String, mentioning fragment: String, environment: [String: String] = [:]
    ) throws {
        let result = try CLI.run(arguments, environment: environment)
        #expect(result.status != 0, "\(arguments) succeeded")
        #expect(result.stderrLines.count == 1, "stderr: \(result.stderr)")
        #expect(result.stderr.hasPrefix("rephase: error: "), "stderr: \(result.stderr)")
        #expect(result.stderr.contains(fragment), "stderr: \(result.stderr) lacks '\(fragment)'")
        let folder = (output as NSString).deletingLastPathComponent
        let left = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        #expect(!left.contains { $0.hasPrefix((output as NSString).lastPathComponent) }, "left behind: \(left)")
    }

    /// A folder holding one input file with `bytes`, and the output path beside it.
    static func setUp(_ name: String, _ bytes: [UInt8]) throws -> (input: String, output: String) {
        let folder = try CLI.scratchFolder()
        let input = folder.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: input))
        return (input, folder.appendingPathComponent("out.wav").path)
    }

    static func npy(rows: Int, columns: Int, value: Float = 1) -> [UInt8] {
        NpyMatrix(rows: rows, columns: columns, values: [Float](repeating: value, count: rows * columns)).npyBytes
    }

    @Test func missingFile() throws {
        let output = try CLI.scratchFolder().appendingPathComponent("out.wav").path
        try Self.expectCleanFailure(["invert", "/nonexistent/x.wav", "-o", output], output: output, mentioning: "x.wav")
    }

    @Test func directoryAsInput() throws {
        let folder = try CLI.scratchFolder()
        let output = folder.appendingPathComponent("out.wav").path
        try Self.expectCleanFailure(["invert", folder.path, "-o", output], output: output, mentioning: folder.path)
    }

    @Test func textFileNamedWav() throws {
        let (input, output) = try Self.setUp("notes.wav", Array("this is not audio\n".utf8))
        try Self.expectCleanFailure(["invert", input, "-o", output], output: output, mentioning: "notes.wav")
    }

    @Test func truncatedWav() throws {
        let whole = wavBytes(channels: [[Float](repeating: 0.1, count: 16_000)], rate: 16_000)
        let (input, output) = try Self.setUp("cut.wav", Array(whole[0..<30]))
        try Self.expectCleanFailure(["invert", input, "-o", output], output: output, mentioning: "cut.wav")
    }

    @Test func emptyAudio() throws {
        let (input, output) = try Self.setUp("empty.wav", wavBytes(channels: [[]], rate: 16_000))
        try Self.expectCleanFailure(["invert", input, "-o", output], output: output, mentioning: "empty.wav")
    }

    @Test func zeroLengthNpy() throws {
        let (input, output) = try Self.setUp("empty.npy", Self.npy(rows: 0, columns: 257))
        try Self.expectCleanFailure(["invert", input, "-o", output], output: output, mentioning: "0 frames")
    }

    @Test func npyOfWrongDtype() throws {
        var bytes = Self.npy(rows: 8, columns: 257)
        let header = String(decoding: bytes[10..<80], as: UTF8.self)
        let at = header.range(of: "<f4")!.lowerBound.utf16Offset(in: header) + 10
        bytes[at + 1] = UInt8(ascii: "i")  // '<i4': 32-bit integers
        let (input, output) = try Self.setUp("i32.npy", bytes)
        try Self.expectCleanFailure(["invert", input, "-o", output], output: output, mentioning: "<i4")
    }

    @Test func npyOfWrongRank() throws {
        var bytes = NpyMatrix(rows: 1, columns: 257, values: [Float](repeating: 1, count: 257)).npyBytes
        let shape = Array("(1, 257)".utf8), rankOne = Array("(257,)  ".utf8)
        let at = (0..<(bytes.count - shape.count)).first { Array(bytes[$0..<$0 + shape.count]) == shape }!
        bytes.replaceSubrange(at..<at + shape.count, with: rankOne)
        let (input, output) = try Self.setUp("rank1.npy", bytes)
        try Self.expectCleanFailure(["invert", input, "-o", output], output: output, mentioning: "1-D")
    }

    @Test func npyOfWrongBinCount() throws {
        let (input, output) = try Self.setUp("k200.npy", Self.npy(rows: 8, columns: 200))
        try Self.expectCleanFailure(["invert", input, "-o", output], output: output, mentioning: "shape (8, 200)")
    }

    @Test(arguments: [(Float.nan, "NaN"), (Float.infinity, "infinite"), (-1, "negative")])
    func npyWithBadValues(value: Float, word: String) throws {
        var matrix = NpyMatrix(rows: 8, columns: 257, values: [Float](repeating: 1, count: 8 * 257))
        matrix.values[5 * 257 + 3] = value
        let (input, output) = try Self.setUp("bad.npy", matrix.npyBytes)
        try Self.expectCleanFailure(["invert", input, "-o", output], output: output, mentioning: word)
    }

    @Test func unknownMethodAndFormat() throws {
        let output = try CLI.scratchFolder().appendingPathComponent("out.wav").path
        try Self.expectCleanFailure(["invert", BundledExample.path, "-o", output, "--method", "magic"], output: output, mentioning: "magic")
        try Self.expectCleanFailure(["invert", BundledExample.path, "-o", output, "--format", "q7"], output: output, mentioning: "q7")
        try Self.expectCleanFailure(
            ["invert", BundledExample.path, "-o", output, "--method", "pghi", "--format", "f16"], output: output, mentioning: "f16")
        try Self.expectCleanFailure(
            ["invert", BundledExample.path, "-o", output, "--method", "rtpghi", "--format", "q15"], output: output, mentioning: "q15")
    }

    @Test func lookaheadAndSecondsOutOfRange() throws {
        let output = try CLI.scratchFolder().appendingPathComponent("out.wav").path
        try Self.expectCleanFailure(
            ["invert", BundledExample.path, "-o", output, "--method", "cnn-strided", "--lookahead", "0"],
            output: output, mentioning: "lookahead")
        try Self.expectCleanFailure(
            ["invert", BundledExample.path, "-o", output, "--method", "rtisi-la", "--lookahead", "8"],
            output: output, mentioning: "0...7")
        try Self.expectCleanFailure(
            ["invert", BundledExample.path, "-o", output, "--method", "mcnn", "--lookahead", "2"],
            output: output, mentioning: "lookahead")
        let result = try CLI.run(["stream", "--capture", "--seconds", "1e30"])
        #expect(result.status != 0 && result.stderrLines.count == 1 && result.stderr.contains("--seconds"), "\(result.stderr)")
    }

    @Test func lookaheadRefinementOptionsOutOfRange() throws {
        let output = try CLI.scratchFolder().appendingPathComponent("out.wav").path
        let cnnLA = ["invert", BundledExample.path, "-o", output, "--method", "cnn-la"]
        try Self.expectCleanFailure(cnnLA + ["--lookahead", "7"], output: output, mentioning: "0...6")
        try Self.expectCleanFailure(cnnLA + ["--iterations=-1"], output: output, mentioning: "0...10000")
        try Self.expectCleanFailure(cnnLA + ["--momentum", "1"], output: output, mentioning: "--momentum")
        try Self.expectCleanFailure(cnnLA + ["--momentum", "nan"], output: output, mentioning: "--momentum")
        try Self.expectCleanFailure(
            ["invert", BundledExample.path, "-o", output, "--method", "pghi", "--momentum", "0.5"],
            output: output, mentioning: "rtisi-la")
        try Self.expectCleanFailure(
            ["invert", BundledExample.path, "-o", output, "--method", "rtisi-la", "--momentum=-0.1"],
            output: output, mentioning: "--momentum")
    }

    @Test func outputInAMissingFolder() throws {
        let output = "/nonexistent-folder-\(UUID().uuidString)/out.wav"
        let result = try CLI.run(["invert", BundledExample.path, "-o", output])
        #expect(result.status != 0 && result.stderrLines.count == 1 && result.stderr.contains("does not exist"), "\(result.stderr)")
    }

    @Test func alsaDeviceThatDoesNotExist() throws {
        let result = try CLI.run(["stream", BundledExample.path, "--device", "no_such_device_here"])
        #expect(result.status != 0, "\(result.stderr)")
        #expect(result.stderrLines.count == 1 && result.stderr.contains("no_such_device_here"), "\(result.stderr)")
    }
}
