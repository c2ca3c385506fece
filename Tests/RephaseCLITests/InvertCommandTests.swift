import Foundation
import Testing
import RephaseIO

/// The real executable on the bundled clip: every method, the JSON report, analyze -> invert.
@Suite struct InvertCommandTests {
    static let clip = BundledExample.path
    static let clipLength = 58_960  // 3.685 s at 16 kHz

    @Test(arguments: [
        ("cnn", "f32"), ("cnn", "f16"), ("cnn", "q15"), ("cnn-strided", "f32"), ("cnn-strided", "f16"), ("cnn-strided", "q15"),
        ("cnn-la", "f32"), ("cnn-la", "f16"), ("pghi", "f32"), ("pghi", "q15"), ("rtpghi", "f32"), ("rtisi-la", "f32"),
        ("mcnn", "f32"), ("mcnn", "f16"), ("mcnn", "q15"), ("fgla", "f32"),
    ])
    func invertsTheClipWithEveryMethod(method: String, format: String) throws {
        let folder = try CLI.scratchFolder()
        let output = folder.appendingPathComponent("out.wav").path
        let result = try CLI.run(["invert", Self.clip, "-o", output, "--method", method, "--format", format])
        #expect(result.status == 0, "\(result.stderr)")
        let audio = try MonoAudio(contentsOf: output)
        #expect(audio.samples.count == Self.clipLength)
        #expect(audio.sampleRate == 16_000)
        let peak = audio.samples.map(abs).max() ?? 0
        #expect(peak > 0.05 && peak <= 1, "peak \(peak)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out.wav"])
    }

    @Test func jsonReportHasTheKeysOtherToolsParse() throws {
        let output = try CLI.scratchFolder().appendingPathComponent("out.wav").path
        let result = try CLI.run(["invert", Self.clip, "-o", output, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        for key in ["method", "format", "frames", "audio_seconds", "compute_seconds", "realtime_factor"] {
            #expect(object?[key] != nil, "missing \(key)")
        }
        #expect(object?["method"] as? String == "cnn")
        #expect(object?["format"] as? String == "f32")
        #expect(object?["frames"] as? Int == 464)
    }

    /// cnn-la takes its look-ahead, iterations and momentum, and reports the latency they give.
    @Test func lookaheadRefinementReportsItsSettings() throws {
        let output = try CLI.scratchFolder().appendingPathComponent("out.wav").path
        let result = try CLI.run([
            "invert", Self.clip, "-o", output, "--json", "--method", "cnn-la", "--lookahead", "2", "--iterations", "1",
            "--momentum", "0.3",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["method"] as? String == "cnn-la")
        #expect(object?["lookahead"] as? Int == 2)
        #expect(object?["iterations"] as? Int == 1)
        #expect(object?["latency_samples"] as? Int == 384 + 2 * 128)
        #expect(try MonoAudio(contentsOf: output).samples.count == Self.clipLength)
    }

    /// fgla takes a momentum (0: plain Griffin-Lim), which changes its output; the default is
    /// Fast Griffin-Lim's 0.99.
    @Test func fastGriffinLimTakesItsMomentum() throws {
        let folder = try CLI.scratchFolder()
        var outputs: [[Float]] = []
        for momentum in [[], ["--momentum", "0.99"], ["--momentum", "0"]] {
            let output = folder.appendingPathComponent("out\(outputs.count).wav").path
            let result = try CLI.run(["invert", Self.clip, "-o", output, "--method", "fgla", "--iterations", "4", "--subtype", "float"] + momentum)
            #expect(result.status == 0, "\(result.stderr)")
            outputs.append(try MonoAudio(contentsOf: output).samples)
        }
        #expect(outputs[0] == outputs[1] && outputs[0] != outputs[2])
    }

    /// MCNN's latency is the overlap-add's 384 samples and its 4 frames of look-ahead.
    @Test func mcnnReportsItsLookaheadAsLatency() throws {
        let output = try CLI.scratchFolder().appendingPathComponent("out.wav").path
        let result = try CLI.run(["invert", Self.clip, "-o", output, "--method", "mcnn", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["lookahead"] as? Int == 4)
        #expect(object?["latency_samples"] as? Int == 896)
    }

    /// analyze writes what invert reads; inverting the .npy gives the same file as inverting
    /// the audio (the same magnitudes, the same method).
    @Test func analyzeThenInvertMatchesInvertingTheAudio() throws {
        let folder = try CLI.scratchFolder()
        let npy = folder.appendingPathComponent("clip.npy").path
        #expect(try CLI.run(["analyze", Self.clip, "-o", npy]).status == 0)
        let matrix = try NpyMatrix(contentsOf: npy)
        #expect(matrix.rows == 464 && matrix.columns == 257)
        let fromNpy = folder.appendingPathComponent("a.wav").path, fromAudio = folder.appendingPathComponent("b.wav").path
        #expect(try CLI.run(["invert", npy, "-o", fromNpy, "--subtype", "float"]).status == 0)
        #expect(try CLI.run(["invert", Self.clip, "-o", fromAudio, "--subtype", "float"]).status == 0)
        let a = try MonoAudio(contentsOf: fromNpy).samples, b = try MonoAudio(contentsOf: fromAudio).samples
        // The .npy describes whole hops: 461 * 128 samples, the audio's length rounded up.
        #expect(a.count == 461 * 128)
        #expect(Array(a[0..<b.count]) == b)
    }

    @Test func otherRatesAndChannelsAreConvertedAndSaidSo() throws {
        let folder = try CLI.scratchFolder()
        let clip = try MonoAudio(contentsOf: Self.clip)
        let stereo48k = folder.appendingPathComponent("stereo48k.wav").path
        try writeStereo(try Resampler.resample(clip.samples, from: 16_000, to: 48_000), rate: 48_000, to: stereo48k)
        let output = folder.appendingPathComponent("out.wav").path
        let result = try CLI.run(["invert", stereo48k, "-o", output])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("mixed 2 channels"))
        #expect(result.stderr.contains("resampled"))
        let audio = try MonoAudio(contentsOf: output)
        #expect(audio.sampleRate == 48_000 && audio.samples.count == 3 * Self.clipLength)
    }
}
