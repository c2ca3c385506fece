import Foundation
import Testing
import RephaseIO

/// Outputs can never destroy the input, follow a planted symlink, replace a device or FIFO,
/// collide with a concurrent run, or outlive an interrupt as a temporary file.
@Suite struct OutputSafetyTests {
    static func copyOfExample(in folder: URL, as name: String = "x.flac") throws -> String {
        let path = folder.appendingPathComponent(name).path
        try FileManager.default.copyItem(atPath: BundledExample.path, toPath: path)
        return path
    }

    /// The output named as the input, through itself, a `..` spelling, a symlink and a hard
    /// link: refused before anything is written, and the input is untouched.
    @Test func outputThatIsTheInputIsRefused() throws {
        let folder = try CLI.scratchFolder()
        let input = try Self.copyOfExample(in: folder)
        let before = try Data(contentsOf: URL(fileURLWithPath: input))
        let sub = folder.appendingPathComponent("sub")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        let link = folder.appendingPathComponent("link.wav").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: input)
        let hard = folder.appendingPathComponent("hard.wav").path
        try FileManager.default.linkItem(atPath: input, toPath: hard)
        for output in [input, sub.path + "/../x.flac", link, hard] {
            let result = try CLI.run(["invert", input, "-o", output])
            #expect(result.status != 0 && result.stderrLines.count == 1, "\(output): \(result.stderr)")
            #expect(result.stderr.contains("is the input"), "\(result.stderr)")
        }
        // analyze too (libsndfile reads the FLAC whatever its name).
        let npyNamed = try Self.copyOfExample(in: folder, as: "audio.npy")
        let result = try CLI.run(["analyze", npyNamed, "-o", npyNamed])
        #expect(result.status != 0 && result.stderr.contains("is the input"), "\(result.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".partial") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    /// A symlink planted at the old predictable temporary name is neither followed nor removed.
    @Test func plantedSymlinkAtTheOldTemporaryNameIsIgnored() throws {
        let folder = try CLI.scratchFolder()
        let victim = folder.appendingPathComponent("victim.txt").path
        try Data("precious".utf8).write(to: URL(fileURLWithPath: victim))
        let output = folder.appendingPathComponent("out.wav").path
        try FileManager.default.createSymbolicLink(atPath: output + ".partial", withDestinationPath: victim)
        let result = try CLI.run(["invert", BundledExample.path, "-o", output])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: output + ".partial") == victim)
        #expect(try MonoAudio(contentsOf: output).samples.count > 16_000)
    }

    /// A FIFO output is written in place (a reader gets the whole WAV) and stays a FIFO.
    @Test func fifoOutputIsWrittenInPlace() throws {
        let folder = try CLI.scratchFolder()
        let fifo = folder.appendingPathComponent("out.wav").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let copy = folder.appendingPathComponent("copy.wav").path
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/bin/sh")
        reader.arguments = ["-c", "cat '\(fifo)' > '\(copy)'"]
        try reader.run()
        let result = try CLI.run(["invert", BundledExample.path, "-o", fifo])
        reader.waitUntilExit()
        #expect(result.status == 0, "\(result.stderr)")
        var status = stat()
        #expect(lstat(fifo, &status) == 0 && status.st_mode & S_IFMT == S_IFIFO)
        #expect(try MonoAudio(contentsOf: copy).samples.count > 16_000)
    }

    /// `-o -` writes the WAV to standard output.
    @Test func standardOutput() throws {
        let result = try CLI.run(["invert", BundledExample.path, "-o", "-", "--method", "pghi"])
        #expect(result.status == 0 && result.stdout.hasPrefix("RIFF"), "\(result.stderr)")
    }

    /// Four runs onto one path at once: every one succeeds, the survivor is a complete file.
    @Test func concurrentRunsOntoOnePathAllSucceed() throws {
        let folder = try CLI.scratchFolder()
        let output = folder.appendingPathComponent("out.wav").path
        let processes = (0..<4).map { _ in
            let process = Process()
            process.executableURL = CLI.executable
            process.arguments = ["invert", BundledExample.path, "-o", output, "--method", "pghi"]
            process.standardError = FileHandle.nullDevice
            return process
        }
        for process in processes { try process.run() }
        for process in processes { process.waitUntilExit() }
        let results = processes.map(\.terminationStatus)
        #expect(results == [0, 0, 0, 0])
        let expected = try MonoAudio(contentsOf: BundledExample.path).samples.count
        #expect(try MonoAudio(contentsOf: output).samples.count == expected)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out.wav"])
    }

    /// SIGINT, SIGTERM or SIGHUP while the output is being written leaves no temporary file: the
    /// test waits for the temporary file to appear, then signals.
    @Test(arguments: [SIGINT, SIGTERM, SIGHUP])
    func interruptRemovesTheTemporaryFile(signal: Int32) throws {
        let folder = try CLI.scratchFolder()
        // A long spectrogram, so the write of its float WAV takes a while.
        let frames = 40_000
        let input = folder.appendingPathComponent("long.npy").path
        try Data(NpyMatrix(rows: frames, columns: 257, values: [Float](repeating: 0.5, count: frames * 257)).npyBytes)
            .write(to: URL(fileURLWithPath: input))
        var caught = 0
        for _ in 0..<5 where caught == 0 {
            let output = folder.appendingPathComponent("out.wav").path
            let process = Process()
            process.executableURL = CLI.executable
            process.arguments = ["invert", input, "-o", output, "--method", "pghi", "--subtype", "float"]
            process.standardError = FileHandle.nullDevice
            try process.run()
            while process.isRunning {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
                if names.contains(where: { $0.hasSuffix(".partial") }) {
                    kill(process.processIdentifier, signal)
                    caught += 1
                    break
                }
                usleep(200)
            }
            process.waitUntilExit()
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            #expect(!names.contains { $0.hasSuffix(".partial") }, "\(names)")
            try? FileManager.default.removeItem(atPath: output)
        }
        #expect(caught > 0, "never saw the temporary file to signal during")
    }
}
