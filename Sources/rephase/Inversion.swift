import Foundation
import RephaseIO
import RephaseOffline

/// One whole inversion, from an input file to an output file, and what it measured.
struct Inversion {
    var settings: InversionSettings
    var frames: Int
    var audioSeconds: Double
    var computeSeconds: Double

    /// Reads `inputPath`, inverts it and writes `outputPath` (atomically: a partial file is
    /// never left behind). The output has the input's length. `progress`: a progress bar for
    /// inputs longer than 5 s (a batch draws its own over all files instead).
    static func run(
        _ settings: InversionSettings, inputPath: String, outputPath: String, subtype: AudioSubtype,
        mel: MelInversionSettings? = nil, layout: SpectrogramLayout = .auto, progress: Bool = true
    ) throws(UserError) -> Inversion {
        try checkOutputPath(outputPath, input: inputPath)
        let input = try InversionInput(path: inputPath, mel: mel?.input, layout: layout)
        let bar = ProgressBar(enabled: progress && Double(input.length) / Double(InversionInput.sampleRate) > 5)
        let start = DispatchTime.now().uptimeNanoseconds
        let samples = mel.map { $0.invert(input.magnitudes, with: settings, length: input.length, progress: bar.update) }
            ?? settings.invert(input.magnitudes, length: input.length, progress: bar.update)
        let computeSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        bar.finish()
        var output = try resample(samples, from: InversionInput.sampleRate, to: input.outputRate)
        output = Array(output.prefix(input.outputLength)) + [Float](repeating: 0, count: max(0, input.outputLength - output.count))
        let levels = mel?.input.decode(input.magnitudes) ?? input.magnitudes
        try SignalChecks.checkOutput(output, input: levels, method: settings.method.rawValue)
        do {
            try MonoAudio(samples: output, sampleRate: input.outputRate).write(to: outputPath, subtype: subtype)
        } catch {
            throw UserError(error.description)
        }
        return Inversion(
            settings: settings, frames: input.magnitudes.frames,
            audioSeconds: Double(input.length) / Double(InversionInput.sampleRate), computeSeconds: computeSeconds)
    }

    /// Fails early, before any work, when the output cannot be written or is the input itself.
    static func checkOutputPath(_ path: String, input: String) throws(UserError) {
        do { try OutputFile.checkTarget(path, notOverwriting: [input]) } catch { throw UserError(error.description) }
    }

    /// Audio seconds per second of inversion compute.
    var realtimeFactor: Double { computeSeconds > 0 ? audioSeconds / computeSeconds : .infinity }

    var summary: String {
        String(
            format: "%@, %d frames, %.2f s of audio in %.3f s, %.0fx real time",
            settings.method.rawValue, frames, audioSeconds, computeSeconds, realtimeFactor)
    }

    /// The keys other tools parse (the Tools/eval scripts read `invert --json`): method,
    /// format, frames, audio_seconds, compute_seconds, realtime_factor; plus lookahead,
    /// iterations and latency_samples.
    var json: String {
        let fields: [(String, String)] = [
            ("method", jsonString(settings.method.rawValue)),
            ("format", jsonString(settings.format.rawValue)),
            ("frames", "\(frames)"),
            ("audio_seconds", "\(audioSeconds)"),
            ("compute_seconds", "\(computeSeconds)"),
            ("realtime_factor", "\(realtimeFactor)"),
            ("lookahead", "\(settings.lookahead)"),
            ("iterations", "\(settings.iterations)"),
            ("latency_samples", "\(settings.latencySamples)"),
        ]
        return "{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
    }
}

/// `text` as a JSON string literal: quotes, backslashes and control characters escaped.
func jsonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
