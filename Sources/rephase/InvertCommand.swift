import ArgumentParser
import Foundation
import RephaseIO
import RephaseOffline

/// `rephase invert`: analyse an audio file, drop its phase, rebuild it from magnitudes alone.
struct InvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invert",
        abstract: "Rebuild a waveform from the STFT magnitudes of INPUT (its phase is discarded).")

    @Argument(help: "Audio file (any format libsndfile reads; other rates are resampled), or a float32 .npy of STFT magnitudes, shape (frames, 257), as analyze writes.")
    var input: String

    @Option(name: .shortAndLong, help: "Output WAV file.")
    var output: String

    @Option(help: "Inversion method: \(InversionMethod.allCases.map(\.rawValue).joined(separator: ", ")) (default: the best online method, \(InversionMethod.bestOnline.rawValue)).")
    var method: InversionMethod = .bestOnline

    @Option(help: "Arithmetic of the core: f32, or f16 (Float16 weights; cnn, cnn-strided).")
    var format: ArithmeticFormat = .f32

    @Option(help: "Frames of look-ahead (pghi, rtpghi: 0 or 1; rtisi-la: 0...7, default 3; fixed for cnn (0) and cnn-strided (1)).")
    var lookahead: Int?

    @Option(help: "Iterations per frame (rtisi-la, default 5) or in total (fgla, default 32).")
    var iterations: Int?

    @Option(help: "Least-squares weight exponent p (pghi, cnn, cnn-strided; default 1.5).")
    var weightExponent: Float?

    @Option(help: "Least-squares frequency-coupling weight gamma (default 5 for pghi, 10 for cnn, 2 for cnn-strided).")
    var coupling: Float?

    @Option(help: "Output sample format: pcm16 or float.")
    var subtype: AudioSubtype = .pcm16

    @Flag(help: "Print one JSON object describing the run on stdout.")
    var json = false

    func run() throws {
        var settings = try InversionSettings(method: method, lookahead: lookahead, iterations: iterations, format: format)
        try settings.setWeights(exponent: weightExponent, coupling: coupling)
        let report = try Inversion.run(settings, inputPath: input, outputPath: output, subtype: subtype)
        if json {
            print(report.json)
        } else {
            note("wrote \(output) (\(report.summary))")
        }
    }
}

extension AudioSubtype: ExpressibleByArgument {}
