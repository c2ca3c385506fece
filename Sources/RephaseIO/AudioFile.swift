import CSndFile
import Foundation

/// Why an audio file could not be read; `description` is the one line the user sees.
public enum AudioFileError: Error, CustomStringConvertible, Equatable {
    case cannotOpen(path: String, reason: String)
    case empty(path: String)
    case truncated(path: String, expected: Int, got: Int)
    case tooLong(path: String, most: Int)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): return "cannot read audio file '\(path)': \(reason)"
        case .empty(let path): return "audio file '\(path)' holds no samples"
        case .truncated(let path, let expected, let got):
            return "audio file '\(path)' is truncated: its header promises \(expected) frames, it holds \(got)"
        case .cannotWrite(let path, let reason): return "cannot write audio file '\(path)': \(reason)"
        case .tooLong(let path, let most): return "audio file '\(path)' holds more than \(most) frames, the most rephase decodes"
        }
    }

    /// The reason alone, for errors nested in another's message.
    var reason: String {
        switch self {
        case .cannotOpen(_, let reason), .cannotWrite(_, let reason): return reason
        default: return description
        }
    }
}

/// A whole audio file in memory, mixed down to mono, as Float samples in [-1, 1].
public struct MonoAudio: Sendable {
    public var samples: [Float]
    public var sampleRate: Int
    /// Channels of the file before mixing down (1 for mono files).
    public var sourceChannels: Int

    /// The most frames decoded from one file (2^28, 1 GiB of Float; 4.6 hours at 16 kHz), so a
    /// small, highly compressed file cannot decode into unbounded memory.
    public static let mostSamples = 1 << 28

    public init(samples: [Float], sampleRate: Int, sourceChannels: Int = 1) {
        self.samples = samples
        self.sampleRate = sampleRate
        self.sourceChannels = sourceChannels
    }

    /// Reads any format libsndfile knows (WAV, FLAC, Ogg, ...) from `path`, or from standard
    /// input for "-", and averages the channels.
    public init(contentsOf path: String) throws(AudioFileError) {
        let bytes: [UInt8]
        do { bytes = try InputFile(path).readToEnd() } catch { throw .cannotOpen(path: path, reason: error.reason) }
        try self.init(bytes: bytes, path: path)
    }

    /// Decodes the bytes of an audio file (`path` only names it in errors). Frames are decoded
    /// block by block, so memory follows the data present, not the header's frame count; a
    /// WAV whose data chunk promises more frames than it holds is refused as truncated.
    public init(bytes: [UInt8], path: String) throws(AudioFileError) {
        self = try withQuietStandardError { () throws(AudioFileError) in try Self.decode(bytes, path: path) }
    }

    private static func decode(_ bytes: [UInt8], path: String) throws(AudioFileError) -> MonoAudio {
        let chunk = WavDataChunk(bytes)
        let stream = SndfileMemoryStream(bytes: chunk?.resolvingUnknownSize(of: bytes) ?? bytes)
        var info = SF_INFO()
        guard let file = stream.open(mode: Int32(SFM_READ), info: &info) else {
            // Decoding from memory, libsndfile's "not a regular file (possibly a pipe?)" only
            // means it found no format it could decode.
            let reason = String(cString: sf_strerror(nil))
            throw .cannotOpen(path: path, reason: reason.contains("pipe") ? "not an audio format libsndfile can decode" : reason)
        }
        defer { sf_close(file) }
        let channels = Int(info.channels)
        guard channels > 0, info.samplerate > 0 else { throw .cannotOpen(path: path, reason: "no channels or no sample rate") }
        let blockFrames = 4096
        var interleaved = [Float](repeating: 0, count: blockFrames * channels)
        var mono: [Float] = []
        let scale = 1 / Float(channels)
        while true {
            let got = Int(sf_readf_float(file, &interleaved, sf_count_t(blockFrames)))
            guard got > 0 else { break }
            guard mono.count + got <= Self.mostSamples else { throw .tooLong(path: path, most: Self.mostSamples) }
            for i in 0..<got {
                var sum: Float = 0
                for c in 0..<channels { sum += interleaved[i * channels + c] }
                mono.append(sum * scale)
            }
        }
        if let promised = chunk?.promisedFrames, mono.count < promised {
            throw .truncated(path: path, expected: promised, got: mono.count)
        }
        guard !mono.isEmpty else { throw .empty(path: path) }
        return MonoAudio(samples: mono, sampleRate: Int(info.samplerate), sourceChannels: channels)
    }

    /// The samples as the bytes of a mono WAV file, 32-bit float or 16-bit PCM, clipped.
    public func wavBytes(subtype: AudioSubtype) throws(AudioFileError) -> [UInt8] {
        let stream = SndfileMemoryStream()
        var info = SF_INFO()
        info.samplerate = Int32(sampleRate)
        info.channels = 1
        info.format = Int32(SF_FORMAT_WAV) | subtype.libsndfileFormat
        guard let file = stream.open(mode: Int32(SFM_WRITE), info: &info) else {
            throw .cannotWrite(path: "memory", reason: String(cString: sf_strerror(nil)))
        }
        // Out-of-range samples clip to full scale instead of wrapping around in 16-bit files.
        sf_command(file, Int32(SFC_SET_CLIPPING), nil, Int32(SF_TRUE))
        let complete = Int(sf_writef_float(file, samples, sf_count_t(samples.count))) == samples.count
        let writeError = complete ? nil : String(cString: sf_strerror(file))
        guard sf_close(file) == 0, complete else {
            throw .cannotWrite(path: "memory", reason: writeError ?? "cannot finish the file")
        }
        return stream.bytes
    }

    /// Writes the samples as a mono WAV file, 32-bit float by default (so an evaluation sees
    /// the samples unquantised) or 16-bit PCM, clipped, through OutputFile (never a partial
    /// or clobbered file).
    public func write(to path: String, subtype: AudioSubtype = .float) throws(AudioFileError) {
        let bytes: [UInt8]
        do { bytes = try wavBytes(subtype: subtype) } catch { throw .cannotWrite(path: path, reason: error.reason) }
        do { try OutputFile.write(bytes, to: path) } catch { throw .cannotWrite(path: path, reason: error.reason) }
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
