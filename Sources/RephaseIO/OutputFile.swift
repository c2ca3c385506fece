import Foundation

/// Why an output could not be written; `description` is the one line the user sees.
public struct OutputFileError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let reason: String
    init(_ path: String, _ reason: String) { (self.path, self.reason) = (path, reason) }
    public var description: String { "cannot write '\(path)': \(reason)" }
}

/// Writes a finished output so that nothing can make it clobber or half-write a file:
/// - a regular file (or a new one) is written to a temporary file created exclusively
///   (O_CREAT | O_EXCL | O_NOFOLLOW, a random name: nobody can plant a symlink there, and
///   concurrent runs never share it) in the output's folder, synced, and renamed into place,
///   so the last complete rename wins; an output that is a symlink is written through
///   to the file it names;
/// - a device, FIFO or "-" (standard output) is written in place, never replaced;
/// - SIGINT, SIGTERM and SIGHUP during the write remove the temporary file (InterruptCleanup).
public enum OutputFile {
    /// Checks, before any work, that `path` can be written and is none of `inputs` (the same
    /// device and inode, whatever symlinks or `..` spell it): writing there would destroy the input.
    public static func checkTarget(_ path: String, notOverwriting inputs: [String]) throws(OutputFileError) {
        guard path != "-" else { return }
        guard !path.isEmpty else { throw OutputFileError(path, "the output path is empty") }
        var output = stat()
        if stat(path, &output) == 0 {
            guard output.st_mode & S_IFMT != S_IFDIR else { throw OutputFileError(path, "it is a directory") }
            for input in inputs where input != "-" {
                var other = stat()
                if stat(input, &other) == 0, other.st_dev == output.st_dev, other.st_ino == output.st_ino {
                    throw OutputFileError(path, "it is the input '\(input)'; choose another output")
                }
            }
            if output.st_mode & S_IFMT != S_IFREG { return }
        }
        let folder = Self.folder(of: resolved(path))
        var status = stat()
        guard stat(folder, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
            throw OutputFileError(path, "folder '\(folder)' does not exist")
        }
        guard access(folder, W_OK) == 0 else { throw OutputFileError(path, "folder '\(folder)' is not writable") }
    }

    /// Writes `bytes` to `path` as described above.
    public static func write(_ bytes: [UInt8], to path: String) throws(OutputFileError) {
        if path == "-" { return try writeAll(bytes, to: STDOUT_FILENO, path: path) }
        var status = stat()
        if stat(path, &status) == 0, status.st_mode & S_IFMT != S_IFREG {
            guard status.st_mode & S_IFMT != S_IFDIR else { throw OutputFileError(path, "it is a directory") }
            let fd = open(path, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { throw OutputFileError(path, String(cString: strerror(errno))) }
            defer { close(fd) }
            return try writeAll(bytes, to: fd, path: path)
        }
        let target = resolved(path)
        let (fd, temporary, slot) = try createTemporary(beside: target, path: path)
        var failure: OutputFileError?
        // A file being replaced keeps its permissions (a private 0600 output stays private).
        if stat(target, &status) == 0 { fchmod(fd, status.st_mode & 0o777) }
        do { try writeAll(bytes, to: fd, path: path) } catch { failure = error }
        if failure == nil, fsync(fd) != 0 { failure = OutputFileError(path, String(cString: strerror(errno))) }
        if close(fd) != 0, failure == nil { failure = OutputFileError(path, String(cString: strerror(errno))) }
        if failure == nil, rename(temporary, target) != 0 { failure = OutputFileError(path, String(cString: strerror(errno))) }
        if let failure {
            unlink(temporary)
            InterruptCleanup.forget(slot)
            throw failure
        }
        InterruptCleanup.forget(slot)
        syncFolder(of: target)
    }

    /// The file a symlink at `path` names (so writing replaces that file, not the link), else `path`.
    static func resolved(_ path: String) -> String {
        var link = stat()
        guard lstat(path, &link) == 0, link.st_mode & S_IFMT == S_IFLNK, let real = realpath(path, nil) else { return path }
        defer { free(real) }
        return String(cString: real)
    }

    static func folder(of path: String) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }

    /// A new file `NAME.RANDOM.partial` beside `target`, created exclusively, never through a
    /// symlink, and its InterruptCleanup slot.
    static func createTemporary(beside target: String, path: String) throws(OutputFileError) -> (Int32, String, Int?) {
        let name = (target as NSString).lastPathComponent
        let folder = Self.folder(of: target)
        InterruptCleanup.install()
        for _ in 0..<16 {
            let random = String(UInt64.random(in: 0...UInt64.max), radix: 36)
            let temporary = (folder as NSString).appendingPathComponent("\(name).\(random).partial")
            let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o666)
            if fd >= 0 { return (fd, temporary, InterruptCleanup.remember(temporary)) }
            guard errno == EEXIST else { throw OutputFileError(path, String(cString: strerror(errno))) }
        }
        throw OutputFileError(path, "cannot create a temporary file in '\(folder)'")
    }

    static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws(OutputFileError) {
        var done = 0
        while done < bytes.count {
            let wrote = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + done, bytes.count - done) }
            if wrote < 0, errno == EINTR { continue }
            guard wrote > 0 else { throw OutputFileError(path, String(cString: strerror(wrote < 0 ? errno : EIO))) }
            done += wrote
        }
    }

    /// Makes the rename itself durable (best effort: some file systems refuse to sync a folder).
    static func syncFolder(of target: String) {
        let fd = open(folder(of: target), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}
