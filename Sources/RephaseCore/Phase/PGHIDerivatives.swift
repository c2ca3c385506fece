/// Phase derivatives from log-magnitudes by the phase-gradient heuristic (PGHI; Prusa,
/// Balazs, Sondergaard, "A noniterative method for reconstruction of phase from STFT
/// magnitude", IEEE/ACM TASLP 2017), for a Hann window of length N and hop H.
///
/// With s = log(a + tiny) and gamma = 0.25645 N^2 (the Gaussian that best fits a Hann window):
///   omega[t, k] = (H N / gamma) (s[t, k+1] - s[t, k-1]) / 2 + 2 pi H k / N   (rad per hop)
///   tau[t, k]   = -(gamma / (H N)) ds/dt[t, k] - pi                         (rad per bin)
/// ds/dt is the centred difference (s[t+1] - s[t-1]) / 2 with one frame of look-ahead, or the
/// causal second-order backward difference (3 s[t] - 4 s[t-1] + s[t-2]) / 2 without.
/// The -pi moves tau from PGHI's window-centred phase to the frame-start phase the project
/// uses (X_fs[k] = (-1)^k X_wc[k]: the frequency step changes by pi, the time step does not).
/// At the edges (k = 0, K - 1) the frequency difference is one-sided.
///
/// State: the last three log-magnitude frames and magnitudes (6K Floats).
public struct PGHIDerivatives<let K: Int> {
    /// 0 (causal) or 1 (centred time difference, one hop more latency).
    public let lookahead: Int
    let frameLength: Int
    let hop: Int
    /// Log-magnitudes and magnitudes of the last three frames, newest at index 0.
    var logs: InlineArray<3, InlineArray<K, Float>>
    var magnitudes: InlineArray<3, InlineArray<K, Float>>
    /// Frames received since construction or reset, saturating at 3.
    var filled = 0

    /// Added to magnitudes before the log so silent bins give a finite, very low value.
    static var tiny: Float { 1e-9 }

    public init(frameLength: Int, hop: Int, lookahead: Int) {
        precondition(K == frameLength / 2 + 1, "PGHIDerivatives: K must be N/2 + 1")
        precondition(lookahead == 0 || lookahead == 1, "PGHIDerivatives: look-ahead is 0 or 1")
        self.lookahead = lookahead
        self.frameLength = frameLength
        self.hop = hop
        logs = .init(repeating: .init(repeating: FloatMath.log(Self.tiny)))
        magnitudes = .init(repeating: .init(repeating: 0))
    }

    public mutating func reset() {
        self = Self(frameLength: frameLength, hop: hop, lookahead: lookahead)
    }

    /// Takes the newest magnitudes; returns true when the frame `lookahead` back is ready, and
    /// then `omega`, `tau` and `delayedMagnitudes` describe that frame.
    public mutating func push(
        magnitudes newest: Span<Float>, delayedMagnitudes: inout MutableSpan<Float>,
        omega: inout MutableSpan<Float>, tau: inout MutableSpan<Float>
    ) -> Bool {
        precondition(newest.count == K && omega.count == K && tau.count == K && delayedMagnitudes.count == K)
        let estimates = filled + 1 > lookahead  // a local: capturing self would copy it
        OperationCounter.record(.derivatives, Self.operations(estimating: estimates))
        logs[2] = logs[1]
        logs[1] = logs[0]
        magnitudes[2] = magnitudes[1]
        magnitudes[1] = magnitudes[0]
        for k in 0..<K {
            let a = MagnitudeRange.bounded(newest[k])
            magnitudes[0][k] = a
            logs[0][k] = FloatMath.log(normal: a + Self.tiny)
        }
        filled = min(filled + 1, 3)
        guard filled > lookahead else { return false }

        let n = Float(frameLength), h = Float(hop)
        let gamma: Float = 0.25645 * n * n
        let omegaScale = h * n / gamma, tauScale = -gamma / (h * n)
        let nominal = 2 * Float.pi * h / n
        let current = lookahead  // index of the frame being estimated in the history
        for k in 0..<K {
            let s = logs[current]
            let below = s[max(k - 1, 0)], above = s[min(k + 1, K - 1)]
            let spacing: Float = (k == 0 || k == K - 1) ? 1 : 2
            omega[k] = omegaScale * (above - below) / spacing + nominal * Float(k)
            let dsdt: Float
            if lookahead == 1 {
                dsdt = 0.5 * (logs[0][k] - logs[2][k])
            } else {
                dsdt = 0.5 * (3 * logs[0][k] - 4 * logs[1][k] + logs[2][k])
            }
            tau[k] = tauScale * dsdt - Float.pi
            delayedMagnitudes[k] = magnitudes[current][k]
        }
        return true
    }

    /// What `push` executes, for the simulator (OperationCounter), per bin: four rows shifted,
    /// the new log stored, then, once `estimating`, the two differences.
    static func operations(estimating: Bool) -> OperationMix {
        let shift = OperationMix(integer: 1, load: 1, store: 1, branch: 1) * 4
        let log = OperationMix(integer: 1, load: 1, store: 2, branch: 1, floatAdd: 1) + FloatMath.logOperations + MagnitudeRange.operations
        let estimate = OperationMix(
            integer: 9, load: 6, store: 3, branch: 1, floatAdd: 4, floatMultiply: 2, floatMultiplyAdd: 3, floatDivide: 1)
        return (shift + log + (estimating ? estimate : OperationMix())) * K
    }
}
