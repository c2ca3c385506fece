/// PGHIEstimator in integer arithmetic, for the Q15 inverters: the same PGHI derivatives
/// (PGHIDerivatives documents them) and the same trapezoidal steps, computed from the
/// Q15.16 log2-magnitudes of block-floating frames (BlockFloatingMagnitudes.absoluteLog2,
/// floor 1e-9 as the Float32 estimator's) and delivered as binary angles.
///
/// Angles are carried unwrapped as Int64 counts of 2^-32 turn until the final wrap, so the
/// trapezoidal means (omega[t-1] + omega[t]) / 2 and (tau[k] + tau[k+1]) / 2 are the Float32
/// estimator's, not means of wrapped angles. With L the Q15.16 logs (ln a = ln 2 L / 2^16):
///   omega[k] = rshift_round(A (L[k+1] - L[k-1]), 16 + 1) + k 2^32 H / N
///             (one-sided at the edges: shift 16 and the one-sided difference),
///   tau[k]   = -rshift_round(B D[k], 16 + 1) - 2^31,
/// D = 3 L[t] - 4 L[t-1] + L[t-2] causally, L[t+1] - L[t-1] with look-ahead (both twice
/// ds/dt); A = 2^16 (H N / gamma) ln 2 / (2 pi) and B = 2^16 (gamma / (H N)) ln 2 / (2 pi)
/// in Q16 (gamma = 0.25645 N^2), computed once at init in Float32, rounded to nearest. Means
/// are rounded half up (rshift_round by 1).
/// State: three frames of logs, two of mantissas, the previous omega: 14 bytes a bin, 3.6 kB.
public struct Q15PGHIEstimator<let K: Int>: Q15PhaseDerivativeEstimator {
    public let lookahead: Int
    /// A and B above, Q16.
    let omegaScale: Int64
    let tauScale: Int64
    /// k H / N of a turn per bin k, in 2^-32 turns (exact for N dividing 2^32 H).
    let advance: Int64
    /// Log2-magnitudes of the last three frames, newest first: [3][K].
    var logs = InlineArray<3, InlineArray<K, Int32>>(repeating: .init(repeating: silentLog))
    /// Mantissas and exponents of the last two frames, newest first.
    var mantissas = InlineArray<2, InlineArray<K, UInt32>>(repeating: .init(repeating: 0))
    var exponents: InlineArray<2, Int> = [0, 0]
    var previousOmega = InlineArray<K, Int64>(repeating: 0)
    var tau = InlineArray<K, Int64>(repeating: 0)
    var filled = 0
    var hasPrevious = false

    /// Bytes of per-frame scratch: the tau row.
    public static var scratchBytes: Int { MemoryLayout<InlineArray<K, Int64>>.size }

    /// F of the floor 1e-9 = F 2^-55, and round(2^16 log2(1e-9)), the log of a silent bin.
    static var floorQ55: Int64 { 36_028_797 }
    static var silentLog: Int32 { -1_959_353 }

    /// `frameLength` N and `hop` H of the STFT; K must be N/2 + 1.
    public init(frameLength: Int, hop: Int, lookahead: Int = 0) {
        precondition(K == frameLength / 2 + 1, "Q15PGHIEstimator: K must be N/2 + 1")
        precondition(lookahead == 0 || lookahead == 1, "Q15PGHIEstimator: look-ahead is 0 or 1")
        self.lookahead = lookahead
        let ratio = Float(hop) / (0.25645 * Float(frameLength))  // H N / gamma
        let lnTwoOverTwoPi: Float = 0.110_317_0  // ln 2 / (2 pi)
        omegaScale = Int64(FloatMath.nearestInteger(ratio * lnTwoOverTwoPi * 4_294_967_296))
        tauScale = Int64(FloatMath.nearestInteger(lnTwoOverTwoPi / ratio * 4_294_967_296))
        advance = (Int64(1) << 32) * Int64(hop) / Int64(frameLength)  // Int64: Int is 32 bits on a Cortex-M
    }

    public mutating func reset() {
        self = Self(lookahead: lookahead, omegaScale: omegaScale, tauScale: tauScale, advance: advance)
    }

    init(lookahead: Int, omegaScale: Int64, tauScale: Int64, advance: Int64) {
        self.lookahead = lookahead
        self.omegaScale = omegaScale
        self.tauScale = tauScale
        self.advance = advance
    }

    /// Makes the frame the newest of the histories (logs, mantissas, exponents).
    mutating func remember(_ newest: Span<UInt32>, exponent: Int) {
        var row = InlineArray<K, Int32>(repeating: 0)
        do {
            var span = row.mutableSpan
            _ = BlockFloatingMagnitudes.absoluteLog2(
                mantissas: newest, exponent: exponent, floorQ55: Self.floorQ55, silent: Self.silentLog, into: &span)
        }
        logs = [row, logs[0], logs[1]]
        mantissas[1] = mantissas[0]
        for k in 0..<K { mantissas[0][k] = newest[k] }
        exponents = [exponent, exponents[0]]
    }

    public mutating func push(
        mantissas newest: Span<UInt32>, exponent: Int, delayedMantissas: inout MutableSpan<UInt32>, delayedExponent: inout Int,
        timeDerivative: inout MutableSpan<BinaryAngle>, frequencyDerivative: inout MutableSpan<BinaryAngle>
    ) -> Bool {
        precondition(newest.count == K && delayedMantissas.count == K && timeDerivative.count == K && frequencyDerivative.count == K)
        remember(newest, exponent: exponent)
        filled = min(filled + 1, 3)
        guard filled > lookahead else { return false }

        let current = lookahead  // the frame being estimated, in the history
        for k in 0..<K {
            let s = logs[current]
            let edge = k == 0 || k == K - 1
            let difference = Int64(s[min(k + 1, K - 1)]) - Int64(s[max(k - 1, 0)])
            let omega = roundingShiftRight(omegaScale &* difference, by: edge ? 16 : 17) + Int64(k) * advance
            let twiceSlope = lookahead == 1
                ? Int64(logs[0][k]) - Int64(logs[2][k])
                : 3 * Int64(logs[0][k]) - 4 * Int64(logs[1][k]) + Int64(logs[2][k])
            tau[k] = -roundingShiftRight(tauScale &* twiceSlope, by: 17) - (1 << 31)
            let step = hasPrevious ? roundingShiftRight(previousOmega[k] + omega, by: 1) : omega
            timeDerivative[k] = BinaryAngle(raw: UInt32(truncatingIfNeeded: step))
            previousOmega[k] = omega
            delayedMantissas[k] = mantissas[current][k]
        }
        for k in 0..<(K - 1) {
            frequencyDerivative[k] = BinaryAngle(raw: UInt32(truncatingIfNeeded: roundingShiftRight(tau[k] + tau[k + 1], by: 1)))
        }
        frequencyDerivative[K - 1] = BinaryAngle(raw: UInt32(truncatingIfNeeded: tau[K - 1]))
        delayedExponent = exponents[current]
        hasPrevious = true
        OperationCounter.record(
            .derivatives, OperationMix(integer: 24, multiply: 4, load: 9, store: 6, branch: 3) * K + OperationMix(integer: 4, load: 2, store: 1, branch: 1) * K)
        return true
    }
}
