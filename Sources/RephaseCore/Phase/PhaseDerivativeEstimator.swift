/// Something that turns a stream of magnitude frames into phase-derivative estimates: the
/// analytic PGHI estimator, or a trained network. The inverters take it as a generic
/// parameter (never an existential), so each estimator is compiled into the loop that uses it.
///
/// Conventions (docs/ALGORITHMS.md section 2, frame-start phase): for frame t and bin k,
/// - time derivative  tpd[k] ~ princarg(phi[t, k] - phi[t-1, k]), radians per hop (the full
///   value, nominal advance 2 pi k H / N included);
/// - frequency derivative fpd[k] ~ princarg(phi[t, k+1] - phi[t, k]), radians per bin, for
///   k < K - 1 (fpd[K-1] is unused).
public protocol PhaseDerivativeEstimator {
    /// Frames of look-ahead: the estimates for frame t are ready when frame t + lookahead arrives.
    var lookahead: Int { get }

    /// Takes the newest frame's magnitudes (K values). Once `lookahead` further frames have
    /// arrived it writes, for the frame `lookahead` frames back, that frame's magnitudes and its
    /// derivatives, and returns true; before that it returns false and writes nothing.
    mutating func push(
        magnitudes: Span<Float>, delayedMagnitudes: inout MutableSpan<Float>,
        timeDerivative: inout MutableSpan<Float>, frequencyDerivative: inout MutableSpan<Float>
    ) -> Bool

    /// Forgets all past frames.
    mutating func reset()
}
