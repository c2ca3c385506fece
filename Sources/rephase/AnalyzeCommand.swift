import ArgumentParser
import RephaseIO
import RephaseOffline

/// `rephase analyze`: the STFT magnitudes `invert` accepts, as a float32 .npy (frames, 257),
/// or with --mel its mel spectrogram (frames, BANDS) in the encoding the mel options name;
/// `--layout frames-last` writes the transpose.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Write the STFT magnitudes (or --mel BANDS: mel spectrogram) of an audio file as a float32 .npy array of shape (frames, 257 or BANDS).")

    @Argument(help: "Audio file (any format libsndfile reads); other rates are resampled to 16 kHz.")
    var input: String

    @Option(name: .shortAndLong, help: "Output .npy file.")
    var output: String

    @OptionGroup var melOptions: MelOptions

    @Option(help: "Which dimension holds the frames: frames-first (default) or frames-last.")
    var layout: SpectrogramLayout = .framesFirst

    func run() throws {
        guard output.lowercased().hasSuffix(".npy") else { throw UserError("the output of analyze must end in .npy, got '\(output)'") }
        let mel = try melOptions.input()
        guard layout != .auto else { throw UserError("analyze writes --layout frames-first or frames-last, not auto") }
        try Inversion.checkOutputPath(output, input: input)
        let audio = try readAudio(input)
        var magnitudes = ProductWholeSignalSTFT.forward(audio.samples16k).magnitudes
        if let mel { magnitudes = mel.encode(magnitudes) }
        do {
            try layout.written(NpyMatrix(rows: magnitudes.frames, columns: magnitudes.bins, values: magnitudes.values)).write(to: output)
        } catch {
            throw UserError(error.description)
        }
        let values = mel.map { $0.encoding.isLinear ? "mel bands" : "mel bands, \($0.options)" } ?? "bins"
        note("wrote \(output) (\(magnitudes.frames) frames x \(magnitudes.bins) \(values)\(layout == .framesLast ? ", frames last" : ""))")
    }
}
