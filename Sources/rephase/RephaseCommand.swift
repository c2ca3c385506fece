import ArgumentParser
import Foundation
import RephaseIO

/// `rephase`: rebuilds speech waveforms from STFT magnitudes, online and frame by frame.
@main
struct RephaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rephase",
        abstract: "Rebuild speech from STFT magnitudes (16 kHz, Hann 512, hop 128).",
        subcommands: [
            InvertCommand.self, AnalyzeCommand.self, StreamCommand.self, DemoCommand.self, SimCommand.self, VectorsCommand.self,
        ])

    /// Parses and runs like ArgumentParser's own `main`, but reports every failure as one line
    /// on stderr ("rephase: error: ...") with a non-zero exit, so scripts can read it.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            let message = fullMessage(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            let trimmed = message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message
            writeStandardError("rephase: error: \(trimmed)\n")
            Foundation.exit(code.rawValue == 0 ? 1 : code.rawValue)
        }
    }
}

/// A failure the user can act on; its text is the whole message.
struct UserError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Writes one line to stderr (notes such as "mixed 2 channels down to mono").
func note(_ line: String) {
    writeStandardError("rephase: \(line)\n")
}
