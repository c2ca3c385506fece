import Foundation
import Testing
import RephaseCore
import RephaseReference

/// Q15 streaming STFT: analysis -> synthesis round trips on real speech, quiet speech,
/// full-scale noise and a full-scale sine, and the analysis against the Float32 `STFTAnalysis`
/// of the same samples. Each bound leaves a margin under the SNR measured (in its comment).
///
/// The target is >= 70 dB on speech; measured are 72.5 dB (N = 512) and 70.4 dB
/// (N = 1024). The Q15 FFTs set that limit, not the STFT (see `Q15FFT` for their SNR).
@Suite struct Q15STFTTests {
    /// Streams `signal` (a whole number of hops) through analysis and synthesis; returns the
    /// output, same length.
    static func roundTrip<let N: Int, let H: Int>(
        _ signal: [Int16], analysis: inout Q15STFTAnalysis<N, H>, synthesis: inout Q15STFTSynthesis<N, H>
    ) -> [Int16] {
        precondition(signal.count % H == 0)
        var out = [Int16](repeating: 0, count: signal.count)
        var spectrum = [Int16](repeating: 0, count: N)
        var hop = [Int16](repeating: 0, count: H)
        for start in stride(from: 0, to: signal.count, by: H) {
            var spec = spectrum.mutableSpan
            let e = analysis.analyze(hop: signal[start..<start + H].span, spectrum: &spec)
            var o = hop.mutableSpan
            synthesis.synthesize(spectrum: &spec, exponent: e, output: &o)
            out.replaceSubrange(start..<start + H, with: hop)
        }
        return out
    }

    /// Round-trip SNR of `signal` for one configuration, output against the delayed input.
    static func roundTripSNR<let N: Int, let H: Int>(
        _ signal: [Int16], _: Q15STFTAnalysis<N, H>.Type
    ) -> Double {
        var analysis = Q15STFTAnalysis<N, H>(), synthesis = Q15STFTSynthesis<N, H>()
        let y = roundTrip(signal, analysis: &analysis, synthesis: &synthesis)
        return FloatSTFTTests.delayedSNR(
            input: signal.map(Float.init), output: y.map(Float.init),
            latency: Q15STFTSynthesis<N, H>.latency)
    }

    /// The bundled speech as Q15, round(x * 32767 * gain), cut to a whole number of 256-sample
    /// hops (so every configuration here fills the whole output).
    static func speech(gain: Float = 1) -> [Int16] {
        let x = SpeechFixture.audio.samples
        return x[0..<(x.count / 256) * 256].map { Int16(($0 * 32767 * gain).rounded()) }
    }

    /// Measured 72.5 dB (N = 512, H = 128) and 70.4 dB (N = 1024, H = 256).
    @Test func roundTripOfSpeech() {
        #expect(Q15STFTSynthesis<512, 128>.latency == 384)
        let x = Self.speech()
        let snr512 = Self.roundTripSNR(x, Q15STFTAnalysis<512, 128>.self)
        #expect(snr512 >= 70, "N=512 H=128: \(snr512) dB")
        let snr1024 = Self.roundTripSNR(x, Q15STFTAnalysis<1024, 256>.self)
        #expect(snr1024 >= 69, "N=1024 H=256: \(snr1024) dB")
    }

    /// Speech 40 dB down: the analysis normalises each frame, so quiet input keeps its bits.
    /// Measured: bit-exact (infinite SNR), every error stays under half an output LSB.
    @Test func roundTripOfQuietSpeech() {
        let snr = Self.roundTripSNR(Self.speech(gain: 0.01), Q15STFTAnalysis<512, 128>.self)
        #expect(snr >= 90, "\(snr) dB")
    }

    /// Full-scale input, -32768 included, must not wrap around anywhere (one wrapped sample
    /// would cost far more than these bounds). Measured 77.3 dB (noise) and 78.0 dB (sine).
    @Test func roundTripOfFullScaleNoiseAndSine() {
        var rng = SplitMix64(seed: 15)
        let noise = (0..<16384).map { _ in Int16(truncatingIfNeeded: rng.next()) }
        let noiseSNR = Self.roundTripSNR(noise, Q15STFTAnalysis<512, 128>.self)
        #expect(noiseSNR >= 74, "noise: \(noiseSNR) dB")
        let sine = (0..<16384).map { Int16((32767 * sin(0.0123 * Double($0))).rounded()) }
        let sineSNR = Self.roundTripSNR(sine, Q15STFTAnalysis<512, 128>.self)
        #expect(sineSNR >= 74, "sine: \(sineSNR) dB")
    }

    /// Every frame's spectrum, read as stored * 2^(e - 15), against the Float32 STFT of x / 32768.
    /// Measured 66.8 dB.
    @Test func analysisMatchesFloatSTFT() {
        let n = 512, h = 128
        let x = Self.speech()
        var q15 = Q15STFTAnalysis<512, 128>(), float = STFTAnalysis<512, 128>()
        var spectrum = [Int16](repeating: 0, count: n), floatSpectrum = [Float](repeating: 0, count: n)
        var got = [Double](), want = [Double]()
        for b in 0..<(x.count / h) {
            let hop = Array(x[b * h..<(b + 1) * h]), floatHop = hop.map { Float($0) / 32768 }
            var spec = spectrum.mutableSpan, floatSpec = floatSpectrum.mutableSpan
            let e = q15.analyze(hop: hop.span, spectrum: &spec)
            float.analyze(hop: floatHop.span, spectrum: &floatSpec)
            got += spectrum.map { Double($0) * pow(2, Double(e - 15)) }
            want += floatSpectrum.map(Double.init)
        }
        let snr = snrDecibels(reference: want, estimate: got)
        #expect(snr >= 64, "\(snr) dB")
    }

    /// After loud input and reset(), silence must give an all-zero spectrum and output.
    @Test func resetForgetsHistory() {
        var analysis = Q15STFTAnalysis<64, 16>(), synthesis = Q15STFTSynthesis<64, 16>()
        var spectrum = [Int16](repeating: 0, count: 64), output = [Int16](repeating: 0, count: 16)
        func step(_ samples: [Int16]) {
            var spec = spectrum.mutableSpan, out = output.mutableSpan
            let e = analysis.analyze(hop: samples.span, spectrum: &spec)
            synthesis.synthesize(spectrum: &spec, exponent: e, output: &out)
        }
        step([Int16](repeating: 16384, count: 16))
        analysis.reset()
        synthesis.reset()
        step([Int16](repeating: 0, count: 16))
        #expect(spectrum.allSatisfy { $0 == 0 })
        #expect(output.allSatisfy { $0 == 0 })
    }
}
