import Foundation
import RephaseIO

/// A one-line progress bar on stderr, drawn only when asked for and stderr is a terminal
/// (so logs and pipes stay clean).
final class ProgressBar: Sendable {
    let enabled: Bool

    init(enabled: Bool) {
        self.enabled = enabled && isatty(STDERR_FILENO) == 1
    }

    func update(done: Int, total: Int) {
        guard enabled, total > 0 else { return }
        let width = 30, filled = width * done / total
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        writeStandardError("\r[\(bar)] \(100 * done / total)%")
    }

    func finish() {
        guard enabled else { return }
        writeStandardError("\r\u{1B}[2K")
    }
}
