import ArgumentParser
import RephaseIO

/// `rephase analyze`: the STFT magnitudes `invert` accepts, as a float32 .npy (frames, 257).
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Write the STFT magnitudes of an audio file as a float32 .npy array of shape (frames, 257).")

    @Argument(help: "Audio file (any format libsndfile reads); other rates are resampled to 16 kHz.")
    var input: String

    @Option(name: .shortAndLong, help: "Output .npy file.")
    var output: String

    func run() throws {
        guard output.lowercased().hasSuffix(".npy") else { throw UserError("the output of analyze must end in .npy, got '\(output)'") }
        try Inversion.checkWritable(output)
        let audio = try readAudio(input)
        let magnitudes = ProjectSTFT.forward(audio.samples16k).magnitudes
        do {
            try NpyMatrix(rows: magnitudes.frames, columns: magnitudes.bins, values: magnitudes.values).write(to: output)
        } catch {
            throw UserError(error.description)
        }
        note("wrote \(output) (\(magnitudes.frames) frames x \(magnitudes.bins) bins)")
    }
}
