import Foundation
import Testing
import RephaseOffline
import RephaseReference

/// The whole-utterance STFT: its framing against a float64 STFT from the definition, and
/// perfect reconstruction over the whole signal, edges included.
@Suite struct WholeSignalSTFTTests {
    typealias STFT = WholeSignalSTFT<512, 128>

    @Test func inverseOfForwardIsTheSignalOverItsWholeLength() {
        let x = SpeechClip.samples
        // The clip as it is, and cut to a length that is not a whole number of hops.
        for length in [x.count, 128 * 40 + 37] {
            let signal = Array(x[0..<length])
            let y = STFT.inverse(STFT.forward(signal), length: length)
            #expect(y.count == length)
            let snr = snrDecibels(reference: signal.map(Double.init), estimate: y.map(Double.init))
            #expect(snr >= 100, "length \(length): \(snr) dB")
        }
    }

    /// Frame j starts at sample (j - 3) * 128: the first frame sees 384 samples of padding before
    /// the signal, the last one ends 384 samples after the (hop-padded) signal.
    @Test func framesStartThreeHopsBeforeTheSignal() {
        let n = 512, h = 128
        let x = Array(SpeechClip.samples[0..<(h * 20 + 50)])
        let spectrogram = STFT.forward(x)
        #expect(spectrogram.frames == 21 + 3 && spectrogram.bins == 257)
        #expect(STFT.frameCount(length: x.count) == spectrogram.frames)
        let hann = (0..<n).map { 0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(n)) }
        var got = [Double](), want = [Double]()
        for frame in [0, 1, 10, spectrogram.frames - 1] {
            let start = (frame - 3) * h
            let windowed = (0..<n).map { i -> Double in
                let s = start + i
                return s >= 0 && s < x.count ? hann[i] * Double(x[s]) : 0
            }
            let reference = ReferenceDFT.real(windowed)
            for k in 0...n / 2 {
                got += [Double(spectrogram.re[frame * 257 + k]), Double(spectrogram.im[frame * 257 + k])]
                want += [reference.re[k], reference.im[k]]
            }
        }
        let snr = snrDecibels(reference: want, estimate: got)
        #expect(snr >= 100, "\(snr) dB")
    }
}
