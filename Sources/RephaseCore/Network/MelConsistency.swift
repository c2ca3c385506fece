/// Makes a mel network's corrected magnitudes agree with the mel frame they came from
/// (Float32; Q15MelConsistency is the integer twin).
///
/// The mel network corrects the pseudo-inverse's log-magnitudes bin by bin. That brings them
/// closer to the true magnitudes, but their mel frame F a' is no longer the one that was given.
/// A few multiplicative steps of non-negative least squares with a fixed basis,
/// a <- a F^T(m / F a) / F^T 1, put each band's level back and keep the network's shape within
/// the band (with the least-squares weights re-tuned for the result, +0.06 WB-PESQ for the
/// causal network and +0.09 for the strided one on the dev split: Tools/cnn/RESULTS.md).
///
/// The estimator is handed the pseudo-inverse a0 of the mel frame m, not m itself, and m comes
/// back from a0 exactly. In band means A = diag(1/s) F (s_b = F's row sums) and the
/// pseudo-inverse's interpolation weights W (a0 = W l, l_b = m_b / s_b the band levels), T = A W
/// is tridiagonal and strictly diagonally dominant, so l = T^-1 A a0 costs one Thomas sweep.
/// Each step is then r_b = l_b / (A a)_b, a_k <- a_k sum_b W[k, b] r_b: the update above in
/// these units. Tools/cnn/mel_consistency.py defines it in float64 and writes the tables
/// (MelConsistencyTables); MelConsistencyTests checks this kernel against a dense float64 solve.
///
/// The bins no band covers (DC and Nyquist) take the nearest band's ratio (W's row for them
/// is that band alone): the mel frame says nothing about them, so they keep the network's
/// level relative to their neighbours.
///
/// Cost per frame: 2 K multiply-adds and 3 B operations for the levels, then per step 4 K
/// multiply-adds and B divisions. Negative levels (rounding) count as 0; a band whose mean is 0
/// gets ratio 0 (its bins are 0 already, or weigh nothing in it), and every magnitude stays
/// within MagnitudeRange.
enum MelConsistency {
    /// Bands of the filterbank the mel networks are trained on.
    typealias Bands = InlineArray<80, Float>

    /// The band levels l = T^-1 A a0 of pseudo-inverse magnitudes `a0` (K = 257 values).
    static func levels(of a0: Span<Float>) -> Bands {
        // Arrays are filled through spans, not indexed in loops or returned from helpers: either
        // made the compiler copy the whole array (Q15MelConsistency measures it on the M4).
        var levels = Bands(repeating: 0)
        var l = levels.mutableSpan
        means(of: a0, into: &l)
        GeneratedTable.withSpan(&MelConsistencyTables.bands) { t in
            let last = l.count - 1
            for b in 1...last { l[b] -= t[3 * b] * l[b - 1] }
            l[last] *= t[3 * last + 2]
            for b in stride(from: last - 1, through: 0, by: -1) {
                l[b] = (l[b] - t[3 * b + 1] * l[b + 1]) * t[3 * b + 2]
            }
            for b in 0...last { l[b] = max(l[b], 0) }
        }
        OperationCounter.record(.mel, OperationMix(load: 7, store: 3, branch: 3, floatAdd: 3, floatMultiply: 2, floatMultiplyAdd: 2) * l.count)
        return levels
    }

    /// `MelConsistencyTables.steps` steps of magnitudes `a` (K values) towards `levels`.
    static func apply(_ a: inout MutableSpan<Float>, levels: Bands) {
        var ratios = Bands(repeating: 0)
        var r = ratios.mutableSpan
        let l = levels.span
        for _ in 0..<MelConsistencyTables.steps {
            means(of: a.span, into: &r)
            for b in 0..<r.count { r[b] = r[b] > 0 ? l[b] / r[b] : 0 }
            GeneratedTable.withSpan(&MelConsistencyTables.lowerBand) { lower in
                GeneratedTable.withSpan(&MelConsistencyTables.bins) { w in
                    for k in 0..<a.count {
                        let lo = Int(lower[k])
                        a[k] = MagnitudeRange.bounded(a[k] * (w[4 * k + 2] * r[lo] + w[4 * k + 3] * r[lo + 1]))
                    }
                }
            }
            OperationCounter.record(
                .mel, OperationMix(load: 3, store: 1, branch: 2, floatDivide: 1) * r.count
                    + (MagnitudeRange.operations + OperationMix(integer: 1, load: 6, store: 1, branch: 1, floatMultiply: 2, floatMultiplyAdd: 1)) * a.count)
        }
    }

    /// Flash bytes of the tables this kernel reads (band indices, A and W, the Thomas factors).
    static var tableBytes: Int {
        let t = MelConsistencyTables.self
        return MemoryLayout.size(ofValue: t.lowerBand) + MemoryLayout.size(ofValue: t.bins) + MemoryLayout.size(ofValue: t.bands)
    }

    /// (A a)_b, the mean of each band's magnitudes, into `sums` (B values).
    static func means(of a: Span<Float>, into sums: inout MutableSpan<Float>) {
        precondition(a.count == CNNArchitecture.bins, "MelConsistency: a frame has 257 bins")
        for b in 0..<sums.count { sums[b] = 0 }
        GeneratedTable.withSpan(&MelConsistencyTables.lowerBand) { lower in
            GeneratedTable.withSpan(&MelConsistencyTables.bins) { w in
                for k in 0..<a.count {
                    let lo = Int(lower[k])
                    sums[lo] += w[4 * k] * a[k]
                    sums[lo + 1] += w[4 * k + 1] * a[k]
                }
            }
        }
        OperationCounter.record(.mel, OperationMix(store: sums.count) + OperationMix(integer: 1, load: 7, store: 2, branch: 1, floatMultiplyAdd: 2) * a.count)
    }
}
