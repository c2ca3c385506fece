import CSndFile
import Foundation

/// Why an audio file could not be read; `description` is the one line the user sees.
public enum AudioFileError: Error, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case empty(path: String)
    case truncated(path: String, expected: Int, got: Int)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): return "cannot read audio file '\(path)': \(reason)"
        case .empty(let path): return "audio file '\(path)' holds no samples"
        case .truncated(let path, let expected, let got):
            return "audio file '\(path)' is truncated: \(got) of \(expected) frames readable"
        case .cannotWrite(let path, let reason): return "cannot write audio file '\(path)': \(reason)"
        }
    }
}

/// A whole audio file in memory, mixed down to mono, as Float samples in [-1, 1].
public struct MonoAudio: Sendable {
    public var samples: [Float]
    public var sampleRate: Int
    /// Channels of the file before mixing down (1 for mono files).
    public var sourceChannels: Int

    public init(samples: [Float], sampleRate: Int, sourceChannels: Int = 1) {
        self.samples = samples
        self.sampleRate = sampleRate
        self.sourceChannels = sourceChannels
    }

    /// Reads any format libsndfile knows (WAV, FLAC, Ogg, ...) and averages the channels.
    public init(contentsOf path: String) throws(AudioFileError) {
        var info = SF_INFO()
        guard let file = sf_open(path, Int32(SFM_READ), &info) else {
            throw .cannotOpen(path: path, reason: String(cString: sf_strerror(nil)))
        }
        defer { sf_close(file) }
        let frames = Int(info.frames), channels = Int(info.channels)
        guard frames > 0, channels > 0 else { throw .empty(path: path) }
        var interleaved = [Float](repeating: 0, count: frames * channels)
        let got = Int(sf_readf_float(file, &interleaved, sf_count_t(frames)))
        guard got == frames else { throw .truncated(path: path, expected: frames, got: got) }
        var mono = [Float](repeating: 0, count: frames)
        let scale = 1 / Float(channels)
        for i in 0..<frames {
            var sum: Float = 0
            for c in 0..<channels { sum += interleaved[i * channels + c] }
            mono[i] = sum * scale
        }
        self.init(samples: mono, sampleRate: Int(info.samplerate), sourceChannels: channels)
    }

    /// Writes the samples as a mono WAV file, 32-bit float by default (so an evaluation sees
    /// the samples unquantised) or 16-bit PCM, clipped. The data goes to a temporary file beside `path` that is renamed
    /// over it at the end, so a failed write never leaves a half-written file at `path`.
    public func write(to path: String, subtype: AudioSubtype = .float) throws(AudioFileError) {
        let partial = path + ".partial"
        var info = SF_INFO()
        info.samplerate = Int32(sampleRate)
        info.channels = 1
        info.format = Int32(SF_FORMAT_WAV) | subtype.libsndfileFormat
        guard let file = sf_open(partial, Int32(SFM_WRITE), &info) else {
            throw .cannotWrite(path: path, reason: String(cString: sf_strerror(nil)))
        }
        // Out-of-range samples clip to full scale instead of wrapping around in 16-bit files.
        sf_command(file, Int32(SFC_SET_CLIPPING), nil, Int32(SF_TRUE))
        let complete = Int(sf_writef_float(file, samples, sf_count_t(samples.count))) == samples.count
        let writeError = complete ? nil : String(cString: sf_strerror(file))
        guard sf_close(file) == 0, complete else {
            unlink(partial)
            throw .cannotWrite(path: path, reason: writeError ?? "cannot finish the file")
        }
        guard rename(partial, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(partial)
            throw .cannotWrite(path: path, reason: reason)
        }
    }
}

/// The sample format of a written WAV file.
public enum AudioSubtype: String, Sendable, CaseIterable {
    /// 16-bit PCM, clipped to full scale.
    case pcm16
    /// 32-bit IEEE float.
    case float

    var libsndfileFormat: Int32 {
        switch self {
        case .pcm16: return Int32(SF_FORMAT_PCM_16)
        case .float: return Int32(SF_FORMAT_FLOAT)
        }
    }
}
