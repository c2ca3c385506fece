/// The online phase-gradient inverter: an estimator of phase derivatives (PGHI, or a network)
/// followed by the least-squares integrator and overlap-add synthesis.
///
/// Per frame: the estimator yields derivatives for frame t - L (L its look-ahead), the
/// integrator turns them into phasors u, the spectrum a u is packed (real parts at DC and
/// Nyquist, which a real signal has real) and synthesised into H samples. While the
/// estimator's look-ahead fills, the output is silence. Latency: N - H + L H samples.
/// All state is inline (the estimator's, the integrator's, the synthesis' and six rows).
public struct PhaseGradientInverter<let N: Int, let H: Int, let K: Int, Estimator: PhaseDerivativeEstimator>: MagnitudeInverter {
    public var estimator: Estimator
    public var integrator: LeastSquaresPhaseIntegrator<K>
    var synthesis = STFTSynthesis<N, H>()
    var magnitudes: InlineArray<K, Float>
    var timeDerivative: InlineArray<K, Float>
    var frequencyDerivative: InlineArray<K, Float>
    var phasorRe: InlineArray<K, Float>
    var phasorIm: InlineArray<K, Float>
    var spectrum: InlineArray<N, Float>

    public init(estimator: Estimator, integrator: LeastSquaresPhaseIntegrator<K> = .init()) {
        precondition(K == N / 2 + 1, "PhaseGradientInverter: K must be N/2 + 1")
        self.estimator = estimator
        self.integrator = integrator
        magnitudes = .init(repeating: 0)
        timeDerivative = .init(repeating: 0)
        frequencyDerivative = .init(repeating: 0)
        phasorRe = .init(repeating: 0)
        phasorIm = .init(repeating: 0)
        spectrum = .init(repeating: 0)
    }

    public var latency: Int { N - H + estimator.lookahead * H }

    public mutating func reset() {
        estimator.reset()
        integrator.reset()
        synthesis.reset()
    }

    public mutating func process(magnitudes newest: Span<Float>, output: inout MutableSpan<Float>) {
        precondition(newest.count == K && output.count == H, "PhaseGradientInverter: wrong frame size")
        var mags = magnitudes.mutableSpan, tpd = timeDerivative.mutableSpan, fpd = frequencyDerivative.mutableSpan
        guard estimator.push(
            magnitudes: newest, delayedMagnitudes: &mags, timeDerivative: &tpd, frequencyDerivative: &fpd)
        else {
            for i in 0..<H { output[i] = 0 }
            return
        }
        var re = phasorRe.mutableSpan, im = phasorIm.mutableSpan
        integrator.integrate(
            magnitudes: magnitudes.span, timeDerivative: timeDerivative.span,
            frequencyDerivative: frequencyDerivative.span, real: &re, imaginary: &im)
        var packed = spectrum.mutableSpan
        packSpectrum(magnitudes: magnitudes.span, real: phasorRe.span, imaginary: phasorIm.span, into: &packed)
        synthesis.synthesize(spectrum: &packed, output: &output)
    }
}

/// Writes a_k u_k into FloatFFT's packed layout (N = 2 (K - 1) values); bins 0 and K - 1 keep
/// only their real part, as the spectrum of a real signal must.
func packSpectrum(magnitudes a: Span<Float>, real: Span<Float>, imaginary: Span<Float>, into packed: inout MutableSpan<Float>) {
    let k = a.count
    precondition(packed.count == 2 * (k - 1))
    packed[0] = a[0] * real[0]
    packed[1] = a[k - 1] * real[k - 1]
    for i in 1..<(k - 1) {
        packed[2 * i] = a[i] * real[i]
        packed[2 * i + 1] = a[i] * imaginary[i]
    }
}
