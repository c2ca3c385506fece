import Foundation

/// Why an input could not be read; `description` is the one line the user sees.
public struct InputFileError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let reason: String
    init(_ path: String, _ reason: String) { (self.path, self.reason) = (path, reason) }
    public var description: String { "cannot read '\(path)': \(reason)" }
}

/// An input file opened for reading, or standard input for the path "-". Reads go through
/// `read(2)` in blocks, so an input of unknown length (a pipe) costs memory in proportion to
/// what it actually holds, never to what a header claims.
struct InputFile: ~Copyable {
    let path: String
    private let descriptor: Int32
    /// The size of a regular file, or nil for a pipe, a terminal or a device.
    let regularSize: Int?

    /// The block size of reads of unknown length.
    static let block = 1 << 16
    /// The most bytes read from one input (1 GiB: an hour of 48 kHz stereo 16-bit WAV fits),
    /// so an endless source such as /dev/zero or a pipe that never closes ends in an error.
    public static let largestInput = 1 << 30

    init(_ path: String) throws(InputFileError) {
        let fd = path == "-" ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw InputFileError(path, String(cString: strerror(errno))) }
        var status = stat()
        var failure: String?
        if fstat(fd, &status) != 0 {
            failure = String(cString: strerror(errno))
        } else if status.st_mode & S_IFMT == S_IFDIR {
            failure = "it is a directory"
        } else if status.st_mode & S_IFMT == S_IFREG, Int(status.st_size) > Self.largestInput {
            failure = Self.tooLarge
        }
        if let failure {
            close(fd)
            throw InputFileError(path, failure)
        }
        self.path = path
        descriptor = fd
        regularSize = status.st_mode & S_IFMT == S_IFREG ? Int(status.st_size) : nil
    }

    deinit { close(descriptor) }

    /// Reads into `buffer` until it is full or the input ends; returns the bytes read.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputFileError) -> Int {
        var done = 0
        while done < buffer.count {
            let got = Foundation.read(descriptor, buffer.baseAddress! + done, buffer.count - done)
            if got < 0, errno == EINTR { continue }
            guard got >= 0 else { throw InputFileError(path, String(cString: strerror(errno))) }
            if got == 0 { break }
            done += got
        }
        return done
    }

    /// Up to `count` bytes (fewer only at the end of the input).
    func read(upTo count: Int) throws(InputFileError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let got = try bytes.withUnsafeMutableBytes { buffer in Result { () throws(InputFileError) in try read(into: buffer) } }.get()
        bytes.removeSubrange(got...)
        return bytes
    }

    /// Everything that is left, read block by block, up to largestInput.
    func readToEnd() throws(InputFileError) -> [UInt8] {
        var bytes: [UInt8] = []
        if let regularSize { bytes.reserveCapacity(regularSize) }
        while true {
            let block = try read(upTo: Self.block)
            bytes += block
            guard bytes.count <= Self.largestInput else { throw InputFileError(path, Self.tooLarge) }
            if block.count < Self.block { return bytes }
        }
    }

    static let tooLarge = "it is larger than \(largestInput >> 30) GiB, the most rephase reads from one input"
}
