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
        let oracle = OracleSpectrogram(SpeechFixture.audio.samples)
        var rng = SplitMix64(seed: 42)
        var worst = Double.infinity
        for t in stride(from: 60, to: 260, by: 20) {
            let previous = oracle.magnitudes[t - 1], current = oracle.magnitudes[t]
            let phi = oracle.phases[t], phiPrev = oracle.phases[t - 1]
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
}
