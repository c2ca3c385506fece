import Foundation
import Testing
@testable import RephaseCore
import RephaseReference

/// The mel-consistency steps (MelConsistency in Float32, Q15MelConsistency in integers) against
/// the definition in float64, written here from the mel frame itself: dense F from the core's
/// filterbank and S steps of a <- a F^T(m / F a) / F^T 1 with the true m. The kernels recover m
/// from its pseudo-inverse through their tables, so this also checks the tables and the solve.
@Suite struct MelConsistencyTests {
    static let bank = MelFilterbank<257, 80>()
    /// Dense F[b][k] in float64.
    static let dense: [[Double]] = (0..<80).map { b in (0..<257).map { k in Double(bank.weight(band: b, bin: k)) } }

    /// The float64 definition: `steps` updates of `a` towards mel frame `m`. The bins no band
    /// covers (DC and Nyquist) take the nearest band's ratio.
    static func reference(_ a: [Double], mel m: [Double], steps: Int = MelConsistencyTables.steps) -> [Double] {
        var a = a
        let spread = (0..<257).map { k in (0..<80).reduce(0.0) { $0 + dense[$1][k] } }
        for _ in 0..<steps {
            let ratios = (0..<80).map { b -> Double in
                let v = (0..<257).reduce(0.0) { $0 + dense[b][$1] * a[$1] }
                return v > 0 ? m[b] / v : 0
            }
            a = (0..<257).map { k in
                spread[k] > 0
                    ? a[k] * (0..<80).reduce(0.0) { $0 + dense[$1][k] * ratios[$1] } / spread[k] : a[k] * ratios[k < 128 ? 0 : 79]
            }
        }
        return a
    }

    /// Mel frames of the bundled clip (CNNMelInputTests), their pseudo-inverses, and corrected
    /// frames standing in for a network's: each bin moved by up to e^1.5 either way.
    static var cases: [(mel: [Float], pseudoInverse: [Float], corrected: [Float])] {
        var random = SplitMix64(seed: 11)
        return zip(CNNMelInputTests.mels, CNNMelInputTests.pseudoInverse).map { mel, a0 in
            (mel, a0, a0.map { $0 * Float(Foundation.exp(random.uniform(-1.5, 1.5))) })
        }
    }

    /// Float32 against float64, relative to the frame's peak: measured 4.5e-6 at most.
    @Test func floatKernelFollowsTheDefinition() {
        var worst = 0.0
        for (t, c) in Self.cases.enumerated() {
            let expected = Self.reference(c.corrected.map(Double.init), mel: c.mel.map(Double.init))
            var a = c.corrected
            var span = a.mutableSpan
            MelConsistency.apply(&span, levels: MelConsistency.levels(of: c.pseudoInverse.span))
            let peak = expected.max()!
            guard peak > 0 else { continue }
            let error = zip(a, expected).map { abs(Double($0) - $1) }.max()! / peak
            worst = max(worst, error)
            #expect(error <= 1e-5, "frame \(t): error \(error) of the peak")
        }
        #expect(worst > 0)
    }

    /// The steps bring the mel frame of the corrected magnitudes back towards the given one
    /// (measured: the mel error falls to 0.28 of the corrected frames' at most).
    @Test func stepsRestoreTheMelFrame() {
        func melError(_ a: [Float], _ m: [Float]) -> Double {
            (0..<80).reduce(0.0) { sum, b in
                let v = (0..<257).reduce(0.0) { $0 + Self.dense[b][$1] * Double(a[$1]) }
                return sum + (v - Double(m[b])) * (v - Double(m[b]))
            }.squareRoot()
        }
        for (t, c) in Self.cases.enumerated() where c.mel.max()! > 0 {
            var a = c.corrected
            var span = a.mutableSpan
            MelConsistency.apply(&span, levels: MelConsistency.levels(of: c.pseudoInverse.span))
            #expect(melError(a, c.mel) < 0.5 * melError(c.corrected, c.mel), "frame \(t)")
        }
    }

    /// Silence stays silent, and hostile values stay within MagnitudeRange.
    @Test func floatKernelIsBounded() {
        let silent = [Float](repeating: 0, count: 257)
        var a = [Float](repeating: 1, count: 257)
        var span = a.mutableSpan
        MelConsistency.apply(&span, levels: MelConsistency.levels(of: silent.span))
        #expect(a == silent)
        let huge = [Float](repeating: MagnitudeRange.largest, count: 257)
        var b = [Float](repeating: 1e-30, count: 257)
        b[0] = 0
        var bSpan = b.mutableSpan
        MelConsistency.apply(&bSpan, levels: MelConsistency.levels(of: huge.span))
        #expect(b.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= MagnitudeRange.largest })
        #expect(b[0] == 0 && b[100] == MagnitudeRange.largest)
    }

    /// The Float tables against the core's filterbank (Float32; the generator used librosa's in
    /// float64), and the Q15 tables against the Float ones: each within its rounding.
    @Test func tablesMatchTheFilterbank() {
        let t = MelConsistencyTables.self
        let bandSums = Self.bank.bandSums
        for k in 0..<257 {
            let lo = Int(t.lowerBand[k])
            let f = (Self.dense[lo][k], Self.dense[lo + 1][k]), total = f.0 + f.1
            let expected = [
                f.0 / Double(bandSums[lo]), f.1 / Double(bandSums[lo + 1]),
                total > 0 ? f.0 / total : k < 128 ? 1 : 0, total > 0 ? f.1 / total : k < 128 ? 0 : 1,
            ]
            for i in 0..<4 {
                #expect(abs(Double(t.bins[4 * k + i]) - expected[i]) <= 1e-5, "bin \(k), entry \(i)")
                #expect(abs(Double(t.binsQ15[4 * k + i]) - Double(t.bins[4 * k + i]) * 32768) <= 0.51, "bin \(k), entry \(i)")
            }
        }
        for i in 0..<240 {
            #expect(abs(Double(t.bandsQ29[i]) - Double(t.bands[i]) * 0x1p29) <= 64, "band entry \(i)")
        }
    }

    /// The golden frames of Tools/cnn/mel_consistency.py (the mel networks' golden frames and
    /// hostile ones): pseudo-inverse, corrected and consistent frames, each an exponent and 257
    /// mantissas.
    static func goldenFrames() throws -> [(name: String, frames: [(exponent: Int, mantissas: [UInt32])])] {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        let path = parts.joined(separator: "/") + "/Fixtures/cnn-golden/q15-mel-consistency.txt"
        var result: [(name: String, frames: [(exponent: Int, mantissas: [UInt32])])] = []
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst() {
            if line.hasPrefix("# ") {
                result.append((String(line.dropFirst(2)), []))
            } else {
                let fields = line.split(separator: " ").map { Int64(String($0))! }
                result[result.count - 1].frames.append((Int(fields[0]), fields.dropFirst().map { UInt32($0) }))
            }
        }
        return result
    }

    static func q15Consistent(_ pseudo: (exponent: Int, mantissas: [UInt32]), _ corrected: (exponent: Int, mantissas: [UInt32]))
        -> (exponent: Int, mantissas: [UInt32])
    {
        let levels = Q15MelConsistency.levels(of: pseudo.mantissas.span, exponent: pseudo.exponent)
        var m = corrected.mantissas
        var span = m.mutableSpan
        let e = Q15MelConsistency.apply(&span, exponent: corrected.exponent, levels: levels)
        return (e, m)
    }

    /// Bit for bit: every frame's mantissas and exponent.
    @Test func q15KernelIsBitExact() throws {
        let golden = try Self.goldenFrames()
        #expect(golden.count == 26)
        for (name, frames) in golden {
            let got = Self.q15Consistent(frames[0], frames[1])
            #expect(got.exponent == frames[2].exponent && got.mantissas == frames[2].mantissas, "\(name)")
        }
    }

    /// Q15 against the Float32 kernel on the mel networks' golden frames, relative to the
    /// frame's peak: measured 1.5e-5.
    @Test func q15KernelFollowsTheFloatDefinition() throws {
        for (name, frames) in try Self.goldenFrames() where name.contains("mel80") {
            func values(_ f: (exponent: Int, mantissas: [UInt32])) -> [Float] {
                f.mantissas.map { BlockFloatingMagnitudes.value($0, exponent: f.exponent) }
            }
            let got = values(Self.q15Consistent(frames[0], frames[1]))
            var a = values(frames[1])
            var span = a.mutableSpan
            MelConsistency.apply(&span, levels: MelConsistency.levels(of: values(frames[0]).span))
            let peak = Double(a.max()!)
            let error = zip(got, a).map { abs(Double($0) - Double($1)) }.max()! / peak
            #expect(error <= 1e-4, "\(name): error \(error) of the peak")
        }
    }

    /// The shared exponent of the ratios makes the result independent of the level the
    /// correction left the frame at: a correction 2^40 louder or quieter than a golden frame's
    /// gives that frame's output, bit for bit.
    @Test func q15KernelIgnoresTheCorrectionsLevel() throws {
        let golden = try Self.goldenFrames()
        let base = golden[5].frames
        for shift in [40, -40] {
            let moved = (base[1].exponent + shift, base[1].mantissas)
            let got = Self.q15Consistent(base[0], moved)
            #expect(got.exponent == base[2].exponent && got.mantissas == base[2].mantissas, "shift \(shift)")
        }
    }
}
