import RephaseCore
import RephaseIO
import RephaseOffline

/// What `invert` works from: magnitudes in the project's framing (or, with --mel, a mel
/// spectrogram), the number of 16 kHz samples they describe, and the rate and length the
/// output should have.
struct InversionInput {
    /// K = 257 bins per frame, or B mel bands when read with `mel`.
    var magnitudes: MagnitudeSpectrogram
    /// Samples at 16 kHz that the magnitudes describe.
    var length: Int
    /// Rate and length of the original audio (the output is converted back to them).
    var outputRate: Int
    var outputLength: Int

    /// The project's sample rate; every method and the STFT are built for it.
    static let sampleRate = 16_000

    /// Reads a spectrogram (.npy, laid out as `layout` says) or an audio file, by the file
    /// name's extension; with `mel`, the .npy holds a mel spectrogram in its encoding, or the
    /// audio file's is computed and encoded (as `analyze` writes it).
    init(path: String, mel: MelInput? = nil, layout: SpectrogramLayout = .auto) throws(UserError) {
        if path.lowercased().hasSuffix(".npy") {
            try self.init(spectrogramFile: path, mel: mel, layout: layout)
        } else {
            try self.init(audioFile: path)
            if let mel { magnitudes = mel.encode(magnitudes) }
        }
    }

    /// Reads an audio file and analyses it with the project STFT (its phase is discarded).
    /// Multichannel audio is mixed down and other rates resampled to 16 kHz, each with a note.
    init(audioFile path: String) throws(UserError) {
        let audio = try readAudio(path)
        magnitudes = ProductWholeSignalSTFT.forward(audio.samples16k).magnitudes
        length = audio.samples16k.count
        outputRate = audio.rate
        outputLength = audio.length
    }

    /// Reads STFT magnitudes from a .npy array of (frames, 257) or (257, frames), or a mel
    /// spectrogram of (frames, BANDS) or (BANDS, frames); they must be finite and in range
    /// (non-negative magnitudes, or values `mel`'s encoding can hold).
    init(spectrogramFile path: String, mel: MelInput? = nil, layout: SpectrogramLayout = .auto) throws(UserError) {
        var matrix: NpyMatrix
        do { matrix = try NpyMatrix(contentsOf: path) } catch { throw UserError(error.description) }
        let fewest = ProductWholeSignalSTFT.frameCount(length: 1)
        let bins = ProductWholeSignalSTFT.bins
        if let mel {
            matrix = try layout.frames(of: matrix, values: mel.bands.count, kind: "mel bands", path: path)
        } else {
            // Its bands are the columns as analyze writes them, else the rows if they can be.
            let bands = [matrix.columns, matrix.rows].first { (1...MelOptions.mostBands).contains($0) }
            let hint = bands.map { " (a mel spectrogram needs --mel \($0))" } ?? ""
            matrix = try layout.frames(of: matrix, values: bins, kind: "bins", path: path, hint: hint)
        }
        guard matrix.rows >= fewest else {
            throw UserError("'\(path)' has \(matrix.rows) frames; at least \(fewest) are needed")
        }
        if let mel {
            try mel.check(matrix.values, of: path)
        } else {
            try SignalChecks.checkMagnitudes(matrix.values, bins: bins, of: path)
        }
        magnitudes = MagnitudeSpectrogram(frames: matrix.rows, bins: matrix.columns, values: matrix.values)
        // The longest signal whose STFT has this many frames (the frames cover whole hops).
        length = (matrix.rows - fewest + 1) * ProductSTFT.hop
        outputRate = Self.sampleRate
        outputLength = length
    }
}

/// Mono audio ready for the 16 kHz pipeline, with the rate and length it came in at.
struct LoadedAudio {
    var samples16k: [Float]
    var rate: Int
    var length: Int
}

/// Reads, checks, mixes down and resamples an audio file, saying what it did on stderr.
func readAudio(_ path: String) throws(UserError) -> LoadedAudio {
    let audio: MonoAudio
    do { audio = try MonoAudio(contentsOf: path) } catch { throw UserError(error.description) }
    try SignalChecks.checkSamples(audio.samples, of: path)
    try SignalChecks.checkRate(audio.sampleRate, of: path)
    if audio.sourceChannels > 1 { note("mixed \(audio.sourceChannels) channels of '\(path)' down to mono") }
    var samples = audio.samples
    if audio.sampleRate != InversionInput.sampleRate {
        note("resampled '\(path)' from \(audio.sampleRate) Hz to \(InversionInput.sampleRate) Hz (and the output back)")
        samples = try resample(samples, from: audio.sampleRate, to: InversionInput.sampleRate)
    }
    return LoadedAudio(samples16k: samples, rate: audio.sampleRate, length: audio.samples.count)
}

func resample(_ samples: [Float], from: Int, to: Int) throws(UserError) -> [Float] {
    do { return try Resampler.resample(samples, from: from, to: to) } catch { throw UserError(error.description) }
}
