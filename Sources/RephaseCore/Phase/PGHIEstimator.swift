/// The analytic estimator: PGHI derivatives (PGHIDerivatives) turned into the phase steps the
/// least-squares integrator needs by the trapezoidal rule, as RTPGHI integrates them:
///   tpd[k] = (omega[t-1, k] + omega[t, k]) / 2,   fpd[k] = (tau[t, k] + tau[t, k+1]) / 2.
/// No training, no parameters beyond the STFT sizes; look-ahead 0 or 1 frame.
/// State: PGHIDerivatives plus the previous frame's omega and a tau scratch row (8K Floats).
public struct PGHIEstimator<let K: Int>: PhaseDerivativeEstimator {
    var derivatives: PGHIDerivatives<K>
    var previousOmega: InlineArray<K, Float>
    var tau: InlineArray<K, Float>
    var hasPrevious = false

    public var lookahead: Int { derivatives.lookahead }

    /// `frameLength` N and `hop` H of the STFT; K must be N/2 + 1.
    public init(frameLength: Int, hop: Int, lookahead: Int = 0) {
        derivatives = PGHIDerivatives(frameLength: frameLength, hop: hop, lookahead: lookahead)
        previousOmega = .init(repeating: 0)
        tau = .init(repeating: 0)
    }

    /// Bytes of the state recomputed every frame: the tau row.
    public static var scratchBytes: Int { MemoryLayout<InlineArray<K, Float>>.size }

    public mutating func reset() {
        derivatives.reset()
        hasPrevious = false
    }

    public mutating func push(
        magnitudes: Span<Float>, delayedMagnitudes: inout MutableSpan<Float>,
        timeDerivative: inout MutableSpan<Float>, frequencyDerivative: inout MutableSpan<Float>
    ) -> Bool {
        var tauSpan = tau.mutableSpan
        // omega lands in timeDerivative and is averaged with the previous frame's in place.
        guard derivatives.push(
            magnitudes: magnitudes, delayedMagnitudes: &delayedMagnitudes,
            omega: &timeDerivative, tau: &tauSpan)
        else { return false }
        // The trapezoidal averages: per bin two loads, an addition, a halving, the stores.
        OperationCounter.record(
            .derivatives, OperationMix(integer: 2, load: 4, store: 3, branch: 2, floatAdd: 2, floatMultiply: 2) * K)
        for k in 0..<K {
            let omega = timeDerivative[k]
            timeDerivative[k] = hasPrevious ? 0.5 * (previousOmega[k] + omega) : omega
            previousOmega[k] = omega
        }
        for k in 0..<(K - 1) { frequencyDerivative[k] = 0.5 * (tau[k] + tau[k + 1]) }
        frequencyDerivative[K - 1] = tau[K - 1]
        hasPrevious = true
        return true
    }
}
