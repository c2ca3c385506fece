import Foundation
import Testing
import RephaseIO

/// `rephase invert A B C ... -o FOLDER/ [--jobs N]`: every good input written as the single-file
/// run writes it, the bad ones listed with their reasons and a non-zero exit.
@Suite struct BatchInvertTests {
    /// A folder with the clip, its magnitudes, and magnitudes with a NaN in them.
    static func inputs() throws -> (folder: URL, flac: String, npy: String, bad: String) {
        let folder = try CLI.scratchFolder()
        let flac = try OutputSafetyTests.copyOfExample(in: folder, as: "clip.flac")
        let npy = folder.appendingPathComponent("magnitudes.npy").path
        let analyzed = try CLI.run(["analyze", flac, "-o", npy])
        #expect(analyzed.status == 0, "\(analyzed.stderr)")
        var matrix = try NpyMatrix(contentsOf: npy)
        matrix.values[3 * 257 + 4] = .nan
        let bad = folder.appendingPathComponent("bad.npy").path
        try matrix.write(to: bad)
        return (folder, flac, npy, bad)
    }

    @Test(arguments: [1, 2, 3])
    func writesTheGoodFilesListsTheBadOnes(jobs: Int) throws {
        let (folder, flac, npy, bad) = try Self.inputs()
        let out = folder.appendingPathComponent("out").path + "/"
        let result = try CLI.run(["invert", flac, bad, npy, "-o", out, "--jobs", "\(jobs)", "--method", "pghi"])
        #expect(result.status != 0)
        let lines = result.stderrLines
        #expect(lines.count == 3, "\(result.stderr)")
        #expect(lines.first?.hasPrefix("rephase: inverted 2 of 3 files, 7.37 s of audio in ") == true, "\(result.stderr)")
        #expect(lines.first?.contains("(\(jobs) job") == true, "\(result.stderr)")
        #expect(lines.dropFirst().first == "rephase: failed: \(bad): '\(bad)' holds NaN at frame 3, bin 4; magnitudes must be in [0, 1e+08]")
        #expect(lines.last == "rephase: error: 1 of 3 files failed (listed above); the other 2 were written")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == ["clip.wav", "magnitudes.wav"])
        // Each written file is the single-file run's, byte for byte.
        for (input, name) in [(flac, "clip.wav"), (npy, "magnitudes.wav")] {
            let single = folder.appendingPathComponent("single-\(name)").path
            #expect(try CLI.run(["invert", input, "-o", single, "--method", "pghi"]).status == 0)
            #expect(try Data(contentsOf: URL(fileURLWithPath: single)) == Data(contentsOf: URL(fileURLWithPath: out + name)))
        }
    }

    @Test func anExistingFolderTakesOneInput() throws {
        let (folder, flac, _, _) = try Self.inputs()
        let result = try CLI.run(["invert", flac, "-o", folder.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("rephase: inverted 1 of 1 files, 3.69 s of audio in "), "\(result.stderr)")
        #expect(try MonoAudio(contentsOf: folder.appendingPathComponent("clip.wav").path).samples.count == InvertCommandTests.clipLength)
    }

    /// Inputs of one name in different folders keep their folders below the one they share.
    @Test func sameNamesInOtherFoldersKeepTheirFolders() throws {
        let folder = try CLI.scratchFolder()
        var inputs: [String] = []
        for speaker in ["anna", "ben"] {
            let sub = folder.appendingPathComponent("corpus/\(speaker)")
            try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
            inputs.append(try OutputSafetyTests.copyOfExample(in: sub, as: "a0001.flac"))
        }
        let out = folder.appendingPathComponent("out").path
        let result = try CLI.run(["invert"] + inputs + ["-o", out, "--method", "pghi"])
        #expect(result.status == 0, "\(result.stderr)")
        for speaker in ["anna", "ben"] {
            #expect(FileManager.default.fileExists(atPath: "\(out)/\(speaker)/a0001.wav"), "\(speaker)")
        }
    }

    /// Mistakes that are clear before any work: one line, nothing written.
    @Test(arguments: [
        (["x/a.npy", "x/a.flac"], ["--jobs", "2"], "'x/a.npy' and 'x/a.flac' would both be written to"),
        (["a.flac", "b.flac"], ["--jobs", "0"], "--jobs must be in 1...256, got 0"),
        (["a.flac", "-"], [], "standard input ('-') can only be inverted alone"),
        (["a.flac", "b.flac"], ["--json"], "--json describes one inversion"),
    ])
    func refusedBeforeAnyWork(inputs: [String], options: [String], message: String) throws {
        let folder = try CLI.scratchFolder()
        let out = folder.appendingPathComponent("out").path + "/"
        let result = try CLI.run(["invert"] + inputs + ["-o", out] + options)
        #expect(result.status != 0 && result.stderrLines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func jobsNeedsSeveralInputs() throws {
        let output = try CLI.scratchFolder().appendingPathComponent("one.wav").path
        let result = try CLI.run(["invert", BundledExample.path, "-o", output, "--jobs", "2"])
        #expect(result.status != 0 && result.stderr == "rephase: error: --jobs applies to several inputs (or -o FOLDER/)\n")
    }
}
