import Foundation
import Testing
import RephaseCore
import RephaseReference

/// Float32 streaming STFT: analysis against a float64 STFT written from the definition, and
/// analysis -> synthesis round trips on real speech (required: >= 100 dB after the latency).
@Suite struct FloatSTFTTests {
    /// Streams `signal` through analysis and synthesis; returns the output (same length).
    static func roundTrip<let N: Int, let H: Int>(
        _ signal: [Float], analysis: inout STFTAnalysis<N, H>, synthesis: inout STFTSynthesis<N, H>
    ) -> [Float] {
        var out = [Float](repeating: 0, count: signal.count)
        var spectrum = [Float](repeating: 0, count: N)
        var hop = [Float](repeating: 0, count: H)
        var start = 0
        while start + H <= signal.count {
            var spec = spectrum.mutableSpan
            analysis.analyze(hop: signal[start..<start + H].span, spectrum: &spec)
            var o = hop.mutableSpan
            synthesis.synthesize(spectrum: &spec, output: &o)
            out.replaceSubrange(start..<start + H, with: hop)
            start += H
        }
        return out
    }

    /// SNR of `output` against `input` delayed by `latency`, over the samples both cover.
    static func delayedSNR(input: [Float], output: [Float], latency: Int) -> Double {
        let usable = (input.count / 128) * 128 - latency
        return snrDecibels(
            reference: input[0..<usable].map(Double.init),
            estimate: output[latency..<latency + usable].map(Double.init))
    }

    @Test func roundTripOfSpeechDefaultConfiguration() {
        var analysis = STFTAnalysis<512, 128>(), synthesis = STFTSynthesis<512, 128>()
        let x = SpeechFixture.audio.samples
        let y = Self.roundTrip(x, analysis: &analysis, synthesis: &synthesis)
        let snr = Self.delayedSNR(input: x, output: y, latency: STFTSynthesis<512, 128>.latency)
        #expect(STFTSynthesis<512, 128>.latency == 384)
        #expect(snr >= 100, "\(snr) dB")
    }

    @Test func roundTripOfSpeechOtherConfigurations() {
        let x = SpeechFixture.audio.samples
        var a1 = STFTAnalysis<1024, 256>(), s1 = STFTSynthesis<1024, 256>()
        let snr1 = Self.delayedSNR(
            input: x, output: Self.roundTrip(x, analysis: &a1, synthesis: &s1), latency: 768)
        #expect(snr1 >= 100, "N=1024 H=256: \(snr1) dB")
        var a2 = STFTAnalysis<256, 128>(), s2 = STFTSynthesis<256, 128>()
        let snr2 = Self.delayedSNR(
            input: x, output: Self.roundTrip(x, analysis: &a2, synthesis: &s2), latency: 128)
        #expect(snr2 >= 100, "N=256 H=128 (50 % overlap): \(snr2) dB")
    }

    /// Every analysed frame equals rfft(hann * frame) computed in float64, frame-start convention.
    @Test func analysisMatchesFloat64STFT() {
        let n = 512, h = 128
        let hann = (0..<n).map { 0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(n)) }
        let x = SpeechFixture.audio.samples
        var analysis = STFTAnalysis<512, 128>()
        var spectrum = [Float](repeating: 0, count: n)
        var got = [Double](), want = [Double]()
        // 40 hops from the middle of the clip; frame t starts at (b - 3) * h for hop b.
        let firstHop = 100
        for b in 0..<(firstHop + 40) {
            var spec = spectrum.mutableSpan
            analysis.analyze(hop: x[b * h..<(b + 1) * h].span, spectrum: &spec)
            guard b >= firstHop else { continue }
            let start = (b - 3) * h
            let frame = (0..<n).map { hann[$0] * Double(x[start + $0]) }
            let ref = ReferenceDFT.real(frame)
            got += [Double(spectrum[0]), Double(spectrum[1])]
            want += [ref.re[0], ref.re[n / 2]]
            for k in 1..<n / 2 {
                got += [Double(spectrum[2 * k]), Double(spectrum[2 * k + 1])]
                want += [ref.re[k], ref.im[k]]
            }
        }
        let snr = snrDecibels(reference: want, estimate: got)
        #expect(snr >= 110, "\(snr) dB")
    }

    @Test func resetForgetsHistory() {
        var analysis = STFTAnalysis<64, 16>()
        var spectrum = [Float](repeating: 0, count: 64)
        let loud = [Float](repeating: 0.5, count: 16), silent = [Float](repeating: 0, count: 16)
        var spec = spectrum.mutableSpan
        analysis.analyze(hop: loud.span, spectrum: &spec)
        analysis.reset()
        analysis.analyze(hop: silent.span, spectrum: &spec)
        #expect(spectrum.allSatisfy { $0 == 0 })
    }
}
