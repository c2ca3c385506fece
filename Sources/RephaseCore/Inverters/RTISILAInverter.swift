/// Real-Time Iterative Spectrogram Inversion with Look-Ahead (RTISI-LA): the iterative
/// baseline. X. Zhu, G. T. Beauregard, L. L. Wyse, "Real-time signal estimation from modified
/// short-time Fourier transform magnitude spectra", IEEE TASLP 15(5), 2007.
///
/// Griffin-Lim restricted to a sliding buffer. The inverter keeps
/// - the committed signal: the weighted overlap-add of every frame already output, held in
///   the synthesis accumulator (which starts where the oldest buffered frame starts);
/// - the L + 1 newest frames not yet committed ("buffered"): their target magnitudes and their
///   current time-domain estimates, stored already multiplied by the synthesis window, i.e.
///   as the exact terms they add to the overlap-add.
///
/// A frame is refined (`refine(slot:)`) by one Griffin-Lim projection: its segment of the
/// current signal estimate (committed signal plus all buffered estimates) is windowed with the
/// analysis window and transformed; each bin c becomes a c / |c| (phase 0 where |c| = 0), with
/// a the target magnitude; the inverse transform times the synthesis window is the new
/// estimate. Per call:
/// 1. the new frame enters the buffer with a zero estimate and is refined once: its initial
///    phase is that of the partial reconstruction at its position (the paper's RTISI
///    initialisation, with the plain analysis window: the paper's asymmetric window for the
///    newest frame is not used);
/// 2. `iterations` passes refine every buffered frame, oldest to newest, each seeing the
///    estimates already updated in that pass (Gauss-Seidel order);
/// 3. once L + 1 frames are buffered, the oldest is committed, which completes H samples.
/// The frames' magnitudes and estimates move one slot down on commit, so slot 0 is always the
/// oldest. Per call: (iterations (L + 1) + 1) forward and inverse FFT pairs once the buffer is full.
///
/// Conventions are the project's (ALGORITHMS.md section 0): frame-start phase, periodic Hann
/// analysis window, synthesis window w / sum w^2 (STFTSynthesis), so a frame whose segment
/// already has the target magnitudes is left unchanged and true phases reconstruct exactly.
///
/// Defaults L = 3 (N/H - 1 at 75 % overlap, where a frame's look-ahead covers every frame that
/// overlaps it) and 5 iterations, as in LTFAT/PHASERET's `rtisila` and the seed paper's
/// "RTISI, 5 iterations" baseline. Output: zeros until L + 1 frames have arrived, then the
/// signal delayed by `latency` = N - H + L H samples.
///
/// Memory (all inline): Capacity (N + K) Floats of buffer, 2 N of scratch and analysis
/// window, 2 N of synthesis state, and three Ints: 20,496 bytes plus the Ints for
/// <512, 128, 257, 4>.
/// K must be N/2 + 1; Capacity (the most frames buffered, L + 1 at most) is compile-time so
/// the storage is static, while L and the iteration count are chosen at init.
public struct RTISILAInverter<let N: Int, let H: Int, let K: Int, let Capacity: Int>: MagnitudeInverter {
    /// Frames of look-ahead L: each frame is output L hops after it arrives.
    public let lookahead: Int
    /// Refinement passes over the buffer per new frame.
    public let iterations: Int

    /// Target magnitudes of the buffered frames, oldest in slot 0.
    var targets = InlineArray<Capacity, InlineArray<K, Float>>(repeating: .init(repeating: 0))
    /// Current estimates of the buffered frames (inverse FFT times the synthesis window).
    var estimates = InlineArray<Capacity, InlineArray<N, Float>>(repeating: .init(repeating: 0))
    /// How many slots hold a frame (0 ... L + 1).
    var buffered = 0
    /// The committed signal (its accumulator) and the synthesis window.
    var synthesis = STFTSynthesis<N, H>()
    var analysisWindow: InlineArray<N, Float>
    /// Scratch: a frame's segment, then its spectrum.
    var segment = InlineArray<N, Float>(repeating: 0)

    /// The largest look-ahead this buffer capacity allows: Capacity - 1 frames.
    public static var maxLookahead: Int { Capacity - 1 }

    public init(lookahead: Int = 3, iterations: Int = 5) {
        precondition(K == N / 2 + 1, "RTISILAInverter: K must be N/2 + 1")
        precondition(lookahead >= 0 && lookahead < Capacity, "RTISILAInverter: lookahead must be in 0 ..< Capacity")
        precondition(iterations >= 1, "RTISILAInverter: iterations must be at least 1")
        self.lookahead = lookahead
        self.iterations = iterations
        analysisWindow = .init { HannWindow.valueF32($0, length: N) }
    }

    public var latency: Int { N - H + lookahead * H }

    /// Empties the buffer and the committed signal. Slots past `buffered` need no clearing:
    /// a frame's slot is overwritten when it enters.
    public mutating func reset() {
        buffered = 0
        synthesis.reset()
    }

    public mutating func process(magnitudes newest: Span<Float>, output: inout MutableSpan<Float>) {
        precondition(newest.count == K && output.count == H, "RTISILAInverter: wrong frame size")
        let slot = buffered
        for k in 0..<K { targets[slot][k] = newest[k] }
        estimates[slot] = .init(repeating: 0)
        buffered += 1
        refine(slot: slot)
        for _ in 0..<iterations {
            for s in 0..<buffered { refine(slot: s) }
        }
        guard buffered == lookahead + 1 else {
            for i in 0..<H { output[i] = 0 }
            return
        }
        synthesis.overlapAdd(windowedFrame: estimates[0].span, output: &output)
        for s in 1..<buffered {
            targets[s - 1] = targets[s]
            estimates[s - 1] = estimates[s]
        }
        buffered -= 1
    }

    /// One Griffin-Lim projection of the frame in `slot` (see the type's comment).
    mutating func refine(slot d: Int) {
        var x = segment.mutableSpan
        // The signal estimate over the frame, positions relative to slot 0's first sample:
        // the committed part, then every buffered frame that overlaps (offset (d - e) H).
        for n in 0..<N {
            let p = d * H + n
            x[n] = p < N ? synthesis.accumulator[p] : 0
        }
        for e in 0..<buffered {
            let offset = (d - e) * H
            guard abs(offset) < N else { continue }  // frames L >= N/H apart do not overlap
            let frame = estimates[e].span
            for n in max(0, -offset)..<min(N, N - offset) { x[n] += frame[n + offset] }
        }
        for n in 0..<N { x[n] *= analysisWindow[n] }
        FloatFFT.real(&x)
        imposeMagnitudes(targets[d].span, on: &x)
        FloatFFT.inverseReal(&x)
        for n in 0..<N { estimates[d][n] = x[n] * synthesis.window[n] }
    }
}
