import RephaseCore
import RephaseReference
import Testing

/// The streaming mel -> linear stage against float64 models of the same computation.
@Suite struct MelToLinearTests {
    static let bank = MelFilterbank<257, 80>()

    /// Mel frames of the bundled clip (every 23rd frame, silence included).
    static let melFrames: [[Float]] = {
        let spectrogram = OracleSpectrogram(SpeechFixture.audio.samples)
        return stride(from: 0, to: spectrogram.magnitudes.count, by: 23).map { t in
            var mel = [Float](repeating: 0, count: 80)
            var out = mel.mutableSpan
            bank.apply(spectrogram.floatMagnitudes(t).span, to: &out)
            return mel
        }
    }()

    static func convert(_ mel: [Float], iterations: Int) -> [Float] {
        var stage = MelToLinear(filterbank: bank, iterations: iterations)
        var a = [Float](repeating: 0, count: 257)
        var out = a.mutableSpan
        stage.convert(mel: mel.span, into: &out)
        return a
    }

    /// The dense F in float64, F[b][k].
    static let dense: [[Double]] = (0..<80).map { b in (0..<257).map { k in Double(bank.weight(band: b, bin: k)) } }

    static func residualNorm(_ a: [Float], _ mel: [Float]) -> Double {
        var sum = 0.0
        for b in 0..<80 {
            var r = -Double(mel[b])
            for k in 0..<257 { r += dense[b][k] * Double(a[k]) }
            sum += r * r
        }
        return sum.squareRoot()
    }

    /// The pseudo-inverse gives a flat spectrum back exactly (bins in no band give 0).
    @Test func flatSpectrumComesBack() {
        let flat = [Float](repeating: 2.5, count: 257)
        var mel = [Float](repeating: 0, count: 80)
        var out = mel.mutableSpan
        Self.bank.apply(flat.span, to: &out)
        let a = Self.convert(mel, iterations: 0)
        for k in 0..<257 {
            let covered = (0..<80).contains { Self.dense[$0][k] > 0 }
            #expect(abs(a[k] - (covered ? 2.5 : 0)) <= 1e-5, "bin \(k): \(a[k])")
        }
    }

    /// Projected-gradient steps keep magnitudes non-negative and never increase the mel residual.
    @Test func stepsReduceTheResidual() {
        for mel in Self.melFrames where mel.contains(where: { $0 > 0 }) {
            var previous = Double.infinity
            for iterations in [0, 1, 2, 5, 20] {
                let a = Self.convert(mel, iterations: iterations)
                #expect(a.allSatisfy { $0 >= 0 })
                let r = Self.residualNorm(a, mel)
                #expect(r <= previous * (1 + 1e-5) + 1e-9, "\(iterations) steps: \(r) after \(previous)")
                previous = r
            }
        }
    }

    /// The Float32 stage against the same algorithm written out in float64 on the dense matrix
    /// (pseudo-inverse from band sums, step 1 / Gershgorin bound of F F^T, projected steps).
    @Test func matchesFloat64Model() {
        let f = Self.dense
        let bandSum = f.map { $0.reduce(0, +) }
        let columnSum = (0..<257).map { k in (0..<80).reduce(0.0) { $0 + f[$1][k] } }
        var bound = 0.0
        for b in 0..<80 {
            var row = 0.0
            for c in 0..<80 { row += abs((0..<257).reduce(0.0) { $0 + f[b][$1] * f[c][$1] }) }
            bound = max(bound, row)
        }
        for mel in Self.melFrames {
            var a = (0..<257).map { k in
                columnSum[k] > 0 ? (0..<80).reduce(0.0) { $0 + f[$1][k] * Double(mel[$1]) / bandSum[$1] } / columnSum[k] : 0
            }
            for _ in 0..<10 {
                let r = (0..<80).map { b in (0..<257).reduce(-Double(mel[b])) { $0 + f[b][$1] * a[$1] } }
                a = (0..<257).map { k in max(0, a[k] - (0..<80).reduce(0.0) { $0 + f[$1][k] * r[$1] } / bound) }
            }
            let ours = Self.convert(mel, iterations: 10)
            let scale = max(a.max() ?? 0, 1e-6)
            for k in 0..<257 { #expect(abs(Double(ours[k]) - a[k]) <= 1e-4 * scale, "bin \(k)") }
        }
    }
}
