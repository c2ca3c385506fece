/// The look-ahead mode of the phase-gradient inverter (`cnn-la`, docs/ALGORITHMS.md section 6):
/// each new frame starts from the phase the estimator and least-squares integrator give it
/// (PhaseGradientInverter's first stage), then the L + 1 newest frames are refined by
/// `iterations` Griffin-Lim passes with momentum (LookaheadBuffer) before the oldest is
/// output. RTISI-LA refines the same buffer but starts each frame from the partial reconstruction, which is far from the answer
/// for a frame that has no right neighbours yet; the CNN's phase is already close (dev split:
/// cnn alone 4.10 WB-PESQ, docs/RESULTS.md), so a few passes suffice.
///
/// The newest frames' segments are completed (LookaheadBuffer's `completesPartialOverlap`):
/// the frames the CNN starts from are nearly consistent, and projecting them against a faded
/// partial overlap-add would pull them away from it; completed, true phases are a fixed point.
/// Hence also the Hann window for the newest frame and passes oldest to newest, not RTISI-LA's
/// mirrored windows and newest-first passes (LookaheadBuffer's `zhuScheme`), which are made for
/// faded segments: with both, the dev split's WB-PESQ fell from 4.335 to 3.310.
///
/// After the passes, the integrator continues from the newest frame's refined phases
/// (LeastSquaresPhaseIntegrator.continueFrom) rather than from its own estimate, so the next
/// frame's time-direction term follows the refined phase. With 0 iterations this is the
/// phase-gradient inverter delayed by L frames.
///
/// Per call: one inverse FFT for the new frame's estimate, then iterations x (L + 1) forward
/// and inverse FFT pairs once the buffer is full, on top of the estimator and integrator.
/// Latency: N - H + (estimator look-ahead + L) H samples. Output: zeros until the estimator's
/// look-ahead and L more frames have arrived.
///
/// Memory (all inline): the estimator's state, the integrator's 10K Floats, six rows and the
/// buffer, Capacity (2 N + K) Floats plus 6 N. Capacity (L + 1 at most) is compile-time; L,
/// iterations and momentum are chosen at init. Float32 only.
public struct LookaheadRefinementInverter<
    let N: Int, let H: Int, let K: Int, let Capacity: Int, Estimator: PhaseDerivativeEstimator
>: MagnitudeInverter {
    /// Frames of look-ahead L of the refinement (the estimator's own comes on top).
    public let lookahead: Int
    /// Refinement passes over the buffer per new frame.
    public let iterations: Int
    public var estimator: Estimator
    public var integrator: LeastSquaresPhaseIntegrator<K>
    var rows = PhaseGradientInverter<N, H, K, Estimator>.Rows()
    var buffer: LookaheadBuffer<N, H, K, Capacity>

    /// The largest look-ahead this buffer capacity allows: Capacity - 1 frames.
    public static var maxLookahead: Int { Capacity - 1 }

    /// Defaults L = 3, 2 iterations: WB-PESQ 4.320 on 60 dev files where offline FGLA-32 scores
    /// 4.231 (docs/RESULTS.md); L = 1, I = 1 already reaches 4.243 there.
    public init(
        estimator: Estimator, integrator: LeastSquaresPhaseIntegrator<K> = .init(), lookahead: Int = 3,
        iterations: Int = 2, momentum: Float = Self.defaultMomentum
    ) {
        precondition(lookahead >= 0 && lookahead < Capacity, "LookaheadRefinementInverter: lookahead must be in 0 ..< Capacity")
        precondition(iterations >= 0, "LookaheadRefinementInverter: iterations must not be negative")
        self.estimator = estimator
        self.integrator = integrator
        self.lookahead = lookahead
        self.iterations = iterations
        buffer = LookaheadBuffer(momentum: momentum, completesPartialOverlap: true)
    }

    /// The momentum alpha of the refinement: 0.7, the best of 0, 0.3, 0.5, 0.7, 0.8, 0.9 at
    /// L = 3, I = 2 and at L = 6, I = 5 on 60 dev files (WB-PESQ 4.320 and 4.452 against 4.298
    /// and 4.384 without momentum; Tools/eval/lookahead.py, docs/RESULTS.md). Higher is
    /// riskier: 0.9 diverges at L = 6, I = 5 (2.851).
    public static var defaultMomentum: Float { 0.7 }

    public var latency: Int { N - H + (estimator.lookahead + lookahead) * H }

    public mutating func reset() {
        estimator.reset()
        integrator.reset()
        buffer.reset()
    }

    public mutating func process(magnitudes newest: Span<Float>, output: inout MutableSpan<Float>) {
        precondition(newest.count == K && output.count == H, "LookaheadRefinementInverter: wrong frame size")
        Self.step(newest, lookahead, iterations, &estimator, &integrator, &rows, &buffer, &output)
    }

    static func step(
        _ newest: Span<Float>, _ lookahead: Int, _ iterations: Int, _ estimator: inout Estimator,
        _ integrator: inout LeastSquaresPhaseIntegrator<K>, _ rows: inout PhaseGradientInverter<N, H, K, Estimator>.Rows,
        _ buffer: inout LookaheadBuffer<N, H, K, Capacity>, _ output: inout MutableSpan<Float>
    ) {
        guard PhaseGradientInverter<N, H, K, Estimator>.estimateSpectrum(newest, &estimator, &integrator, &rows) else {
            for i in 0..<H { output[i] = 0 }
            return
        }
        var packed = rows.spectrum.mutableSpan
        buffer.enter(magnitudes: rows.magnitudes.span, spectrum: &packed)
        buffer.refine(passes: iterations)
        if iterations > 0 { integrator.continueFrom(packedSpectrum: buffer.newestSpectrum.span) }
        buffer.emit(lookahead: lookahead, output: &output)
    }
}
