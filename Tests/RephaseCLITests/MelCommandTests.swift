import Foundation
import RephaseIO
import Testing

/// Mel input: analyze --mel writes what invert --mel reads, every mel method runs, and bad
/// combinations fail cleanly.
@Suite struct MelCommandTests {
    static let clip = BundledExample.path

    /// analyze --mel 80 -> invert --mel 80 with an online method and ADMM (the cascade runs in
    /// progressLines; each offline run takes seconds in a debug build). An
    /// online method gives the same output from the .npy as from the audio file (the same mel
    /// spectrogram); the offline ones see a different length (the .npy's whole hops), so
    /// their consistent-spectrogram projections and outputs differ slightly.
    @Test(arguments: [["--method", "pghi"], ["--method", "admm", "--iterations", "3"]])
    func analyzeThenInvertRoundTrip(method: [String]) throws {
        let folder = try CLI.scratchFolder()
        let npy = folder.appendingPathComponent("clip-mel.npy").path
        let analyzed = try CLI.run(["analyze", Self.clip, "-o", npy, "--mel", "80"])
        #expect(analyzed.status == 0, "\(analyzed.stderr)")
        #expect(analyzed.stderr.contains("464 frames x 80 mel bands"))
        let matrix = try NpyMatrix(contentsOf: npy)
        #expect(matrix.rows == 464 && matrix.columns == 80)
        let fromNpy = folder.appendingPathComponent("a.wav").path, fromAudio = folder.appendingPathComponent("b.wav").path
        let a = try CLI.run(["invert", npy, "-o", fromNpy, "--mel", "80", "--subtype", "float"] + method)
        #expect(a.status == 0, "\(a.stderr)")
        #expect(try CLI.run(["invert", Self.clip, "-o", fromAudio, "--mel", "80", "--subtype", "float"] + method).status == 0)
        let x = try MonoAudio(contentsOf: fromNpy).samples, y = try MonoAudio(contentsOf: fromAudio).samples
        #expect(x.count == 461 * 128)
        let same = Array(x[0..<y.count]) == y
        if method[1] == "pghi" { #expect(same, "the outputs differ") }
        let peak = y.map(abs).max() ?? 0
        #expect(peak > 0.05 && peak <= 1, "peak \(peak)")
    }

    /// Behind --mel 80 the CNN methods' least squares take the weights tuned for the mel
    /// networks' estimates (p 1.25, gamma 10) unless given, and a given weight replaces only
    /// itself.
    @Test func melNetworksTakeTheirTunedWeights() throws {
        let folder = try CLI.scratchFolder()
        func invert(_ weights: [String]) throws -> [Float] {
            let output = folder.appendingPathComponent("out\(weights.joined()).wav").path
            let run = try CLI.run(
                ["invert", Self.clip, "-o", output, "--mel", "80", "--subtype", "float", "--method", "cnn-strided"] + weights)
            #expect(run.status == 0, "\(run.stderr)")
            return try MonoAudio(contentsOf: output).samples
        }
        let tuned = try invert([])
        let explicit = try invert(["--weight-exponent", "1.25", "--coupling", "10"])
        let couplingOnly = try invert(["--coupling", "10"])
        let linearTuning = try invert(["--weight-exponent", "1.5", "--coupling", "2"])
        #expect(tuned == explicit && couplingOnly == tuned)
        #expect(tuned != linearTuning)
    }

    /// --progress prints one line per iteration with the mel spectral convergence (ADMM's own
    /// convergence is tested in MelInversionTests).
    @Test func progressLines() throws {
        let method = "cascade"
        let output = try CLI.scratchFolder().appendingPathComponent("out.wav").path
        let result = try CLI.run(["invert", Self.clip, "-o", output, "--mel", "40", "--mel-scale", "htk", "--method", method, "--iterations", "4", "--progress"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stderrLines.filter { $0.contains("\(method) iteration") && $0.contains("mel SC") }
        #expect(lines.count == 4, "\(result.stderr)")
    }

    /// Starting from the streaming cnn's phases, two ADMM iterations fit the mel spectrogram
    /// better than from random phases (the mel SC --progress prints after the last one), and
    /// a band count without a streaming stage starts from random phases by default.
    @Test func streamStartBeatsRandomStart() throws {
        func lastMelSC(_ extra: [String]) throws -> Double {
            let output = try CLI.scratchFolder().appendingPathComponent("out.wav").path
            let result = try CLI.run(["invert", Self.clip, "-o", output, "--method", "admm", "--iterations", "2", "--progress"] + extra)
            #expect(result.status == 0, "\(result.stderr)")
            let line = try #require(result.stderrLines.last { $0.contains("admm iteration 2:") })
            let value = try #require(line.split(separator: ",").first { $0.contains("mel SC") }?.split(separator: " ").dropLast().last)
            return try #require(Double(value))
        }
        let stream = try lastMelSC(["--mel", "80"]), random = try lastMelSC(["--mel", "80", "--start", "random"])
        #expect(stream < random - 3, "mel SC \(stream) dB from the stream, \(random) dB from random phases")
        #expect(try lastMelSC(["--mel", "50"]) == lastMelSC(["--mel", "50", "--start", "random"]))
    }

    /// Each encoding round-trips: analyze writes it (frames last here), invert --mel reads it
    /// with the same flags and gives the output of inverting the audio file with them; the
    /// written values are the logarithm of the plain mel spectrogram, floored.
    @Test(arguments: [["ln", "1"], ["log10", "2"], ["db", "2"]])
    func encodedRoundTrip(encoding: [String]) throws {
        let folder = try CLI.scratchFolder()
        let flags = ["--mel", "80", "--mel-log", encoding[0], "--mel-power", encoding[1]]
        let npy = folder.appendingPathComponent("clip-mel.npy").path, plainNpy = folder.appendingPathComponent("plain.npy").path
        let analyzed = try CLI.run(["analyze", Self.clip, "-o", npy, "--layout", "frames-last"] + flags)
        #expect(analyzed.status == 0 && analyzed.stderr.contains("--mel-log \(encoding[0])"), "\(analyzed.stderr)")
        #expect(try CLI.run(["analyze", Self.clip, "-o", plainNpy, "--mel", "80"]).status == 0)
        let written = try NpyMatrix(contentsOf: npy), plain = try NpyMatrix(contentsOf: plainNpy)
        #expect(written.rows == 80 && written.columns == 464)
        if encoding == ["ln", "1"] {
            let frames = written.transposed
            for i in stride(from: 0, to: plain.values.count, by: 97) {
                let expected = log(Double(max(plain.values[i], 1e-8)))
                #expect(abs(Double(frames.values[i]) - expected) <= 1e-5 * max(1, abs(expected)), "value \(i)")
            }
        }
        let fromNpy = folder.appendingPathComponent("a.wav").path, fromAudio = folder.appendingPathComponent("b.wav").path
        let common = ["--subtype", "float", "--method", "pghi"] + flags
        let a = try CLI.run(["invert", npy, "-o", fromNpy] + common)
        #expect(a.status == 0, "\(a.stderr)")
        #expect(try CLI.run(["invert", Self.clip, "-o", fromAudio] + common).status == 0)
        let x = try MonoAudio(contentsOf: fromNpy).samples, y = try MonoAudio(contentsOf: fromAudio).samples
        #expect(Array(x[0..<y.count]) == y, "the outputs differ")
    }

    /// A (bands, frames) array is read as such; a square one, whose frames cannot be told
    /// from its bands, is refused unless --layout says which.
    @Test func layoutIsDetectedWhenUnambiguous() throws {
        let mel = NpyMatrix(rows: 80, columns: 80, values: (0..<6400).map { Float($0 % 13) / 100 })
        let (input, output) = try BadInputTests.setUp("square.npy", mel.npyBytes)
        try BadInputTests.expectCleanFailure(["invert", input, "-o", output, "--mel", "80"], output: output, mentioning: "--layout frames-first or frames-last")
        for layout in ["frames-first", "frames-last"] {
            let result = try CLI.run(["invert", input, "-o", output, "--mel", "80", "--layout", layout])
            #expect(result.status == 0, "\(result.stderr)")
        }
        let wide = NpyMatrix(rows: 80, columns: 12, values: [Float](repeating: 0.1, count: 960))
        let (wideInput, wideOutput) = try BadInputTests.setUp("wide.npy", wide.npyBytes)
        try BadInputTests.expectCleanFailure(
            ["invert", wideInput, "-o", wideOutput, "--mel", "80", "--layout", "frames-first"], output: wideOutput, mentioning: "per row")
        #expect(try CLI.run(["invert", wideInput, "-o", wideOutput, "--mel", "80"]).status == 0)
    }

    /// Log-mel values read as linear ones are refused with a pointer to --mel-log.
    @Test func negativeMelValuesSuggestALogarithm() throws {
        let mel = NpyMatrix(rows: 10, columns: 80, values: [Float](repeating: -4, count: 800))
        let (input, output) = try BadInputTests.setUp("logmel.npy", mel.npyBytes)
        try BadInputTests.expectCleanFailure(["invert", input, "-o", output, "--mel", "80"], output: output, mentioning: "--mel-log ln, log10 or db")
        #expect(try CLI.run(["invert", input, "-o", output, "--mel", "80", "--mel-log", "ln"]).status == 0)
    }

    @Test func melNpyWithoutMelOption() throws {
        let (input, output) = try BadInputTests.setUp("mel.npy", BadInputTests.npy(rows: 10, columns: 80))
        try BadInputTests.expectCleanFailure(["invert", input, "-o", output], output: output, mentioning: "--mel 80")
    }

    @Test func melNpyWithTheWrongBandCount() throws {
        let (input, output) = try BadInputTests.setUp("mel.npy", BadInputTests.npy(rows: 10, columns: 80))
        try BadInputTests.expectCleanFailure(["invert", input, "-o", output, "--mel", "64"], output: output, mentioning: "needs 64 mel bands per frame")
    }

    @Test(arguments: [
        (["--method", "admm"], "give --mel BANDS"),
        (["--method", "cascade"], "give --mel BANDS"),
        (["--mel", "80", "--method", "fgla"], "use --method cascade"),
        (["--mel", "50"], "compiled for 40, 64, 80, 128 bands"),
        (["--mel", "0"], "--mel must be between 1 and 256"),
        (["--mel", "80", "--method", "cascade", "--lambda", "2"], "--lambda and --rho apply to --method admm"),
        (["--mel", "80", "--method", "admm", "--rho", "0"], "--rho must be in [1e-09, 1e+09]"),
        (["--mel", "80", "--progress"], "--progress applies to --method admm and cascade"),
        (["--mel", "80", "--start", "random"], "--start applies to --method admm and cascade"),
        (["--mel", "50", "--method", "admm", "--start", "stream"], "--start stream needs one of the streaming band counts"),
        (["--mel", "80", "--method", "admm", "--start", "noise"], "noise"),
        (["--mel-scale", "htk"], "--mel-scale needs --mel"),
        (["--mel-steps", "3"], "--mel-steps applies to online methods with --mel"),
        (["--mel", "80", "--method", "admm", "--mel-steps", "3"], "--mel-steps applies to online methods with --mel, not admm"),
        (["--mel", "80", "--mel-steps", "5000"], "--mel-steps must be in 0...1000"),
        (["--mel", "80", "--mel-scale", "bark"], "bark"),
        (["--mel-log", "ln"], "--mel-log needs --mel"),
        (["--mel-power", "2"], "--mel-power needs --mel"),
        (["--mel", "80", "--mel-power", "3"], "3"),
        (["--mel", "80", "--mel-log", "log2"], "log2"),
        (["--mel", "80", "--mel-floor", "1e-5"], "--mel-floor applies with --mel-log"),
        (["--mel", "80", "--mel-log", "ln", "--mel-floor", "0"], "--mel-floor must be in (0, 1]"),
        (["--mel", "80", "--layout", "sideways"], "sideways"),
    ])
    func badMelOptions(extra: [String], fragment: String) throws {
        let output = try CLI.scratchFolder().appendingPathComponent("out.wav").path
        try BadInputTests.expectCleanFailure(["invert", Self.clip, "-o", output] + extra, output: output, mentioning: fragment)
    }

    @Test func analyzeWritesAChosenLayout() throws {
        let output = try CLI.scratchFolder().appendingPathComponent("out.npy").path
        try BadInputTests.expectCleanFailure(["analyze", Self.clip, "-o", output, "--layout", "auto"], output: output, mentioning: "not auto")
    }

    @Test func analyzeWithTooManyBands() throws {
        let output = try CLI.scratchFolder().appendingPathComponent("out.npy").path
        try BadInputTests.expectCleanFailure(["analyze", Self.clip, "-o", output, "--mel", "300"], output: output, mentioning: "between 1 and 256")
    }
}
