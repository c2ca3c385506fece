import RephaseCore
import RephaseIO
import RephaseReference
import Testing

/// The filterbank against librosa.filters.mel (Tools/gen_mel_fixture.py wrote the fixtures).
@Suite struct MelFilterbankTests {
    static func librosa(_ name: String) throws -> NpyMatrix {
        try NpyMatrix(contentsOf: BundledExample.fixture("mel/" + name))
    }

    /// Largest |ours - librosa| over the whole B x K matrix.
    static func largestDifference<let B: Int>(_ bank: MelFilterbank<257, B>, _ expected: NpyMatrix) -> Float {
        #expect(expected.rows == B && expected.columns == 257)
        var worst: Float = 0
        for b in 0..<B {
            for k in 0..<257 { worst = max(worst, abs(bank.weight(band: b, bin: k) - expected.values[b * 257 + k])) }
        }
        return worst
    }

    @Test func slaneyDefaultMatchesLibrosa() throws {
        let worst = Self.largestDifference(MelFilterbank<257, 80>(), try Self.librosa("librosa-mel-80-slaney.npy"))
        #expect(worst <= 1e-6, "max difference \(worst)")
    }

    @Test func htkWithFrequencyRangeMatchesLibrosa() throws {
        let bank = MelFilterbank<257, 40>(scale: .htk, minimumFrequency: 60, maximumFrequency: 7600)
        let worst = Self.largestDifference(bank, try Self.librosa("librosa-mel-40-htk-60-7600.npy"))
        #expect(worst <= 1e-6, "max difference \(worst)")
    }

    /// The scales' inverse pairs and librosa's anchor values (hz_to_mel(1000) = 15 Slaney mels).
    @Test(arguments: [MelScale.slaney, .htk]) func scaleRoundTrip(scale: MelScale) {
        for f: Float in [0, 60, 440, 999, 1000, 1001, 3000, 7600, 8000] {
            let back = scale.hertz(mel: scale.mel(hertz: f))
            #expect(abs(back - f) <= 2e-6 * max(f, 1), "\(scale) \(f) -> \(back)")
        }
        #expect(abs(MelScale.slaney.mel(hertz: 1000) - 15) < 1e-6)
        #expect(abs(MelScale.htk.mel(hertz: 700) - 2595 * 0.301_029_995_7) < 1e-3)
    }

    /// F a by the sparse kernel against the dense product in float64, on speech magnitudes.
    @Test func applyMatchesDenseProduct() {
        let bank = MelFilterbank<257, 80>()
        let spectrogram = OracleSpectrogram(SpeechFixture.audio.samples)
        var mel = [Float](repeating: 0, count: 80)
        for t in stride(from: 0, to: spectrogram.magnitudes.count, by: 37) {
            let a = spectrogram.floatMagnitudes(t)
            var out = mel.mutableSpan
            bank.apply(a.span, to: &out)
            for b in 0..<80 {
                var exact = 0.0, scale = 0.0
                for k in 0..<257 {
                    exact += Double(bank.weight(band: b, bin: k)) * Double(a[k])
                    scale += abs(Double(bank.weight(band: b, bin: k)) * Double(a[k]))
                }
                #expect(abs(Double(mel[b]) - exact) <= 1e-6 * scale + 1e-12, "frame \(t) band \(b)")
            }
        }
    }
}
