/// The phase rule of single-pass spectrogram inversion (SPSI; Beauregard, Harish and Wyse,
/// "Single pass spectrogram inversion", IEEE DSP 2015), shared by the Float32 and Q15
/// inverters: only the peak interpolation differs between them, and it is passed in.
///
/// Per frame, with magnitudes m_k (mirrored at the edges, m_-1 = m_1 and m_K = m_(K-2), as the
/// spectrum of a real signal is):
/// - a peak is a bin with m_(k-1) < m_k >= m_(k+1) (the first bin of a plateau);
/// - its frequency is k + p bins, with p from the parabola through the three log-magnitudes
///   (a Hann lobe is closer to a parabola in log than in linear magnitude): with the drops
///   dl = log m_k - log m_(k-1) and dr = log m_k - log m_(k+1), both >= 0 (dl > 0 in exact
///   arithmetic; a rounded log may make it 0), p = (dl - dr) / (2 (dl + dr)), so |p| <= 1/2,
///   and p = 0 where both are 0; the inverters compute it (`offset`);
/// - the peak's phase advances by a sinusoid's advance over one hop at that frequency,
///   phi_k += 2 pi H (k + p) / N;
/// - the bins of its lobe (those reached walking down from the peak: strictly falling to the
///   left, not rising to the right) take the peak's phase plus pi per bin of distance. That is a
///   stationary sinusoid's phase in the frame-start convention, whose Hann lobe, real and
///   positive when the window is centred, turns by -pi k.
/// Bins in no lobe (in a frame without peaks, such as silence) keep their phase.
///
/// Phases are binary angles (2^32 units a turn), so the running sums wrap exactly. Peaks are
/// handled in rising order, in place: a peak's phase is read before any lobe reaches it, since
/// a walk stops where the magnitudes turn (a peak is above its left neighbour, so a walk to the
/// right never enters it; one to the left never passes a bin that is not below its right one).
///
/// Every stored property starts as a constant (the advance per bin is a static property), so
/// an inverter holding this as a global lies in .bss, with nothing to initialise at start-up.
struct SPSIPhases<let N: Int, let H: Int, let K: Int> {
    var phase = InlineArray<K, BinaryAngle>(repeating: .zero)

    /// One bin's phase advance over a hop, H / N of a turn, in binary-angle units.
    static var binAdvance: UInt32 { UInt32(truncatingIfNeeded: (UInt64(H) << 32) / UInt64(N)) }

    init() {
        precondition(K == N / 2 + 1 && H > 0 && H < N, "SPSIPhases: K must be N/2 + 1 and 0 < H < N")
    }

    mutating func reset() {
        phase = InlineArray(repeating: .zero)
    }

    /// Advances the phases by one frame of magnitudes `m`. `offset(left, peak, right)` returns
    /// p times `binAdvance` (the fractional part of the peak's advance, binary-angle units).
    /// Returns the number of peaks, for the caller to report what its `offset` executed.
    @inline(__always)
    mutating func advance<M: Comparable & BitwiseCopyable>(_ m: Span<M>, offset: (M, M, M) -> Int32) -> Int {
        precondition(m.count == K && K >= 3, "SPSIPhases: wrong frame size")
        var peaks = 0
        // The three magnitudes roll along, one load a bin; the lobes are set out of line, which
        // keeps the scan's loop short (17 instructions a bin on the M4, against 30 inlined).
        var left = m[1], peak = m[0]
        for k in 0..<K {
            let right = m[k == K - 1 ? K - 2 : k + 1]
            if left < peak && right <= peak {
                peaks += 1
                let advance = UInt32(truncatingIfNeeded: k) &* Self.binAdvance &+ UInt32(bitPattern: offset(left, peak, right))
                setLobe(of: k, advance: BinaryAngle(raw: advance), m)
            }
            (left, peak) = (peak, right)
        }
        // The scan loads one magnitude a bin (with its bounds checks); each peak adds its advance
        // and the call; the walks load two magnitudes per bin they write, each bin once and a
        // valley between two peaks twice.
        OperationCounter.record(
            .peaks,
            OperationMix(integer: 12, load: 1, store: 1, branch: 2) * K + OperationMix(integer: 12, load: 2, store: 3, branch: 4) * peaks
                + OperationMix(integer: 7, load: 2, store: 1, branch: 1) * (K + peaks))
        return peaks
    }

    /// The peak at bin k advanced by `advance`, and its lobe: the bins walking down from it,
    /// a half turn further per bin.
    @inline(never)
    mutating func setLobe<M: Comparable & BitwiseCopyable>(of k: Int, advance: BinaryAngle, _ m: Span<M>) {
        let centre = phase[k] + advance
        phase[k] = centre
        var flipped = centre + .halfTurn
        var j = k - 1
        while j >= 0 && m[j] < m[j + 1] {
            phase[j] = flipped
            flipped += .halfTurn
            j -= 1
        }
        flipped = centre + .halfTurn
        j = k + 1
        while j < K && m[j] <= m[j - 1] {
            phase[j] = flipped
            flipped += .halfTurn
            j += 1
        }
    }
}
