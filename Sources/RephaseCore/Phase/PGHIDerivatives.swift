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
    /// Log-magnitudes and magnitudes of the last three frames, in a ring: frame t - i is row
    /// (newestRow + i) % 3, so a new frame overwrites the oldest rows instead of moving two.
    var logs: InlineArray<3, InlineArray<K, Float>>
    var magnitudes: InlineArray<3, InlineArray<K, Float>>
    var newestRow = 0
    /// Frames received since construction or reset, saturating at 3.
    var filled = 0

    /// Added to magnitudes before the log so silent bins give a finite, very low value.
    static var tiny: Float { 1e-9 }

    public init(frameLength: Int, hop: Int, lookahead: Int) {
        precondition(K == frameLength / 2 + 1 && K >= 2, "PGHIDerivatives: K must be N/2 + 1, N at least 2")
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
        newestRow = newestRow == 0 ? 2 : newestRow - 1
        let t0 = newestRow, t1 = (t0 + 1) % 3, t2 = (t0 + 2) % 3  // rows of frames t, t - 1, t - 2
        for k in 0..<K {
            let a = MagnitudeRange.bounded(newest[k])
            magnitudes[t0][k] = a
            logs[t0][k] = FloatMath.log(normal: a + Self.tiny)
        }
        filled = min(filled + 1, 3)
        guard filled > lookahead else { return false }

        let n = Float(frameLength), h = Float(hop)
        let gamma: Float = 0.25645 * n * n
        let omegaScale = h * n / gamma, tauScale = -gamma / (h * n)
        let nominal = 2 * Float.pi * h / n
        let current = lookahead == 1 ? t1 : t0  // row of the frame being estimated
        // The frequency difference: centred inside, one-sided at the two edges. One loop per
        // case rather than selects per bin, so that each vectorises. The edges keep the
        // general formula's shape (`/ 1`, `+ nominal * k`): at k = 0 adding nominal * 0 = +0
        // is not a no-op for the bits (a -0 difference becomes +0), and these are the bits of
        // the per-bin formula the loops replaced.
        omega[0] = omegaScale * (logs[current][1] - logs[current][0]) / 1 + nominal * Float(0)
        for k in 1..<(K - 1) {
            omega[k] = omegaScale * (logs[current][k + 1] - logs[current][k - 1]) / 2 + nominal * Float(k)
        }
        omega[K - 1] = omegaScale * (logs[current][K - 1] - logs[current][K - 2]) / 1 + nominal * Float(K - 1)
        if lookahead == 1 {
            for k in 0..<K { tau[k] = tauScale * (0.5 * (logs[t0][k] - logs[t2][k])) - Float.pi }
        } else {
            for k in 0..<K { tau[k] = tauScale * (0.5 * (3 * logs[t0][k] - 4 * logs[t1][k] + logs[t2][k])) - Float.pi }
        }
        for k in 0..<K { delayedMagnitudes[k] = magnitudes[current][k] }
        return true
    }

    /// What `push` executes, for the simulator (OperationCounter), per bin: the new magnitude
    /// and log stored, then, once `estimating`, the two differences (three loops: omega, tau,
    /// the delayed magnitudes).
    static func operations(estimating: Bool) -> OperationMix {
        let loop = OperationMix(integer: 1, branch: 1)
        let log = loop + OperationMix(load: 1, store: 2, floatAdd: 1) + FloatMath.logOperations + MagnitudeRange.operations
        // The halving of the centred difference is a product (a division by 2 compiles to one).
        let estimate = loop * 3 + OperationMix(integer: 1, load: 6, store: 3, floatAdd: 4, floatMultiply: 3, floatMultiplyAdd: 3)
        return (log + (estimating ? estimate : OperationMix())) * K
    }
}
