/// The phase-gradient inverter for fixed-point front ends: a Q15PhaseDerivativeEstimator
/// (Q15CNNEstimator) in integer arithmetic, the least-squares integrator in Float32 (a
/// Cortex-M4F's single-cycle FPU runs it; IntegerTridiagonalSolver is the solver for cores
/// without one), and Q15 synthesis (Q15 inverse FFT and overlap-add, Q15STFTSynthesis).
///
/// Per frame, for the estimator's delayed frame (mantissas m_k, exponent e):
/// - the integrator gets Float(m_k) (its weights are normalised by the frame's peak, so the
///   exponent does not matter) and the binary-angle derivatives, and returns unit phasors u;
/// - the packed Int16 spectrum is a_k u_k in Q15 integers (packQ15Spectrum; its file gives the
///   formats), each phasor component rounded to nearest in units of 1/32767 so that 1.0 fits
///   (a uniform gain of -0.00027 dB), and Q15STFTSynthesis takes it with exponent e + 32.
/// Output: Int16 samples (Q15, saturated) delayed by N - H + L H.
public struct Q15PhaseGradientInverter<let N: Int, let H: Int, let K: Int, Estimator: Q15PhaseDerivativeEstimator>: Q15MagnitudeInverter {
    public var estimator: Estimator
    public var integrator: LeastSquaresPhaseIntegrator<K>
    var synthesis = Q15STFTSynthesis<N, H>()
    var rows = Rows()

    /// The per-frame working rows (kept apart for the reason PhaseGradientInverter.Rows gives).
    struct Rows {
        var delayedMantissas = InlineArray<K, UInt32>(repeating: 0)
        var magnitudes = InlineArray<K, Float>(repeating: 0)
        var timeDerivative = InlineArray<K, BinaryAngle>(repeating: .zero)
        var frequencyDerivative = InlineArray<K, BinaryAngle>(repeating: .zero)
        var phasorRe = InlineArray<K, Float>(repeating: 0)
        var phasorIm = InlineArray<K, Float>(repeating: 0)
        var spectrum = InlineArray<N, Int16>(repeating: 0)
    }

    /// Bytes of per-frame scratch: the working rows and the integrator's scratch rows.
    public static var scratchBytes: Int {
        MemoryLayout<Rows>.size + LeastSquaresPhaseIntegrator<K>.scratchBytes
    }

    public init(estimator: Estimator, integrator: LeastSquaresPhaseIntegrator<K> = .init()) {
        precondition(K == N / 2 + 1, "Q15PhaseGradientInverter: K must be N/2 + 1")
        self.estimator = estimator
        self.integrator = integrator
    }

    public var latency: Int { N - H + estimator.lookahead * H }

    public mutating func prepare() {
        synthesis.prepare()
    }

    public mutating func reset() {
        estimator.reset()
        integrator.reset()
        synthesis.reset()
    }

    public mutating func process(magnitudes newest: Span<Float>, output: inout MutableSpan<Float>) {
        precondition(newest.count == K && output.count == H, "Q15PhaseGradientInverter: wrong frame size")
        Q15FloatFrame<K, H>.process(newest, &output) { Self.step($0, $1, &estimator, &integrator, &synthesis, &rows, &$2) }
    }

    /// The fixed-point interface: one frame of mantissas (K) and its exponent in, H Q15
    /// samples out.
    public mutating func process(mantissas: Span<UInt32>, exponent: Int, output: inout MutableSpan<Int16>) {
        precondition(mantissas.count == K && output.count == H, "Q15PhaseGradientInverter: wrong frame size")
        Self.step(mantissas, exponent, &estimator, &integrator, &synthesis, &rows, &output)
    }

    static func step(
        _ mantissas: Span<UInt32>, _ exponent: Int, _ estimator: inout Estimator, _ integrator: inout LeastSquaresPhaseIntegrator<K>,
        _ synthesis: inout Q15STFTSynthesis<N, H>, _ rows: inout Rows, _ output: inout MutableSpan<Int16>
    ) {
        var delayed = rows.delayedMantissas.mutableSpan
        var delayedExponent = 0
        var tpd = rows.timeDerivative.mutableSpan, fpd = rows.frequencyDerivative.mutableSpan
        guard estimator.push(
            mantissas: mantissas, exponent: exponent, delayedMantissas: &delayed, delayedExponent: &delayedExponent,
            timeDerivative: &tpd, frequencyDerivative: &fpd)
        else {
            for i in 0..<H { output[i] = 0 }
            return
        }
        for k in 0..<K { rows.magnitudes[k] = Float(rows.delayedMantissas[k]) }
        OperationCounter.record(.integrator, OperationMix(integer: 3, load: 1, store: 1, branch: 1, floatAdd: 2) * K)
        var re = rows.phasorRe.mutableSpan, im = rows.phasorIm.mutableSpan
        integrator.integrate(
            magnitudes: rows.magnitudes.span, timeDerivative: rows.timeDerivative.span,
            frequencyDerivative: rows.frequencyDerivative.span, real: &re, imaginary: &im)
        var packed = rows.spectrum.mutableSpan
        packQ15Spectrum(mantissas: rows.delayedMantissas.span, real: rows.phasorRe.span, imaginary: rows.phasorIm.span, into: &packed)
        synthesis.synthesize(spectrum: &packed, exponent: delayedExponent + 32, output: &output)
    }
}
