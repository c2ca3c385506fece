import RephaseIO
import RephaseOffline

/// What `invert` works from: magnitudes in the project's framing, and the length and rate of
/// the audio they describe.
struct InversionInput {
    var magnitudes: MagnitudeSpectrogram
    var length: Int
    var sampleRate: Int

    /// The project's sample rate; every method and the STFT are built for it.
    static let sampleRate = 16_000

    /// Reads an audio file and analyses it with the project STFT (its phase is discarded).
    /// Multichannel audio is mixed down, with a note on stderr.
    init(audioFile path: String) throws(UserError) {
        let audio: MonoAudio
        do { audio = try MonoAudio(contentsOf: path) } catch { throw UserError(error.description) }
        guard audio.sampleRate == Self.sampleRate else {
            throw UserError("'\(path)' is sampled at \(audio.sampleRate) Hz; rephase works at \(Self.sampleRate) Hz")
        }
        if audio.sourceChannels > 1 { note("mixed \(audio.sourceChannels) channels of '\(path)' down to mono") }
        guard audio.samples.allSatisfy(\.isFinite) else {
            throw UserError("'\(path)' holds NaN or infinite samples")
        }
        magnitudes = ProjectSTFT.forward(audio.samples).magnitudes
        length = audio.samples.count
        sampleRate = audio.sampleRate
    }
}
