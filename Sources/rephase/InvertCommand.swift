import ArgumentParser
import Foundation
import RephaseIO
import RephaseOffline

/// `rephase invert`: analyse an audio file, drop its phase, rebuild it from magnitudes alone;
/// several files at once into a folder (BatchInversion).
struct InvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invert",
        abstract: "Rebuild a waveform from the STFT magnitudes of INPUT (its phase is discarded).")

    @Argument(help: "Audio file (any format libsndfile reads; other rates are resampled), or a .npy of STFT magnitudes, shape (frames, 257) as analyze writes or (257, frames) as librosa does, or with --mel of a mel spectrogram, (frames, BANDS) or (BANDS, frames); float16, float32 or float64, C or Fortran order, leading dimensions of 1 allowed. Several inputs are inverted into the folder -o names.")
    var inputs: [String] = []

    @Option(name: .shortAndLong, help: "Output WAV file; with several inputs (or a name ending in '/' or an existing folder), the folder each input's NAME.wav is written to.")
    var output: String

    @Option(help: "Worker threads for several inputs, each with its own inverter (default: the number of cores).")
    var jobs: Int?

    @OptionGroup var methodOptions: MethodOptions

    @OptionGroup var melOptions: MelOptions

    @OptionGroup var melMethodOptions: MelMethodOptions

    @Option(help: "Which dimension of a .npy input holds the frames: auto (default: whichever its shape allows), frames-first or frames-last.")
    var layout: SpectrogramLayout = .auto

    @Option(help: "Output sample format: pcm16 or float.")
    var subtype: AudioSubtype = .pcm16

    @Flag(help: "Print one JSON object describing the run on stdout.")
    var json = false

    func run() throws {
        let settings = try methodOptions.settings()
        let mel = try MelInversionSettings.make(input: melOptions.input(), method: settings.method, options: melMethodOptions)
        guard let input = inputs.first else { throw UserError("give at least one INPUT") }
        if inputs.count > 1 || BatchInversion.namesFolder(output) {
            if json { throw UserError("--json describes one inversion; it applies to a single INPUT with -o FILE") }
            let batch = try BatchInversion(inputs: inputs, folder: output, jobs: jobs)
            return try batch.run(settings, subtype: subtype, mel: mel, layout: layout)
        }
        if jobs != nil { throw UserError("--jobs applies to several inputs (or -o FOLDER/)") }
        let report = try Inversion.run(settings, inputPath: input, outputPath: output, subtype: subtype, mel: mel, layout: layout)
        if json {
            print(report.json)
        } else {
            note("wrote \(output) (\(report.summary))")
        }
    }
}

extension AudioSubtype: ExpressibleByArgument {}
