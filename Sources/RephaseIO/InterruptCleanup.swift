import Foundation

/// Removes the temporary file OutputFile is writing when SIGINT, SIGTERM or SIGHUP (the
/// terminal closing) arrives, then lets the signal end the process as it would have. The
/// handler only calls async-signal-safe functions (unlink, signal, raise) on a C string made
/// before the signal can need it.
enum InterruptCleanup {
    nonisolated(unsafe) static var pending: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) static var installed = false

    static func install() {
        guard !installed else { return }
        installed = true
        _ = pending  // initialise the global before a handler can read it
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig) { sig in
                if let path = InterruptCleanup.pending { unlink(path) }
                signal(sig, SIG_DFL)
                raise(sig)
            }
        }
    }

    static func remember(_ path: String) {
        pending = strdup(path)
    }

    static func forget() {
        let path = pending
        pending = nil
        free(path)
    }
}
