import RephaseCore
import RephaseReference
import Testing

/// The Q15 mel -> linear kernel, bit for bit against an independent integer model.
@Suite struct Q15MelToLinearTests {
    static let stage = MelToLinear(filterbank: MelFilterbank<257, 80>(), iterations: 0)
    static let kernel = Q15MelToLinear(stage)

    /// The documented arithmetic, written out with Int64 division: negative inputs as 0,
    /// (cf mf + cr mr + 2^15) / 2^16 floored (round half up), at most 32767.
    static func model(_ mel: [Int16]) -> [Int16] {
        (0..<257).map { k in
            let c = kernel.coefficients(bin: k)
            let sum = Int64(c.falling) * Int64(max(0, mel[c.fallingBand])) + Int64(c.rising) * Int64(max(0, mel[c.risingBand]))
            return Int16(min((sum + 32_768) / 65_536, 32_767))
        }
    }

    static func run(_ mel: [Int16]) -> [Int16] {
        var a = [Int16](repeating: 0, count: 257)
        var out = a.mutableSpan
        kernel.convert(mel: mel.span, into: &out)
        return a
    }

    @Test func bitExactOnRandomAndExtremeFrames() {
        var generator = SplitMix64(seed: 10)
        var frames: [[Int16]] = [
            [Int16](repeating: 0, count: 80), [Int16](repeating: .max, count: 80), [Int16](repeating: .min, count: 80),
            (0..<80).map { Int16($0 * 400) },
        ]
        for scale in [1, 64, 1024, 32_768] {
            for _ in 0..<200 { frames.append((0..<80).map { _ in Int16(truncatingIfNeeded: Int(generator.next() % UInt64(scale))) }) }
        }
        for _ in 0..<200 { frames.append((0..<80).map { _ in generator.nextInt16() }) }
        for mel in frames { #expect(Self.run(mel) == Self.model(mel)) }
    }

    /// Each coefficient is the float gain times 2^16 to within half an LSB (plus the float
    /// product's rounding).
    @Test func coefficientsAreRoundedGains() {
        for k in 0..<257 {
            let c = Self.kernel.coefficients(bin: k), g = Self.stage.gains(bin: k)
            #expect(abs(Double(c.falling) - Double(g.falling) * 65_536) <= 0.5 + 1e-6 * Double(c.falling))
            #expect(abs(Double(c.rising) - Double(g.rising) * 65_536) <= 0.5 + 1e-6 * Double(c.rising))
        }
    }

    /// On a speech frame scaled to fit, the Q15 output is within 1 LSB of the Float32
    /// pseudo-inverse of the same (quantised) mel values, plus the coefficients' rounding.
    @Test func closeToFloatPseudoInverse() {
        var stage = Self.stage
        for mel in MelToLinearTests.melFrames {
            var peak: Float = 0
            for m in mel { peak = max(peak, m) }
            guard peak > 0 else { continue }
            var q = [Int16](repeating: 0, count: 80), dequantised = [Float](repeating: 0, count: 80)
            for b in 0..<80 {
                q[b] = Q15.fromFloat(mel[b] / peak / 40)
                dequantised[b] = Q15.toFloat(q[b])
            }
            var a = [Float](repeating: 0, count: 257)
            var out = a.mutableSpan
            stage.convert(mel: dequantised.span, into: &out)
            let fixed = Self.run(q)
            for k in 0..<257 { #expect(abs(Q15.toFloat(fixed[k]) - a[k]) <= 1.01 / 32_768, "bin \(k)") }
        }
    }
}
