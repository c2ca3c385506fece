import Foundation
import Testing
@testable import RephaseCore
import RephaseReference

/// SPSI in Float32 and Q15: the phase rule against a reference written apart from it (peaks
/// found first, lobes from explicit boundaries, previous phases read from a copy), bit for bit
/// in Q15 and within a stated tolerance of float64 in Float32; then both inverters on a
/// sinusoid and on the bundled speech clip.
@Suite struct SPSIInverterTests {
    static let speech = Array(SpeechFixture.audio.samples)
    static let frames = OracleSpectrogram(speech).floatFrames
    static let k = 257
    /// H / N of a turn in binary-angle units (H / N = 1/4).
    static let binAdvance: Int64 = 1 << 30

    /// The reference's lobes: for each peak (m[k-1] < m[k] >= m[k+1], mirrored at the edges),
    /// the bins from where the magnitudes stop rising towards it on the left to where they
    /// stop falling on the right, in rising order of peaks.
    static func lobes<M: Comparable>(_ m: [M]) -> [(peak: Int, lo: Int, hi: Int)] {
        let n = m.count
        func at(_ j: Int) -> M { m[j < 0 ? -j : j >= n ? 2 * (n - 1) - j : j] }
        return (0..<n).filter { at($0 - 1) < m[$0] && at($0 + 1) <= m[$0] }.map { p in
            var lo = p, hi = p
            while lo > 0 && m[lo - 1] < m[lo] { lo -= 1 }
            while hi < n - 1 && m[hi + 1] <= m[hi] { hi += 1 }
            return (p, lo, hi)
        }
    }

    /// One frame of the rule in turns (float64): each lobe takes its peak's previous phase
    /// advanced by (k + p) H / N, p from the parabola through the log-magnitudes (a silent
    /// neighbour counted as 1e-30 of the peak), plus a half turn per bin of distance.
    static func referenceTurns(_ m: [Double], previous: [Double]) -> [Double] {
        var phase = previous
        let n = m.count
        for (peak, lo, hi) in lobes(m) {
            let l = m[peak == 0 ? 1 : peak - 1], c = m[peak], r = m[peak == n - 1 ? n - 2 : peak + 1]
            let dl = -log(max(l / c, 1e-30)), dr = -log(max(r / c, 1e-30))
            let p = dl + dr > 0 ? 0.5 * (dl - dr) / (dl + dr) : 0
            let centre = previous[peak] + (Double(peak) + p) / 4
            for j in lo...hi { phase[j] = centre + 0.5 * Double(abs(j - peak)) }
        }
        return phase
    }

    /// One frame of the Q15 rule in plain 64-bit integers (binary-angle units, wrapped), from
    /// FixedLog.log2 (tested on its own against float64).
    static func referenceQ15(_ m: [UInt32], previous: [UInt32]) -> [UInt32] {
        var phase = previous
        let n = m.count
        for (peak, lo, hi) in lobes(m) {
            let l = m[peak == 0 ? 1 : peak - 1], c = m[peak], r = m[peak == n - 1 ? n - 2 : peak + 1]
            var dl = Int64(FixedLog.log2(c)) - Int64(FixedLog.log2(l)), dr = Int64(FixedLog.log2(c)) - Int64(FixedLog.log2(r))
            while max(dl, dr) >= 65536 { (dl, dr) = (dl / 2, dr / 2) }
            let p15 = dl + dr == 0 ? 0 : (dl - dr) * 16384 / (dl + dr)
            let product = p15 * binAdvance
            let offset = product >= 0 ? product / 32768 : -((-product + 32767) / 32768)
            let centre = Int64(previous[peak]) + Int64(peak) * binAdvance + offset
            for j in lo...hi { phase[j] = UInt32(truncatingIfNeeded: centre + Int64(abs(j - peak)) << 31) }
        }
        return phase
    }

    /// Random frames with ties and plateaus (values from a small set) and with the full
    /// 32-bit range (the Q15 shift).
    static func randomMantissas(_ rng: inout SplitMix64, frame: Int) -> [UInt32] {
        (0..<k).map { _ in
            switch frame % 3 {
            case 0: UInt32(rng.next() % 5)
            case 1: UInt32(truncatingIfNeeded: rng.next())
            default: UInt32(rng.next() % 40_000)
            }
        }
    }

    @Test func q15PhasesMatchTheReferenceBitForBit() {
        var rng = SplitMix64(seed: 17)
        var inverter = Q15SPSIInverter<512, 128, 257>()
        var out = [Int16](repeating: 0, count: 128)
        for frame in 0..<60 {
            let m = Self.randomMantissas(&rng, frame: frame)
            let previous = (0..<Self.k).map { inverter.phases.phase[$0].raw }
            var o = out.mutableSpan
            inverter.process(mantissas: m.span, exponent: -20, output: &o)
            let phases = (0..<Self.k).map { inverter.phases.phase[$0].raw }
            #expect(phases == Self.referenceQ15(m, previous: previous), "frame \(frame)")
        }
    }

    /// Float32 against float64, one frame at a time from the same previous phases: within 2^10
    /// binary-angle units (2.4e-7 turn; measured 355). The offset p (H/N) 2^32 <= 2^29 carries
    /// the rounding of each neighbour-to-peak ratio (2^-24, an absolute error of its log) and
    /// FloatMath.log's 1.5e-7 relative error, divided by the drops' sum: small for a flat peak.
    @Test func floatPhasesMatchFloat64() {
        var rng = SplitMix64(seed: 23)
        var inverter = SPSIInverter<512, 128, 257>()
        var out = [Float](repeating: 0, count: 128)
        var worst: Int64 = 0
        for frame in 0..<60 {
            let m = Self.randomMantissas(&rng, frame: frame).map { MagnitudeRange.bounded(Float($0)) }
            let previous = (0..<Self.k).map { Double(inverter.phases.phase[$0].raw) / 4_294_967_296 }
            var o = out.mutableSpan
            inverter.process(magnitudes: m.span, output: &o)
            let expected = Self.referenceTurns(m.map(Double.init), previous: previous)
            for j in 0..<Self.k {
                let e = UInt32(truncatingIfNeeded: Int64((expected[j] - expected[j].rounded(.down)) * 4_294_967_296))
                worst = max(worst, abs(Int64(Int32(bitPattern: inverter.phases.phase[j].raw &- e))))
            }
        }
        #expect(worst <= 1024, "worst \(worst) units")
    }

    /// A stationary sinusoid between bins: after its first frames, SPSI's phases are a
    /// sinusoid's up to the parabola's bias in frequency (a Hann lobe is not exactly a parabola
    /// in log-magnitude), so the reconstruction is close to consistent. Measured: -30.1 dB in
    /// both formats.
    @Test func sinusoidIsReconstructed() {
        let x = (0..<16_000).map { Float(0.5 * cos(2 * Double.pi * 1_003.7 * Double($0) / 16_000 + 0.4)) }
        let frames = OracleSpectrogram(x).floatFrames
        var float = SPSIInverter<512, 128, 257>(), fixed = Q15SPSIInverter<512, 128, 257>()
        let f = spectralConvergence(reference: x, estimate: invert(&float, frames: frames, length: x.count))
        let q = spectralConvergence(reference: x, estimate: invert(&fixed, frames: frames, length: x.count))
        #expect(f <= -27 && q <= -27, "Float32 \(f) dB, Q15 \(q) dB")
    }

    /// A regression bound on the bundled clip (dev-split quality: docs/RESULTS.md), and the Q15
    /// inverter within 0.5 dB of the Float32 one. Measured: Float32 -22.2 dB.
    @Test func spectralConvergenceOnSpeech() {
        var float = SPSIInverter<512, 128, 257>(), fixed = Q15SPSIInverter<512, 128, 257>()
        #expect(float.latency == 384 && fixed.latency == 384)
        let f = spectralConvergence(reference: Self.speech, estimate: invert(&float, frames: Self.frames, length: Self.speech.count))
        let q = spectralConvergence(reference: Self.speech, estimate: invert(&fixed, frames: Self.frames, length: Self.speech.count))
        #expect(f <= -20, "Float32 \(f) dB")
        #expect(abs(q - f) <= 0.5, "Q15 \(q) dB, Float32 \(f) dB")
    }

    /// The fixed-point interface (mantissas in, Int16 out) is what the Float interface runs.
    @Test func fixedPointInterfaceIsTheFloatOne() {
        expectFloatInterfaceIsTheFixedPointOne(Q15SPSIInverter<512, 128, 257>(), frames: Self.frames[0..<80])
    }

    @Test func resetRestartsIdentically() {
        let frames = Array(Self.frames[0..<60])
        var float = SPSIInverter<512, 128, 257>(), fixed = Q15SPSIInverter<512, 128, 257>()
        let f = streamOutput(&float, frames: frames), q = streamOutput(&fixed, frames: frames)
        float.reset()
        fixed.reset()
        #expect(streamOutput(&float, frames: frames) == f)
        #expect(streamOutput(&fixed, frames: frames) == q)
    }

    /// Any Float bit pattern gives finite output (MagnitudeRange): the hostile frames sound
    /// (their saturated peaks), and once N / H silent frames have followed, the overlap-add
    /// holds nothing and the output is silent again, in both formats.
    @Test func hostileFramesGiveFiniteOutput() {
        let hostile: [Float] = (0..<257).map { [Float.nan, .infinity, -1, 0, 1e30, .leastNonzeroMagnitude, 3][$0 % 7] }
        let frames = [hostile, hostile] + Array(repeating: [Float](repeating: 0, count: 257), count: 4)
        var float = SPSIInverter<512, 128, 257>(), fixed = Q15SPSIInverter<512, 128, 257>()
        let f = streamOutput(&float, frames: frames), q = streamOutput(&fixed, frames: frames)
        #expect(f.allSatisfy(\.isFinite) && f.contains { $0 != 0 } && q.contains { $0 != 0 })
        #expect(f.suffix(128).allSatisfy { $0 == 0 } && q.suffix(128).allSatisfy { $0 == 0 })
    }
}
