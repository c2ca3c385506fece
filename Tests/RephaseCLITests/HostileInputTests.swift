import Foundation
import Testing
import RephaseIO

/// Hostile inputs and options: each gives one error line and a non-zero exit (or, where the
/// input is legitimate, a complete output), never a trap, never silent garbage.
@Suite struct HostileInputTests {
    static func fail(_ arguments: [String], output: String, mentioning fragment: String) throws {
        try BadInputTests.expectCleanFailure(arguments, output: output, mentioning: fragment)
    }

    /// A WAV of unknown length (size fields 0xFFFFFFFF, as ffmpeg and sox write to a pipe)
    /// on standard input is read whole, however large the header says it is.
    @Test func unknownLengthWavFromAPipe() throws {
        let samples = (0..<8_000).map { Float(sin(Double($0) * 0.05)) * 0.5 }
        let folder = try CLI.scratchFolder()
        let input = folder.appendingPathComponent("pipe.wav").path
        try Data(floatWavBytes(samples, rate: 16_000, declaredDataBytes: 0xFFFF_FFFF)).write(to: URL(fileURLWithPath: input))
        let output = folder.appendingPathComponent("out.wav").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "cat '\(input)' | '\(CLI.executable.path)' invert - -o '\(output)'"]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(try MonoAudio(contentsOf: output).samples.count == samples.count)
    }

    /// Garbage that looks like MPEG audio: libsndfile's decoder chatters on stderr, the tool
    /// still says one line.
    @Test func mpegLookingGarbageGivesOneLine() throws {
        let (input, output) = try BadInputTests.setUp("noise.mp3", [0xFF, 0xFB, 0x90, 0x00] + [UInt8](repeating: 0, count: 3_000))
        try Self.fail(["invert", input, "-o", output], output: output, mentioning: "noise.mp3")
    }

    /// An endless input is cut off at the size limit with one error line.
    @Test func endlessInputEndsInAnError() throws {
        let output = try CLI.scratchFolder().appendingPathComponent("out.wav").path
        try Self.fail(["invert", "/dev/zero", "-o", output], output: output, mentioning: "larger than 1 GiB")
    }

    /// A header that promises 10 s over 0.1 s of data is an error naming both counts.
    @Test func truncatedWavNamesFramesPromisedAndFound() throws {
        let samples = [Float](repeating: 0.1, count: 1_600)
        let bytes = floatWavBytes(samples, rate: 16_000, declaredDataBytes: 160_000 * 4)
        let (input, output) = try BadInputTests.setUp("short.wav", bytes)
        try Self.fail(["invert", input, "-o", output], output: output, mentioning: "promises 160000 frames, it holds 1600")
    }

    /// Huge, NaN and infinite samples are refused with the accepted range, in every format
    /// (the q15 paths trapped on them), in analyze, sim and vectors.
    @Test(arguments: [Float(1e17), 3e38, .nan, -.infinity])
    func extremeSamples(value: Float) throws {
        var samples = (0..<16_000).map { Float(sin(Double($0) * 0.05)) * 0.5 }
        samples[8_000] = value
        let (input, output) = try BadInputTests.setUp("loud.wav", floatWavBytes(samples, rate: 16_000))
        for extra in [[], ["--format", "q15"], ["--method", "mcnn", "--format", "q15"], ["--method", "fgla"]] {
            try Self.fail(["invert", input, "-o", output] + extra, output: output, mentioning: "65536")
        }
        let folder = (output as NSString).deletingLastPathComponent
        for command in [["sim", input, "--format", "q15"], ["vectors", input, "--output-dir", folder, "--format", "q15"],
                        ["analyze", input, "-o", output + ".npy"]] {
            let result = try CLI.run(command)
            #expect(result.status != 0 && result.stderrLines.count == 1 && result.stderr.contains("65536"), "\(command): \(result.stderr)")
        }
    }

    /// A forged sample rate (1 Hz would be resampled to 16,000 times the file's length) is refused.
    @Test(arguments: [1, 2_000_000_000])
    func forgedSampleRate(rate: Int) throws {
        let (input, output) = try BadInputTests.setUp("rate.wav", floatWavBytes([Float](repeating: 0.1, count: 4_000), rate: rate))
        try Self.fail(["invert", input, "-o", output], output: output, mentioning: "4000 to 768000 Hz")
    }

    /// Finite but extreme magnitudes (1e30 everywhere, 3e38 in alternate bins) are refused
    /// with the accepted range by every method.
    @Test func extremeMagnitudes() throws {
        var alternate = [Float](repeating: 1, count: 40 * 257)
        for i in stride(from: 0, to: alternate.count, by: 2) { alternate[i] = 3e38 }
        for values in [[Float](repeating: 1e30, count: 40 * 257), alternate] {
            let (input, output) = try BadInputTests.setUp("huge.npy", NpyMatrix(rows: 40, columns: 257, values: values).npyBytes)
            for method in ["cnn", "pghi", "rtisi-la", "fgla", "mcnn"] {
                try Self.fail(["invert", input, "-o", output, "--method", method], output: output, mentioning: "[0, 1e+08]")
            }
            try Self.fail(["invert", input, "-o", output, "--format", "q15"], output: output, mentioning: "[0, 1e+08]")
        }
    }

    /// An output that would be silent from a loud input is refused, not written: constant
    /// magnitudes with zero initial phase are a fixed point of Griffin-Lim at silence.
    @Test func silentOutputFromLoudInputIsAnError() throws {
        let (input, output) = try BadInputTests.setUp(
            "flat.npy", NpyMatrix(rows: 40, columns: 257, values: [Float](repeating: 1, count: 40 * 257)).npyBytes)
        try Self.fail(["invert", input, "-o", output, "--method", "fgla"], output: output, mentioning: "produced silence")
    }

    /// Every numeric option out of range or non-finite: one line naming the valid range.
    @Test func numericOptionsOutOfRange() throws {
        let folder = try CLI.scratchFolder()
        let output = folder.appendingPathComponent("out.wav").path
        let mel = folder.appendingPathComponent("mel.npy").path
        #expect(try CLI.run(["analyze", BundledExample.path, "-o", mel, "--mel", "80"]).status == 0)
        let admm = ["invert", mel, "--mel", "80", "--method", "admm", "-o", output]
        let cases: [([String], String)] = [
            (admm + ["--rho", "1e-20"], "--rho must be in [1e-09, 1e+09]"),
            (admm + ["--lambda", "1e-20"], "--lambda must be in [1e-09, 1e+09]"),
            (admm + ["--lambda", "1e308"], "--lambda must be in [1e-09, 1e+09]"),
            (admm + ["--lambda", "nan"], "--lambda must be in"),
            (admm + ["--iterations", "9223372036854775807"], "0...10000"),
            (["invert", BundledExample.path, "-o", output, "--method", "fgla", "--iterations", "100001"], "0...10000"),
            (["invert", BundledExample.path, "-o", output, "--weight-exponent", "nan"], "(0, 16.0]"),
            (["invert", BundledExample.path, "-o", output, "--weight-exponent", "1e9"], "(0, 16.0]"),
            (["invert", BundledExample.path, "-o", output, "--coupling", "inf"], "(0, 1000000.0]"),
            (["invert", BundledExample.path, "-o", output, "--coupling=-1"], "(0, 1000000.0]"),
            (["vectors", BundledExample.path, "--output-dir", folder.path, "--first", "9223372036854775807"], "--first must be in 0..."),
            (["vectors", BundledExample.path, "--output-dir", folder.path, "--first=-5"], "--first must be in 0..."),
            (["vectors", BundledExample.path, "--output-dir", folder.path, "--frames", "9223372036854775807"], "--frames must be in 1..."),
            (["vectors", BundledExample.path, "--output-dir", folder.path, "--first", "3", "--frames", "0"], "--frames must be in 1..."),
            (["invert", BundledExample.path, "-o", output, "--mel", "80", "--mel-steps=-1"], "0...1000"),
            (["invert", BundledExample.path, "-o", output, "--mel", "100000"], "between 1 and 256"),
            (["sim", BundledExample.path, "--iterations=-3", "--method", "rtisi-la"], "1...10000"),
        ]
        for (arguments, fragment) in cases {
            try Self.fail(arguments, output: output, mentioning: fragment)
        }
    }

    /// The edges of the accepted ADMM weights run to a finite output.
    @Test func admmAtTheEdgesOfItsRanges() throws {
        let folder = try CLI.scratchFolder()
        let mel = folder.appendingPathComponent("mel.npy").path
        #expect(try CLI.run(["analyze", BundledExample.path, "-o", mel, "--mel", "40"]).status == 0)
        for weights in [["--rho", "1e-9", "--lambda", "1e-9"], ["--rho", "1e9", "--lambda", "1e9"], ["--rho", "1e-9", "--lambda", "1e9"]] {
            let output = folder.appendingPathComponent("out.wav").path
            let result = try CLI.run(["invert", mel, "--mel", "40", "--method", "admm", "--iterations", "2", "-o", output] + weights)
            #expect(result.status == 0, "\(weights): \(result.stderr)")
        }
    }
}
