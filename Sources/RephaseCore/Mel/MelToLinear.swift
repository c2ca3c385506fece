/// Streaming mel -> linear magnitudes, one frame at a time, in fixed time: a non-negative
/// pseudo-inverse followed by a fixed budget of projected-gradient steps on the
/// non-negative least-squares problem  min_{a >= 0} 0.5 ||F a - m||^2  (F: the filterbank).
///
/// F has far fewer rows (B) than columns (K), so the problem has many solutions; the
/// pseudo-inverse picks a smooth one and the steps only make it agree with the mel frame:
/// - Pseudo-inverse (our design, not librosa's pinv, which has negative entries): each band's
///   mean magnitude m_b / s_b (s_b = sum_k F[b, k]) is spread back over the band's bins in
///   proportion to their weights, a_k = sum_b F[b, k] (m_b / s_b) / sum_b F[b, k]. A flat
///   spectrum comes back exactly and a is non-negative whenever m is; it is a linear
///   interpolation of the band levels (2 multiply-adds per bin, coefficients precomputed).
/// - Each step is a <- max(0, a - (1/L) F^T (F a - m)), with L >= ||F^T F|| (a Gershgorin
///   bound of the tridiagonal F F^T, computed at init), so the residual never grows.
/// Bins no band covers (DC and Nyquist with fmin 0 and fmax fs/2) come out 0.
///
/// Cost per frame: 2 K multiply-adds, plus 4 K per step. All storage is inline.
public struct MelToLinear<let K: Int, let B: Int>: Sendable {
    public var filterbank: MelFilterbank<K, B>
    /// Projected-gradient steps after the pseudo-inverse (0: the pseudo-inverse alone).
    public var iterations: Int
    /// Pseudo-inverse coefficients of each bin's falling and rising band.
    var fallingGain = InlineArray<K, Float>(repeating: 0)
    var risingGain = InlineArray<K, Float>(repeating: 0)
    /// 1 / L, the step size.
    var step: Float = 0
    var residual = InlineArray<B, Float>(repeating: 0)

    public init(filterbank: MelFilterbank<K, B>, iterations: Int) {
        precondition(iterations >= 0, "MelToLinear: iterations must not be negative")
        self.filterbank = filterbank
        self.iterations = iterations
        // Band sums s_b and the Gershgorin bound of F F^T (row b: sum_b' |(F F^T)[b, b']|).
        let bandSum = filterbank.bandSums
        var gershgorin = InlineArray<B, Float>(repeating: 0)
        for k in 0..<K {
            let f = filterbank.falling[k], r = filterbank.rising[k]
            let lo = Int(filterbank.fallingBand[k]), hi = Int(filterbank.risingBand[k])
            gershgorin[lo] += f * (f + r)
            gershgorin[hi] += r * (f + r)
        }
        var bound: Float = 0
        for b in 0..<B { bound = max(bound, gershgorin[b]) }
        step = bound > 0 ? 1 / bound : 0
        for k in 0..<K {
            let f = filterbank.falling[k], r = filterbank.rising[k], total = f + r
            guard total > 0 else { continue }
            let lo = Int(filterbank.fallingBand[k]), hi = Int(filterbank.risingBand[k])
            if f > 0 { fallingGain[k] = f / (bandSum[lo] * total) }
            if r > 0 { risingGain[k] = r / (bandSum[hi] * total) }
        }
    }

    /// The pseudo-inverse coefficients (falling band, rising band) of bin k, for the Q15
    /// kernel and tests.
    public func gains(bin k: Int) -> (falling: Float, rising: Float) { (fallingGain[k], risingGain[k]) }

    /// Linear magnitudes (K values) for one mel frame (B values, non-negative).
    public mutating func convert(mel m: Span<Float>, into a: inout MutableSpan<Float>) {
        precondition(m.count == B && a.count == K, "MelToLinear.convert: wrong sizes")
        let fb = filterbank
        for k in 0..<K {
            a[k] = fallingGain[k] * m[Int(fb.fallingBand[k])] + risingGain[k] * m[Int(fb.risingBand[k])]
        }
        OperationCounter.record(.mel, OperationMix(load: 7, store: 1, floatMultiply: 1, floatMultiplyAdd: 1) * K)
        var r = residual.mutableSpan
        for _ in 0..<iterations {
            fb.apply(a.span, to: &r)
            for b in 0..<B { r[b] -= m[b] }
            for k in 0..<K {
                let g = fb.falling[k] * r[Int(fb.fallingBand[k])] + fb.rising[k] * r[Int(fb.risingBand[k])]
                a[k] = max(0, a[k] - step * g)
            }
            OperationCounter.record(
                .mel, OperationMix(load: 2 * B, store: B, floatAdd: B)
                    + OperationMix(load: 7, store: 1, branch: 1, floatAdd: 1, floatMultiply: 1, floatMultiplyAdd: 2) * K)
        }
    }
}
