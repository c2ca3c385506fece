import Foundation

/// Serialises the process's use of stderr: the quiet sections below and every line the tool
/// writes (`writeStandardError`), so that threads decoding files at once neither lose each
/// other's lines nor leave stderr pointed at /dev/null (a quiet section restores the stderr it
/// found, which would be /dev/null if another one were open).
private let standardErrorLock = NSLock()

/// Writes `text` to stderr, never while a quiet section has it pointed at /dev/null.
public func writeStandardError(_ text: String) {
    standardErrorLock.withLock { FileHandle.standardError.write(Data(text.utf8)) }
}

/// Runs `body` with file descriptor 2 pointed at /dev/null: decoders inside libsndfile
/// (mpg123's "Note: Illegal Audio-MPEG-Header ...") write to stderr on malformed input, and
/// the tool promises exactly one line there per failure, its own. One section at a time.
func withQuietStandardError<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
    standardErrorLock.lock()
    defer { standardErrorLock.unlock() }
    fflush(nil)
    let saved = dup(STDERR_FILENO), null = open("/dev/null", O_WRONLY | O_CLOEXEC)
    if saved >= 0, null >= 0 { dup2(null, STDERR_FILENO) }
    if null >= 0 { close(null) }
    defer {
        fflush(nil)
        if saved >= 0 {
            dup2(saved, STDERR_FILENO)
            close(saved)
        }
    }
    return try body()
}
