import ArgumentParser
import Foundation
import RephaseIO
import RephaseOffline

/// `rephase invert`: analyse an audio file, drop its phase, rebuild it from magnitudes alone.
struct InvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invert",
        abstract: "Rebuild a waveform from the STFT magnitudes of INPUT (its phase is discarded).")

    @Argument(help: "Audio file (any format libsndfile reads; other rates are resampled), or a float32 .npy of STFT magnitudes, shape (frames, 257), or with --mel of a mel spectrogram, shape (frames, BANDS), as analyze writes.")
    var input: String

    @Option(name: .shortAndLong, help: "Output WAV file.")
    var output: String

    @OptionGroup var methodOptions: MethodOptions

    @OptionGroup var melOptions: MelOptions

    @OptionGroup var melMethodOptions: MelMethodOptions

    @Option(help: "Output sample format: pcm16 or float.")
    var subtype: AudioSubtype = .pcm16

    @Flag(help: "Print one JSON object describing the run on stdout.")
    var json = false

    func run() throws {
        let settings = try methodOptions.settings()
        let mel = try MelInversionSettings.make(bands: melOptions.bands(), method: settings.method, options: melMethodOptions)
        let report = try Inversion.run(settings, inputPath: input, outputPath: output, subtype: subtype, mel: mel)
        if json {
            print(report.json)
        } else {
            note("wrote \(output) (\(report.summary))")
        }
    }
}

extension AudioSubtype: ExpressibleByArgument {}
