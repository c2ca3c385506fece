import Foundation
import Testing
import RephaseCore
import RephaseReference

/// Float32 FFTs against the float64 DFT of RephaseReference. Bound: >= 120 dB SNR (the FFT's accuracy requirement),
/// i.e. error energy below 1e-12 of the signal energy, for every supported size.
@Suite struct FFTTests {
    static let realSizes = [4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048]
    static let complexSizes = [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048]

    /// Runs the packed real FFT on `x` and returns the SNR against the float64 DFT.
    static func realSNR(_ x: [Double]) -> Double {
        let n = x.count
        var data = x.map(Float.init)
        var span = data.mutableSpan
        FFT.real(&span)
        let ref = ReferenceDFT.real(x.map { Double(Float($0)) })
        var got = [Double](), want = [Double]()
        got += [Double(data[0]), 0, Double(data[1]), 0]
        want += [ref.re[0], ref.im[0], ref.re[n / 2], ref.im[n / 2]]
        for k in 1..<n / 2 {
            got += [Double(data[2 * k]), Double(data[2 * k + 1])]
            want += [ref.re[k], ref.im[k]]
        }
        return snrDecibels(reference: want, estimate: got)
    }

    @Test(arguments: realSizes)
    func realFFTOfWhiteNoise(n: Int) {
        var rng = SplitMix64(seed: UInt64(n))
        let snr = Self.realSNR((0..<n).map { _ in rng.signed() })
        #expect(snr >= 120, "n=\(n): \(snr) dB")
    }

    @Test(arguments: [256, 512, 1024, 2048])
    func realFFTOfSpeechFrame(n: Int) {
        let snr = Self.realSNR(SpeechFixture.loudestFrame(count: n))
        #expect(snr >= 120, "n=\(n): \(snr) dB")
    }

    @Test(arguments: complexSizes)
    func complexFFTBothDirections(n: Int) {
        var rng = SplitMix64(seed: 100 + UInt64(n))
        let re = (0..<n).map { _ in Double(Float(rng.signed())) }
        let im = (0..<n).map { _ in Double(Float(rng.signed())) }
        for inverse in [false, true] {
            var data = [Float](repeating: 0, count: 2 * n)
            for i in 0..<n { data[2 * i] = Float(re[i]); data[2 * i + 1] = Float(im[i]) }
            var span = data.mutableSpan
            FFT.complex(&span, inverse: inverse)
            let ref = ReferenceDFT.complex(re: re, im: im, inverse: inverse)
            var want = [Double]()
            for i in 0..<n { want += [ref.re[i], ref.im[i]] }
            let snr = snrDecibels(reference: want, estimate: data.map(Double.init))
            #expect(snr >= 120, "n=\(n) inverse=\(inverse): \(snr) dB")
        }
    }

    @Test(arguments: realSizes)
    func inverseRealRestoresSignal(n: Int) {
        var rng = SplitMix64(seed: 7 + UInt64(n))
        let x = (0..<n).map { _ in Float(rng.signed()) }
        var data = x
        var span = data.mutableSpan
        FFT.real(&span)
        FFT.inverseReal(&span)
        let snr = snrDecibels(reference: x.map(Double.init), estimate: data.map(Double.init))
        #expect(snr >= 120, "n=\(n): \(snr) dB")
    }

    /// The inverse alone against the float64 inverse DFT of a Hermitian spectrum.
    @Test(arguments: [16, 512, 2048])
    func inverseRealMatchesReferenceIDFT(n: Int) {
        var rng = SplitMix64(seed: 11 + UInt64(n))
        var packed = (0..<n).map { _ in Float(rng.signed()) }
        let reference = ReferenceDFT.inverseOfPacked(packed.map(Double.init))
        var span = packed.mutableSpan
        FFT.inverseReal(&span)
        let snr = snrDecibels(reference: reference, estimate: packed.map(Double.init))
        #expect(snr >= 120, "n=\(n): \(snr) dB")
    }
}
