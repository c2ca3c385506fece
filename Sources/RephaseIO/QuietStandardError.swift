import Foundation

/// Runs `body` with file descriptor 2 pointed at /dev/null: decoders inside libsndfile
/// (mpg123's "Note: Illegal Audio-MPEG-Header ...") write to stderr on malformed input, and
/// the tool promises exactly one line there per failure, its own.
func withQuietStandardError<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
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
