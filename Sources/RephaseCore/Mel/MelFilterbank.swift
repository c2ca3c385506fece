/// The B x K mel filterbank F of `MelBands` for spectra of K = N/2 + 1 bins, stored sparsely
/// in O(K): each bin has at most two weights (the falling side of one band and the rising
/// side of the next), so F a and F^T r cost 2 K multiply-adds instead of B K, and the table is
/// 12 bytes per bin (3 KB at K = 257) instead of 4 B (82 KB for a dense table at B = 80).
///
/// Weights are computed at init in Float32 with the core's log/exp2; they match
/// librosa.filters.mel (float64 arithmetic rounded to float32) to 1e-6
/// (MelFilterbankTests, against values librosa wrote).
public struct MelFilterbank<let K: Int, let B: Int>: Sendable {
    /// Band of each bin's falling and rising weight, clamped into 0 ..< B; a weight whose
    /// band does not exist is 0, so the loops need no branches.
    var fallingBand = InlineArray<K, Int16>(repeating: 0)
    var risingBand = InlineArray<K, Int16>(repeating: 0)
    var falling = InlineArray<K, Float>(repeating: 0)
    var rising = InlineArray<K, Float>(repeating: 0)

    /// The bands of `MelBands` for DFT size N = 2 (K - 1) at `sampleRate` (default 16 kHz),
    /// fmin 0 and fmax fs / 2 unless given.
    public init(
        scale: MelScale = .slaney, sampleRate: Float = 16_000, minimumFrequency: Float = 0,
        maximumFrequency: Float? = nil
    ) {
        precondition(K >= 2 && B >= 1 && B < Int(Int16.max), "MelFilterbank: need K >= 2 and 1 <= B < 32767")
        let bands = MelBands(
            count: B, fftSize: 2 * (K - 1), sampleRate: sampleRate, scale: scale,
            minimumFrequency: minimumFrequency, maximumFrequency: maximumFrequency)
        for k in 0..<K {
            let w = bands.weights(bin: k)
            fallingBand[k] = Int16(min(max(w.risingBand - 1, 0), B - 1))
            risingBand[k] = Int16(min(max(w.risingBand, 0), B - 1))
            falling[k] = w.falling
            rising[k] = w.rising
        }
    }

    /// F[b, k]: the weight of bin k in band b (tests and host code; the kernels use the
    /// sparse rows directly).
    public func weight(band b: Int, bin k: Int) -> Float {
        var w: Float = 0
        if Int(fallingBand[k]) == b { w += falling[k] }
        if Int(risingBand[k]) == b { w += rising[k] }
        return w
    }

    /// s_b = sum_k F[b, k], each band's weight sum: the mel value of a flat unit spectrum.
    public var bandSums: InlineArray<B, Float> {
        var sums = InlineArray<B, Float>(repeating: 0)
        for k in 0..<K {
            sums[Int(fallingBand[k])] += falling[k]
            sums[Int(risingBand[k])] += rising[k]
        }
        return sums
    }

    /// mel = F a: the mel spectrum of magnitudes `a` (K values) into `mel` (B values).
    public func apply(_ a: Span<Float>, to mel: inout MutableSpan<Float>) {
        precondition(a.count == K && mel.count == B, "MelFilterbank.apply: wrong sizes")
        for b in 0..<B { mel[b] = 0 }
        for k in 0..<K {
            mel[Int(fallingBand[k])] += falling[k] * a[k]
            mel[Int(risingBand[k])] += rising[k] * a[k]
        }
        OperationCounter.record(.mel, Self.applyOperations)
    }

    /// What one `apply` executes: B stores to clear, then per bin two index and two weight
    /// loads, the magnitude, two read-modify-writes of mel values and two multiply-adds.
    static var applyOperations: OperationMix {
        OperationMix(store: B, branch: B + K) + OperationMix(load: 7, store: 2, floatMultiplyAdd: 2) * K
    }
}
