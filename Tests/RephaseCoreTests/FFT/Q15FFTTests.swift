import Foundation
import Testing
@testable import RephaseCore
import RephaseReference

/// Q15 block-floating-point FFTs against the float64 DFT of the very same integer input, with the
/// output read as stored * 2^exponent. Bounds: >= 60 dB SNR at every size for speech and speech at
/// -40 dBFS (the target; CMSIS-DSP's Q15 FFTs reach 30-40 dB); full-scale white noise >= 70 dB
/// (>= 67 dB for the real round trip), a little under the smallest SNR measured (table in Q15FFT).
@Suite struct Q15FFTTests {
    static let realSizes = [4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048]
    static let complexSizes = [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048]

    /// Uniform over all of Int16, -32768 included.
    static func fullScaleNoise(_ count: Int, seed: UInt64) -> [Int16] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in Int16(truncatingIfNeeded: rng.next()) }
    }

    /// A speech frame in [-1, 1] as Q15 integers, round(x * 32767 * gain).
    static func speech(_ n: Int, gain: Double = 1) -> [Int16] {
        SpeechFixture.loudestFrame(count: n).map { Int16(($0 * 32767 * gain).rounded()) }
    }

    static func scaled(_ v: [Int16], exponent: Int) -> [Double] {
        v.map { Double($0) * pow(2, Double(exponent)) }
    }

    /// Packed real spectrum (n Int16 values) as the first n/2 + 1 complex bins, re and im.
    static func unpacked(_ packed: [Double]) -> [Double] {
        let n = packed.count
        var bins = [packed[0], 0, packed[1], 0]
        for k in 1..<n / 2 { bins += [packed[2 * k], packed[2 * k + 1]] }
        return bins
    }

    /// Runs `Q15FFT.real` on `x`; returns the SNR against the float64 DFT and the exponent.
    static func realSNR(_ x: [Int16]) -> (snr: Double, exponent: Int) {
        let n = x.count
        var data = x
        var span = data.mutableSpan
        let e = Q15FFT.real(&span)
        let ref = ReferenceDFT.real(x.map(Double.init))
        var want = [ref.re[0], ref.im[0], ref.re[n / 2], ref.im[n / 2]]
        for k in 1..<n / 2 { want += [ref.re[k], ref.im[k]] }
        return (snrDecibels(reference: want, estimate: unpacked(scaled(data, exponent: e))), e)
    }

    @Test(arguments: realSizes)
    func realFFTOfFullScaleWhiteNoise(n: Int) {
        let snr = Self.realSNR(Self.fullScaleNoise(n, seed: UInt64(n))).snr
        #expect(snr >= 70, "n=\(n): \(snr) dB")
    }

    /// The same frame at full level and at -40 dB: normalisation must keep the SNR.
    @Test(arguments: [256, 512, 1024, 2048])
    func realFFTOfSpeechFrame(n: Int) {
        for gain in [1, 0.01] {
            let snr = Self.realSNR(Self.speech(n, gain: gain)).snr
            #expect(snr >= 60, "n=\(n) gain=\(gain): \(snr) dB")
        }
    }

    @Test(arguments: complexSizes)
    func complexFFTBothDirections(n: Int) {
        let x = Self.fullScaleNoise(2 * n, seed: 100 + UInt64(n))
        let re = (0..<n).map { Double(x[2 * $0]) }, im = (0..<n).map { Double(x[2 * $0 + 1]) }
        for inverse in [false, true] {
            var data = x
            var span = data.mutableSpan
            let e = Q15FFT.complex(&span, inverse: inverse)
            let ref = ReferenceDFT.complex(re: re, im: im, inverse: inverse)
            var want = [Double]()
            for i in 0..<n { want += [ref.re[i], ref.im[i]] }
            let snr = snrDecibels(reference: want, estimate: Self.scaled(data, exponent: e))
            #expect(snr >= 70, "n=\(n) inverse=\(inverse): \(snr) dB")
        }
    }

    /// The inverse alone against the float64 inverse DFT (with 1/n) of a Hermitian spectrum.
    @Test(arguments: [16, 512, 2048])
    func inverseRealMatchesReferenceIDFT(n: Int) {
        var packed = Self.fullScaleNoise(n, seed: 11 + UInt64(n))
        let reference = ReferenceDFT.inverseOfPacked(packed.map(Double.init))
        var span = packed.mutableSpan
        let e = Q15FFT.inverseReal(&span)
        let snr = snrDecibels(reference: reference, estimate: Self.scaled(packed, exponent: e))
        #expect(snr >= 70, "n=\(n): \(snr) dB")
    }

    @Test(arguments: realSizes)
    func inverseRealRestoresSignal(n: Int) {
        let x = Self.fullScaleNoise(n, seed: 7 + UInt64(n))
        var data = x
        var span = data.mutableSpan
        let e = Q15FFT.real(&span) + Q15FFT.inverseReal(&span)
        let snr = snrDecibels(reference: x.map(Double.init), estimate: Self.scaled(data, exponent: e))
        #expect(snr >= 67, "n=\(n): \(snr) dB")
    }

    /// Extreme inputs: no step may overflow. A constant also has a known exponent: X0 = 32767 n
    /// gets e = log2 n + 1: the worst-case stage shifts, which allow for -32768, leave X0 stored
    /// at or just under 2^14 or 2^15, and the full-scale split never shifts it further.
    @Test(arguments: [4, 64, 2048])
    func extremeInputsDoNotOverflow(n: Int) {
        var impulse = [Int16](repeating: 0, count: n)
        impulse[1] = .min
        let constantExponent = n.trailingZeroBitCount + 1
        let cases: [(name: String, x: [Int16], exponent: Int?)] = [
            ("+32767", [Int16](repeating: .max, count: n), constantExponent),
            ("-32768", [Int16](repeating: .min, count: n), constantExponent),
            ("alternating", (0..<n).map { $0 % 2 == 0 ? .max : .min }, nil),
            ("impulse", impulse, nil),
        ]
        for c in cases {
            let (snr, e) = Self.realSNR(c.x)
            #expect(snr >= 60, "\(c.name) n=\(n): \(snr) dB")
            if let expected = c.exponent {
                #expect(e == expected, "\(c.name) n=\(n): exponent \(e)")
            }
        }
    }

    /// The optimised kernels (what the transforms run) against the plain ones, bit for bit and
    /// exponent for exponent: every size and direction, on full-scale noise (whose stages take
    /// every shift), quiet noise, speech and the extreme inputs. 2048 points exercise the
    /// twiddles near 1 and -+i that fall back to the plain butterfly.
    @Test(arguments: realSizes)
    func optimisedKernelsMatchPlain(n: Int) {
        var inputs = (0..<8).map { Self.fullScaleNoise(n, seed: UInt64($0)) }
        inputs += (0..<4).map { s in Self.fullScaleNoise(n, seed: 100 + UInt64(s)).map { $0 >> (3 * s + 2) } }
        inputs += [[Int16](repeating: .max, count: n), [Int16](repeating: .min, count: n),
                   (0..<n).map { $0 % 2 == 0 ? .max : .min }, [Int16](repeating: 0, count: n)]
        if n >= 256 { inputs.append(Self.speech(n)) }
        typealias Transform = (inout MutableSpan<Int16>, Q15FFTKernels) -> Int
        let transforms: [(String, Transform)] = [
            ("real", { Q15FFT.real(&$0, kernels: $1) }),
            ("inverseReal", { Q15FFT.inverseReal(&$0, kernels: $1) }),
            ("complex", { Q15FFT.complex(&$0, inverse: false, kernels: $1) }),
            ("complex inverse", { Q15FFT.complex(&$0, inverse: true, kernels: $1) }),
        ]
        for (name, transform) in transforms {
            for (i, x) in inputs.enumerated() {
                var plain = x, packed = x
                var p = plain.mutableSpan, q = packed.mutableSpan
                let e1 = transform(&p, .plain), e2 = transform(&q, .optimised)
                #expect(plain == packed && e1 == e2, "\(name) n=\(n) input \(i)")
            }
        }
    }

    /// The butterflies' per-lane range gives the largest v ^ (v >> 31) over every half of every
    /// word it was shown, extremes included, and -32768 for none.
    @Test func peakLanesFoldLikeEachOutput() {
        #expect(Q15FFTKernels.PeakLanes().folded == -32768)
        var rng = SplitMix64(seed: 11)
        let extremes: [UInt32] = [0x8000_8000, 0x7FFF_7FFF, 0, 0xFFFF_FFFF, 0x0000_8000, 0x8000_0000, 0x7FFF_0000]
        for trial in 0..<2_000 {
            var lanes = Q15FFTKernels.PeakLanes()
            var expected = Int32.min
            for j in 0..<(1 + trial % 9) {
                let word = j == 0 && trial < extremes.count ? extremes[trial] : rng.nextUInt32() >> (rng.nextUInt32() % 17)
                lanes.include(word)
                for half in [Int16(truncatingIfNeeded: word), Int16(truncatingIfNeeded: word >> 16)] {
                    expected = max(expected, Int32(half ^ (half >> 15)))
                }
            }
            #expect(lanes.folded == expected, "trial \(trial)")
        }
    }

    @Test func zerosStayZeros() {
        var data = [Int16](repeating: 0, count: 64)
        var span = data.mutableSpan
        _ = Q15FFT.real(&span)
        _ = Q15FFT.inverseReal(&span)
        #expect(data.allSatisfy { $0 == 0 })
    }

    /// The overflow bound in Q15Block assumes |cos| + |sin| <= 46342 for every twiddle, and the
    /// rescaled twiddles must hit 1 and -+i exactly (so the first two stages are exact).
    @Test func twiddleGainBoundsTheTwiddles() {
        #expect(Q15FFT.twiddle(0) == (cos: 32768, sin: 0))
        #expect(Q15FFT.twiddle(fftTableCircle / 4) == (cos: 0, sin: 32768))
        for i in 0..<fftTableCircle / 2 {
            let w = Q15FFT.twiddle(i)
            #expect(abs(Int(w.cos)) + abs(Int(w.sin)) + (1 << 15) <= Int(Q15Block.twiddleGain), "index \(i)")
        }
    }
}
