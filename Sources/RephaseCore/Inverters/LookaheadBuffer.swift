/// The sliding buffer of the look-ahead inverters (RTISILAInverter, LookaheadRefinementInverter):
/// Griffin-Lim restricted to the frames not yet output. It keeps
/// - the committed signal: the weighted overlap-add of every frame already output, held in
///   the synthesis accumulator (which starts where the oldest buffered frame starts);
/// - up to Capacity newest frames not yet committed ("buffered"): their target magnitudes and
///   their current time-domain estimates, stored already multiplied by the synthesis window,
///   i.e. as the exact terms they add to the overlap-add.
///
/// A frame is refined (`refine(slot:)`) by one Griffin-Lim projection: its segment of the
/// current signal estimate (committed signal plus all buffered estimates) is windowed with the
/// analysis window and transformed; each bin c becomes a c / |c| (phase 0 where |c| = 0), with
/// a the target magnitude; the inverse transform times the synthesis window is the projection
/// t. With `momentum` alpha = 0 the estimate becomes t (RTISI-LA as published). With alpha > 0
/// it becomes the extrapolation c = t + alpha (t - t_prev), t_prev the frame's previous
/// projection (its initial estimate before the first): Fast Griffin-Lim's update (Perraudin
/// et al. 2013, see RephaseOffline's FastGriffinLim) applied frame by frame, where a frame's
/// later neighbours keep changing, so the best alpha is smaller than the offline 0.99. A frame
/// is committed as its last projection t, which has the target magnitudes, not as the
/// extrapolation.
/// Frames move one slot down on commit, so slot 0 is always the oldest.
///
/// `zhuScheme` (RTISI-LA as Zhu et al. describe it and phaseret's `rtisila` runs it): no frame
/// after the newest has arrived, so the newest frame's segment is the fading end of the
/// overlap-add, which the symmetric analysis window weighs lopsidedly (at N = 512, H = 128 the
/// segment's envelope times the window has its centre at sample 164 on the newest frame's
/// first projection and 218 on later ones, not 256). The scheme analyses the newest frame with
/// the overlap of the synthesis windows ws mirrored in time instead, which rises where the
/// segment fades (centres 233 and 245): sum_{k >= 1} ws[n - kH] on the projection that
/// initialises it from a zero estimate (`initialiseNewest`), sum_{k >= 0} ws[n - kH] on later
/// ones. And each pass runs newest to oldest, so the oldest frame, committed next, is
/// projected last, against every other frame's latest estimate. Completed segments
/// (`completesPartialOverlap`) do not fade; cnn-la with the scheme fell from WB-PESQ 4.335 to
/// 3.310 on the dev split.
///
/// Conventions are the project's (docs/ALGORITHMS.md section 1): frame-start phase, periodic Hann
/// analysis window, synthesis window w / sum w^2 (STFTSynthesis), so a frame whose segment
/// already has the target magnitudes is left unchanged and true phases are a fixed point.
///
/// Memory (all inline): Capacity (2 N + K) Floats (targets, estimates and projections, the
/// last allocated even without momentum since sizes are compile-time), 4 N (analysis window,
/// 1 / coverage, segment scratch, newest spectrum) and 2 N of synthesis state; `zhuScheme`'s
/// windows are computed per projection, not stored.
struct LookaheadBuffer<let N: Int, let H: Int, let K: Int, let Capacity: Int> {
    /// alpha of the update above; 0 is plain Griffin-Lim (RTISI-LA).
    let momentum: Float
    /// Whether segments are divided by the overlap weight of the frames present (see init).
    let completesPartialOverlap: Bool
    /// Whether the newest frame is analysed with the mirrored overlap windows and passes run
    /// newest to oldest (see above).
    let zhuScheme: Bool
    /// Target magnitudes of the buffered frames, oldest in slot 0.
    var targets = InlineArray<Capacity, InlineArray<K, Float>>(repeating: .init(repeating: 0))
    /// Current estimates of the buffered frames (inverse FFT times the synthesis window).
    var estimates = InlineArray<Capacity, InlineArray<N, Float>>(repeating: .init(repeating: 0))
    /// Last projections t of the buffered frames (used only when momentum > 0).
    var projections = InlineArray<Capacity, InlineArray<N, Float>>(repeating: .init(repeating: 0))
    /// How many slots hold a frame.
    private(set) var buffered = 0
    /// The committed signal (its accumulator) and the synthesis window.
    var synthesis = STFTSynthesis<N, H>()
    var analysisWindow: InlineArray<N, Float>
    /// 1 / coverage(q), where coverage(q) = sum_j w[q + jH] ws[q + jH] (q + jH < N) is the
    /// overlap weight at offset q of the newest frame of the frames present; for q >= H.
    var inverseCoverage = InlineArray<N, Float>(repeating: 1)
    /// Scratch: a frame's segment, then its spectrum.
    var segment = InlineArray<N, Float>(repeating: 0)
    /// The newest frame's last projected spectrum (packed: target magnitudes, refined phases);
    /// scratch for the newest frame's overlap window while that frame is analysed.
    var newestSpectrum = InlineArray<N, Float>(repeating: 0)

    /// `completesPartialOverlap`: the frames after the newest have not arrived, so the
    /// overlap-add over the newest frames' segments lacks their terms (at offset q >= H of the
    /// newest frame, only the frames that start at or before it add up, to coverage(q) < 1 of
    /// the full weight). RTISI-LA projects that faded segment as it is (false), weighed by the
    /// asymmetric windows of `zhuScheme`; dividing by coverage(q) makes the segment the
    /// least-squares signal of the frames present, so a consistent set of frames is a fixed
    /// point of the projection even at the buffer's end.
    init(momentum: Float = 0, completesPartialOverlap: Bool = false, zhuScheme: Bool = false) {
        precondition(K == N / 2 + 1, "LookaheadBuffer: K must be N/2 + 1")
        precondition(momentum >= 0 && momentum < 1, "LookaheadBuffer: momentum must be in 0 ..< 1")
        self.momentum = momentum
        self.completesPartialOverlap = completesPartialOverlap
        self.zhuScheme = zhuScheme
        analysisWindow = .init { HannWindow.valueF32($0, length: N) }
        synthesis.prepare()
        for q in H..<N {
            var coverage: Float = 0
            var i = q
            while i < N {
                coverage += analysisWindow[i] * synthesis.window[i]
                i += H
            }
            inverseCoverage[q] = 1 / coverage
        }
    }

    /// Empties the buffer and the committed signal. Slots past `buffered` need no clearing:
    /// a frame's slot is overwritten when it enters.
    mutating func reset() {
        buffered = 0
        synthesis.reset()
    }

    /// Appends a frame with target magnitudes `magnitudes` (K) and a zero estimate; returns its slot.
    mutating func enter(magnitudes: Span<Float>) -> Int {
        precondition(buffered < Capacity, "LookaheadBuffer: full")
        let slot = buffered
        for k in 0..<K { targets[slot][k] = MagnitudeRange.bounded(magnitudes[k]) }
        OperationCounter.record(.projection, MagnitudeRange.operations * K)
        estimates[slot] = .init(repeating: 0)
        if momentum > 0 { projections[slot] = estimates[slot] }
        buffered += 1
        return slot
    }

    /// Appends a frame whose initial estimate is the packed spectrum `spectrum` (N Floats, used
    /// as scratch), e.g. magnitudes with an estimated phase.
    mutating func enter(magnitudes: Span<Float>, spectrum: inout MutableSpan<Float>) {
        let slot = enter(magnitudes: magnitudes)
        FFT.inverseReal(&spectrum)
        for n in 0..<N { estimates[slot][n] = spectrum[n] * synthesis.window[n] }
        if momentum > 0 { projections[slot] = estimates[slot] }
    }

    /// `passes` Gauss-Seidel passes: every buffered frame refined, oldest to newest (newest to
    /// oldest with `zhuScheme`), each seeing the estimates already updated in that pass.
    mutating func refine(passes: Int) {
        for _ in 0..<passes {
            for s in 0..<buffered { refine(slot: zhuScheme ? buffered - 1 - s : s) }
        }
    }

    /// RTISI's initialisation of a frame that entered with a zero estimate: one projection of
    /// the partial reconstruction of the frames before it (with `zhuScheme`, analysed with
    /// the overlap of their synthesis windows alone).
    mutating func initialiseNewest() {
        refine(slot: buffered - 1, newestEstimateIsZero: true)
    }

    /// Once `lookahead` + 1 frames are buffered, commits the oldest, which completes H samples
    /// of `output`; before that, writes silence.
    mutating func emit(lookahead: Int, output: inout MutableSpan<Float>) {
        guard buffered == lookahead + 1 else {
            for i in 0..<H { output[i] = 0 }
            return
        }
        synthesis.overlapAdd(windowedFrame: momentum > 0 ? projections[0].span : estimates[0].span, output: &output)
        for s in 1..<buffered {
            targets[s - 1] = targets[s]
            estimates[s - 1] = estimates[s]
            if momentum > 0 { projections[s - 1] = projections[s] }
        }
        buffered -= 1
    }

    /// One Griffin-Lim projection of the frame in `slot` (see the type's comment). The newest
    /// frame's projected spectrum is kept in `newestSpectrum`, for callers that continue from
    /// its refined phases.
    mutating func refine(slot d: Int) {
        refine(slot: d, newestEstimateIsZero: false)
    }

    private mutating func refine(slot d: Int, newestEstimateIsZero: Bool) {
        let newest = d == buffered - 1, alpha = momentum, overlapWindow = newest && zhuScheme
        // Frame d's offset n is the newest frame's offset n - shift; `partial` samples lack
        // the terms of frames not yet arrived.
        let shift = (buffered - 1 - d) * H
        let partial = completesPartialOverlap && H + shift < N ? N - H - shift : 0
        var x = segment.mutableSpan
        // The signal estimate over the frame, positions relative to slot 0's first sample:
        // the committed part, then every buffered frame that overlaps (offset (d - e) H).
        let start = min(d * H, N), committed = N - start
        FloatRows.copy(synthesis.accumulator.span.extracting(start..<N), into: &x)
        for n in committed..<N { x[n] = 0 }
        var overlapped = 0
        for e in 0..<buffered {
            let offset = (d - e) * H
            guard abs(offset) < N else { continue }  // frames N/H or more apart do not overlap
            let range = max(0, -offset)..<min(N, N - offset)
            let terms = estimates[e].span.extracting((range.lowerBound + offset)..<(range.upperBound + offset))
            FloatRows.add(terms, to: &x, at: range.lowerBound)
            overlapped += N - abs(offset)
        }
        if partial > 0 {
            FloatRows.multiply(&x, at: N - partial, by: inverseCoverage.span.extracting((N - partial - shift)..<(N - shift)))
        }
        if overlapWindow {
            var overlap = newestSpectrum.mutableSpan
            Self.multiplyByOverlapWindow(&x, synthesisWindow: synthesis.window.span, scratch: &overlap, ownTerm: !newestEstimateIsZero)
        } else {
            FloatRows.multiply(&x, by: analysisWindow.span)
        }
        FFT.real(&x)
        imposeMagnitudes(targets[d].span, on: &x)
        if newest {
            for n in 0..<N { newestSpectrum[n] = x[n] }
        }
        FFT.inverseReal(&x)
        if alpha > 0 {
            for n in 0..<N {
                let t = x[n] * synthesis.window[n]
                estimates[d][n] = t + alpha * (t - projections[d][n])
                projections[d][n] = t
            }
        } else {
            FloatRows.product(x.span, synthesis.window.span, into: &estimates[d])
        }
        OperationCounter.record(
            .projection,
            Self.projectionMix(
                overlapped: overlapped, partial: partial, momentum: alpha > 0, newest: newest, overlapWindow: overlapWindow))
    }

    /// x[n] *= sum_{k >= 0} ws[n - kH] (`ownTerm`) or sum_{k >= 1} ws[n - kH], ws the synthesis
    /// window. The sum over k >= 0 is built in `scratch` as running sums H apart (each sample
    /// the one H earlier plus ws), and the sum over k >= 1 is the same shifted by H, so neither
    /// window is stored: N - H additions on top of the N multiplications of the analysis
    /// window they replace.
    static func multiplyByOverlapWindow(
        _ x: inout MutableSpan<Float>, synthesisWindow: Span<Float>, scratch overlap: inout MutableSpan<Float>, ownTerm: Bool
    ) {
        FloatRows.runningSums(synthesisWindow, stride: H, into: &overlap)
        if ownTerm {
            FloatRows.multiply(&x, by: overlap.span)
        } else {
            for n in 0..<H { x[n] = 0 }
            FloatRows.multiply(&x, at: H, by: overlap.span.extracting(0..<(N - H)))
        }
    }

    /// The operations of one `refine(slot:)` outside its two FFTs (which FFT reports),
    /// from its loop sizes: segment assembly (N, plus `overlapped` samples of buffered frames
    /// added, `partial` samples scaled by 1 / coverage), analysis window (N), imposing
    /// magnitudes (K - 2 complex bins and the two real ones), the copy of the newest frame's
    /// spectrum (N) and the synthesis window with or without the momentum update (N); the
    /// overlap window's running sums (H copied, N - H additions) where it replaces the
    /// analysis window.
    static func projectionMix(overlapped: Int, partial: Int, momentum: Bool, newest: Bool, overlapWindow: Bool) -> OperationMix {
        let assemble = OperationMix(integer: 2, load: 1, store: 1, branch: 1) * N
            + OperationMix(integer: 1, load: 2, store: 1, branch: 1, floatAdd: 1) * overlapped
        let window = OperationMix(integer: 1, load: 2, store: 1, branch: 1, floatMultiply: 1) * (N + partial)
        let bins = OperationMix(
            integer: 1, load: 3, store: 2, branch: 1, floatAdd: 1, floatMultiply: 3, floatMultiplyAdd: 1,
            floatDivide: 1, floatSquareRoot: 1) * (K - 2)
            + OperationMix(integer: 2, load: 4, store: 2, floatAdd: 2)
        let synthesize = momentum
            ? OperationMix(integer: 1, load: 3, store: 2, branch: 1, floatAdd: 1, floatMultiply: 1, floatMultiplyAdd: 1) * N
            : OperationMix(integer: 1, load: 2, store: 1, branch: 1, floatMultiply: 1) * N
        let copy = newest ? OperationMix(integer: 1, load: 1, store: 1, branch: 1) * N : OperationMix()
        let overlapSums = overlapWindow
            ? OperationMix(integer: 1, load: 1, store: 1, branch: 1) * H
                + OperationMix(integer: 1, load: 2, store: 1, branch: 1, floatAdd: 1) * (N - H)
            : OperationMix()
        return assemble + window + bins + copy + synthesize + overlapSums
    }
}
