import Foundation
import Testing
import RephaseCore
import RephaseReference

/// The core's Float32 integrator (substitution + tridiagonal LDL^T) against the float64 dense
/// solve of the untransformed problem in RephaseReference, on real speech frames with noisy
/// derivatives (so the least-squares compromise is actually exercised).
@Suite struct LeastSquaresPhaseIntegratorTests {
    /// Magnitude-weighted agreement of two phase sets, in dB:
    /// 10 log10(sum a^2 / sum a^2 |e^{j x} - e^{j y}|^2).
    static func agreement(_ a: [Double], _ x: [Double], _ y: [Double]) -> Double {
        var signal = 0.0, error = 0.0
        for k in a.indices {
            signal += a[k] * a[k]
            error += a[k] * a[k] * (pow(cos(x[k]) - cos(y[k]), 2) + pow(sin(x[k]) - sin(y[k]), 2))
        }
        return 10 * log10(signal / error)
    }

    /// Magnitudes and phases of frames t - 1 and t of the bundled clip's true STFT, for t every
    /// `step` frames from 60 to 259 (voiced speech).
    static func framePairs(every step: Int) -> [(previous: [Double], current: [Double], phiPrev: [Double], phi: [Double])] {
        let oracle = OracleSpectrogram(SpeechFixture.audio.samples)
        return stride(from: 60, to: 260, by: step).map { t in
            (oracle.magnitudes[t - 1], oracle.magnitudes[t], oracle.phases[t - 1], oracle.phases[t])
        }
    }

    /// Runs one frame through the integrator; returns its phases.
    static func integrate(
        _ integrator: inout LeastSquaresPhaseIntegrator<257>, _ magnitudes: [Double], tpd: [Double], fpd: [Double]
    ) -> [Double] {
        var re = [Float](repeating: 0, count: 257), im = re
        let a = magnitudes.map(Float.init), t = tpd.map(Float.init), f = fpd.map(Float.init)
        do {
            var reSpan = re.mutableSpan, imSpan = im.mutableSpan
            integrator.integrate(
                magnitudes: a.span, timeDerivative: t.span, frequencyDerivative: f.span,
                real: &reSpan, imaginary: &imSpan)
        }
        return (0..<257).map { atan2(Double(im[$0]), Double(re[$0])) }
    }

    @Test(arguments: [(2.5, 500.0), (1.0, 10.0), (4.0, 5000.0)])
    func matchesDenseFloat64Solve(exponent: Double, coupling: Double) {
        var rng = SplitMix64(seed: 42)
        var worst = Double.infinity
        for (previous, current, phiPrev, phi) in Self.framePairs(every: 20) {
            let noisyFPD = { (row: [Double], rng: inout SplitMix64) in
                (0..<257).map { k in k < 256 ? row[k + 1] - row[k] + 0.3 * rng.signed() : 0 }
            }
            let fpdPrev = noisyFPD(phiPrev, &rng), fpd = noisyFPD(phi, &rng)
            let tpd = (0..<257).map { phi[$0] - phiPrev[$0] + 0.3 * rng.signed() }

            var integrator = LeastSquaresPhaseIntegrator<257>(
                exponent: Float(exponent), coupling: Float(coupling), epsilon: 1e-6)
            // A first frame takes the frequency-direction integral of its fpd as its phases.
            let previousPhases = Self.integrate(
                &integrator, previous, tpd: [Double](repeating: 0, count: 257), fpd: fpdPrev)
            let core = Self.integrate(&integrator, current, tpd: tpd, fpd: fpd)
            let reference = ReferencePhaseLeastSquares.phases(
                magnitudes: current, previousMagnitudes: previous, previousPhases: previousPhases,
                timeDerivative: tpd, frequencyDerivative: fpd, exponent: exponent, coupling: coupling, epsilon: 1e-6)
            worst = min(worst, Self.agreement(current, core, reference))
        }
        #expect(worst >= 100, "\(worst) dB")  // measured 132.9 dB at worst
    }

    /// continueFrom(packedSpectrum:) replaces the previous frame's phasors: the next frame must
    /// then match the float64 solve with those phases as the previous ones. Random previous
    /// phases (real at DC and Nyquist: pi and 0, which a packed spectrum can hold), true
    /// derivatives. Measured agreement 128.6 dB at worst; bound 100 dB as above.
    @Test func continuesFromAGivenPackedSpectrum() {
        var rng = SplitMix64(seed: 7)
        var worst = Double.infinity
        for (previous, current, phiPrev, phi) in Self.framePairs(every: 40) {
            let tpd = (0..<257).map { phi[$0] - phiPrev[$0] }
            let fpd = (0..<257).map { k in k < 256 ? phi[k + 1] - phi[k] : 0 }
            var given = (0..<257).map { _ in rng.uniform(-Double.pi, Double.pi) }
            (given[0], given[256]) = (Double.pi, 0)
            var packed = [Float](repeating: 0, count: 512)
            packed[0] = -Float(previous[0])
            packed[1] = Float(previous[256])
            for k in 1..<256 {
                packed[2 * k] = Float(previous[k] * cos(given[k]))
                packed[2 * k + 1] = Float(previous[k] * sin(given[k]))
            }
            var integrator = LeastSquaresPhaseIntegrator<257>(exponent: 1.5, coupling: 10)
            _ = Self.integrate(&integrator, previous, tpd: tpd, fpd: fpd)
            integrator.continueFrom(packedSpectrum: packed.span)
            let core = Self.integrate(&integrator, current, tpd: tpd, fpd: fpd)
            // The phases the Float32 spectrum actually holds.
            let held = (1..<256).map { k in atan2(Double(packed[2 * k + 1]), Double(packed[2 * k])) }
            let previousPhases = [Double.pi] + held + [0]
            let reference = ReferencePhaseLeastSquares.phases(
                magnitudes: current, previousMagnitudes: previous, previousPhases: previousPhases,
                timeDerivative: tpd, frequencyDerivative: fpd, exponent: 1.5, coupling: 10, epsilon: 1e-6)
            worst = min(worst, Self.agreement(current, core, reference))
        }
        #expect(worst >= 100, "\(worst) dB")
    }
}
