import CALSA
import CALSAQuiet
import Glibc

/// A mono 16-bit ALSA PCM, for playback or capture at a fixed rate, transferring one period
/// (one STFT hop) at a time. Blocking I/O: playback waits for room, capture for data, so the
/// device's clock paces the stream.
public final class ALSADevice {
    public enum Direction: Sendable { case playback, capture }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    let handle: OpaquePointer
    public let name: String
    public let direction: Direction
    /// Over- or underruns seen so far (each one is recovered from and counted).
    public private(set) var xruns = 0
    private var buffer: [Int16]

    /// Opens `name` (e.g. "default", "hw:0,0", "null") with `period` frames per transfer and
    /// `periods` of them in the device buffer.
    public init(name: String, direction: Direction, rate: Int, period: Int, periods: Int = 4) throws(Failure) {
        rephase_alsa_silence_library_errors()
        var pcm: OpaquePointer?
        let stream = direction == .playback ? SND_PCM_STREAM_PLAYBACK : SND_PCM_STREAM_CAPTURE
        var status = snd_pcm_open(&pcm, name, stream, 0)
        guard status >= 0, let pcm else {
            throw Failure(description: "cannot open ALSA device '\(name)': \(String(cString: snd_strerror(status)))")
        }
        status = snd_pcm_set_params(
            pcm, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 1, UInt32(rate), 1,
            UInt32(1_000_000 * period * periods / rate))
        guard status >= 0 else {
            snd_pcm_close(pcm)
            throw Failure(description: "ALSA device '\(name)' does not take mono 16-bit audio at \(rate) Hz: \(String(cString: snd_strerror(status)))")
        }
        handle = pcm
        self.name = name
        self.direction = direction
        buffer = [Int16](repeating: 0, count: period)
    }

    deinit {
        if direction == .playback { snd_pcm_drain(handle) }
        snd_pcm_close(handle)
    }

    /// Plays `samples` (full scale +-1, clipped), blocking until the device took them all.
    public func write(_ samples: [Float]) throws(Failure) {
        if buffer.count != samples.count { buffer = [Int16](repeating: 0, count: samples.count) }
        for i in samples.indices {
            buffer[i] = Int16((max(-1, min(1, samples[i])) * 32767).rounded())
        }
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBufferPointer { b in
                snd_pcm_writei(handle, b.baseAddress! + offset, snd_pcm_uframes_t(b.count - offset))
            }
            if written < 0 {
                try recover(Int32(written))
            } else {
                offset += Int(written)
            }
        }
    }

    /// Records `count` samples (full scale +-1), blocking until they arrived.
    public func read(count: Int) throws(Failure) -> [Float] {
        if buffer.count != count { buffer = [Int16](repeating: 0, count: count) }
        var offset = 0
        while offset < count {
            let got = buffer.withUnsafeMutableBufferPointer { b in
                snd_pcm_readi(handle, b.baseAddress! + offset, snd_pcm_uframes_t(count - offset))
            }
            if got < 0 {
                try recover(Int32(got))
            } else {
                offset += Int(got)
            }
        }
        return buffer.map { Float($0) / 32768 }
    }

    /// An xrun (-EPIPE) or a suspend is counted and recovered; anything else is an error.
    private func recover(_ error: Int32) throws(Failure) {
        if error == -EPIPE { xruns += 1 }
        guard snd_pcm_recover(handle, error, 1) >= 0 else {
            throw Failure(description: "ALSA device '\(name)' failed: \(String(cString: snd_strerror(error)))")
        }
    }
}
