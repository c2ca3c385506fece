import Foundation
import Testing
@testable import RephaseIO

/// The readers and the writer against hostile files: forged sizes, unknown lengths, planted
/// links and non-regular outputs.
@Suite struct HostileFileTests {
    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rephase-io-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static let tone = MonoAudio(samples: (0..<4_000).map { Float(sin(Double($0) * 0.1)) * 0.5 }, sampleRate: 16_000)

    /// `tone` as a float WAV whose data-chunk size field says `declared`.
    static func wav(declaring declared: UInt32) throws -> [UInt8] {
        var bytes = try tone.wavBytes(subtype: .float)
        let at = (12..<bytes.count - 4).first { String(decoding: bytes[$0..<$0 + 4], as: UTF8.self) == "data" }! + 4
        for i in 0..<4 { bytes[at + i] = UInt8(truncatingIfNeeded: declared >> (8 * UInt32(i))) }
        return bytes
    }

    @Test(arguments: [UInt32(0xFFFF_FFFF), 0])
    func wavOfUnknownLengthIsReadWhole(declared: UInt32) throws {
        let audio = try MonoAudio(bytes: Self.wav(declaring: declared), path: "pipe.wav")
        #expect(audio.samples == Self.tone.samples)
    }

    @Test func truncatedWavNamesBothCounts() throws {
        #expect(throws: AudioFileError.truncated(path: "cut.wav", expected: 160_000, got: 4_000)) {
            try MonoAudio(bytes: Self.wav(declaring: 160_000 * 4), path: "cut.wav")
        }
    }

    /// A header claiming 512 MB over a sparse 512 MB file of the wrong size is refused from
    /// the header and the size alone: no data is read (well under a second, where reading
    /// the file took seconds and a gigabyte).
    @Test func npyHeaderIsCheckedAgainstTheFileSizeFirst() throws {
        let path = try Self.scratch().appendingPathComponent("big.npy").path
        let rows = (1 << 29) / (4 * 257) + 1
        let header = NpyMatrix(rows: 0, columns: 257, values: []).npyBytes
        let forged = String(decoding: header, as: UTF8.self).replacingOccurrences(of: "(0, 257)", with: "(\(rows), 257)")
        var bytes = Array(forged.utf8)
        bytes[8] = UInt8(truncatingIfNeeded: bytes.count - 10)
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        #expect(truncate(path, 1 << 29) == 0)
        let start = Date()
        #expect(throws: NpyError.self) { try NpyMatrix(contentsOf: path) }
        #expect(Date().timeIntervalSince(start) < 0.5)
    }

    @Test func npyFileReadMatchesParsedBytes() throws {
        let matrix = NpyMatrix(rows: 300, columns: 257, values: (0..<(300 * 257)).map { Float($0) * 0.25 })
        let path = try Self.scratch().appendingPathComponent("m.npy").path
        try matrix.write(to: path)
        #expect(try NpyMatrix(contentsOf: path) == matrix)
    }

    /// An output that is a symlink is written through: the link stays, its target changes.
    @Test func outputSymlinkIsWrittenThrough() throws {
        let folder = try Self.scratch()
        let target = folder.appendingPathComponent("target.wav").path, link = folder.appendingPathComponent("link.wav").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: target))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        try OutputFile.write(Array("new".utf8), to: link)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "new")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["link.wav", "target.wav"])
    }

    @Test func replacedFileKeepsItsPermissions() throws {
        let path = try Self.scratch().appendingPathComponent("private.wav").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        #expect(chmod(path, 0o600) == 0)
        try OutputFile.write(Array("new".utf8), to: path)
        var status = stat()
        #expect(stat(path, &status) == 0 && status.st_mode & 0o777 == 0o600)
    }

    /// A character device is written in place, never replaced by a regular file.
    @Test func deviceOutputIsWrittenInPlace() throws {
        try OutputFile.write(Array("discard".utf8), to: "/dev/null")
        var status = stat()
        #expect(stat("/dev/null", &status) == 0 && status.st_mode & S_IFMT == S_IFCHR)
    }

    /// A device that refuses the data (/dev/full) is an error, not a silent success.
    @Test func fullDeviceIsAnError() throws {
        #expect(throws: OutputFileError.self) { try OutputFile.write([UInt8](repeating: 1, count: 4096), to: "/dev/full") }
    }

    @Test func directoryOutputAndInputAsOutputAreRefused() throws {
        let folder = try Self.scratch()
        #expect(throws: OutputFileError.self) { try OutputFile.write([1], to: folder.path) }
        let input = folder.appendingPathComponent("in.wav").path, other = folder.appendingPathComponent("other.wav").path
        try Data([1, 2]).write(to: URL(fileURLWithPath: input))
        try FileManager.default.linkItem(atPath: input, toPath: other)
        #expect(throws: OutputFileError.self) { try OutputFile.checkTarget(other, notOverwriting: [input]) }
        try OutputFile.checkTarget(folder.appendingPathComponent("new.wav").path, notOverwriting: [input])
    }
}
