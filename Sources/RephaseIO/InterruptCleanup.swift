import Foundation

/// Removes the temporary files OutputFile is writing when SIGINT, SIGTERM or SIGHUP (the
/// terminal closing) arrives, then lets the signal end the process as it would have. Several
/// files may be in flight at once (a batch's worker threads), each in a slot of its own. The
/// handler only calls async-signal-safe functions (unlink, signal, raise) on C strings made
/// before the signal can need them: each slot is a fixed buffer, filled before it is marked
/// in use, and never freed.
enum InterruptCleanup {
    /// Files written at once; more (never with `rephase invert --jobs`, which is capped below
    /// this) are written without the cleanup.
    static let slots = 256
    static let pathCapacity = Int(PATH_MAX) + 1
    nonisolated(unsafe) static var paths: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) static var inUse: UnsafeMutablePointer<sig_atomic_t>?
    static let lock = NSLock()

    static func install() {
        lock.withLock {
            guard paths == nil else { return }
            paths = .allocate(capacity: slots * pathCapacity)
            let flags = UnsafeMutablePointer<sig_atomic_t>.allocate(capacity: slots)
            flags.initialize(repeating: 0, count: slots)
            inUse = flags
            for sig in [SIGINT, SIGTERM, SIGHUP] {
                signal(sig) { sig in
                    if let paths = InterruptCleanup.paths, let inUse = InterruptCleanup.inUse {
                        for slot in 0..<InterruptCleanup.slots where inUse[slot] != 0 {
                            unlink(paths + slot * InterruptCleanup.pathCapacity)
                        }
                    }
                    signal(sig, SIG_DFL)
                    raise(sig)
                }
            }
        }
    }

    /// Marks `path` for removal on a signal; returns its slot for `forget`, or nil when every
    /// slot is taken or the path is too long to hold.
    static func remember(_ path: String) -> Int? {
        let bytes = Array(path.utf8CString)
        return lock.withLock {
            guard let paths, let inUse, bytes.count <= pathCapacity,
                let slot = (0..<slots).first(where: { inUse[$0] == 0 })
            else { return nil }
            bytes.withUnsafeBufferPointer { (paths + slot * pathCapacity).update(from: $0.baseAddress!, count: bytes.count) }
            inUse[slot] = 1
            return slot
        }
    }

    static func forget(_ slot: Int?) {
        guard let slot else { return }
        lock.withLock { inUse?[slot] = 0 }
    }
}
