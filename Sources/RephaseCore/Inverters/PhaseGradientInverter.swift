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
    var rows = Rows()

    /// The per-frame working rows. They live in a struct of their own because Swift cannot
    /// prove that spans of two stored properties of a type with a generic type parameter do
    /// not overlap; inout stored properties passed to a static function it can.
    struct Rows {
        var magnitudes = InlineArray<K, Float>(repeating: 0)
        var timeDerivative = InlineArray<K, Float>(repeating: 0)
        var frequencyDerivative = InlineArray<K, Float>(repeating: 0)
        var phasorRe = InlineArray<K, Float>(repeating: 0)
        var phasorIm = InlineArray<K, Float>(repeating: 0)
        var spectrum = InlineArray<N, Float>(repeating: 0)
    }

    public init(estimator: Estimator, integrator: LeastSquaresPhaseIntegrator<K> = .init()) {
        precondition(K == N / 2 + 1, "PhaseGradientInverter: K must be N/2 + 1")
        self.estimator = estimator
        self.integrator = integrator
    }

    public var latency: Int { N - H + estimator.lookahead * H }

    /// Bytes of this inverter's state that only live during one frame: the working rows and
    /// the integrator's scratch (the estimator's own scratch comes on top, if it has any).
    public static var scratchBytes: Int {
        MemoryLayout<Rows>.size + LeastSquaresPhaseIntegrator<K>.scratchBytes
    }

    public mutating func prepare() {
        synthesis.prepare()
    }

    public mutating func reset() {
        estimator.reset()
        integrator.reset()
        synthesis.reset()
    }

    public mutating func process(magnitudes newest: Span<Float>, output: inout MutableSpan<Float>) {
        precondition(newest.count == K && output.count == H, "PhaseGradientInverter: wrong frame size")
        Self.step(newest, &estimator, &integrator, &synthesis, &rows, &output)
    }

    static func step(
        _ newest: Span<Float>, _ estimator: inout Estimator, _ integrator: inout LeastSquaresPhaseIntegrator<K>,
        _ synthesis: inout STFTSynthesis<N, H>, _ rows: inout Rows, _ output: inout MutableSpan<Float>
    ) {
        guard estimateSpectrum(newest, &estimator, &integrator, &rows) else {
            OperationCounter.record(.synthesis, OperationMix(integer: 1, store: 1, branch: 1) * H)
            for i in 0..<H { output[i] = 0 }
            return
        }
        var packed = rows.spectrum.mutableSpan
        synthesis.synthesize(spectrum: &packed, output: &output)
    }

    /// Estimator and integrator for one frame: leaves the frame's magnitudes in
    /// `rows.magnitudes` and its packed spectrum a u in `rows.spectrum`, or returns false
    /// while the estimator's look-ahead fills. Shared with LookaheadRefinementInverter, which
    /// refines the spectrum instead of synthesising it at once.
    static func estimateSpectrum(
        _ newest: Span<Float>, _ estimator: inout Estimator, _ integrator: inout LeastSquaresPhaseIntegrator<K>,
        _ rows: inout Rows
    ) -> Bool {
        var mags = rows.magnitudes.mutableSpan
        var tpd = rows.timeDerivative.mutableSpan, fpd = rows.frequencyDerivative.mutableSpan
        guard estimator.push(
            magnitudes: newest, delayedMagnitudes: &mags, timeDerivative: &tpd, frequencyDerivative: &fpd)
        else { return false }
        var re = rows.phasorRe.mutableSpan, im = rows.phasorIm.mutableSpan
        integrator.integrate(
            magnitudes: rows.magnitudes.span, timeDerivative: rows.timeDerivative.span,
            frequencyDerivative: rows.frequencyDerivative.span, real: &re, imaginary: &im)
        var packed = rows.spectrum.mutableSpan
        let phasorRe = rows.phasorRe.span, phasorIm = rows.phasorIm.span
        packSpectrum(magnitudes: rows.magnitudes.span, into: &packed) { k in (phasorRe[k], phasorIm[k]) }
        return true
    }
}
