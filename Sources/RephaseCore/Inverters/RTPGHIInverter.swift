/// Real-time phase-gradient heap integration (RTPGHI; Prusa and Holighaus, "Toward
/// high-quality real-time signal reconstruction from STFT magnitude", IEEE SPL 2017), the
/// analytic baseline: PGHI derivatives (PGHIDerivatives) integrated along the strongest bins.
///
/// Per frame: the bins above `tolerance` x the frame maximum are "significant". A max-heap
/// keyed by magnitude starts with the previous frame's bins. Popping a previous-frame bin m
/// sets phi(m) = phi_prev(m) + (omega_prev(m) + omega(m)) / 2 (time direction) and queues the
/// current bin m; popping a current bin m sets its unset significant neighbours,
/// phi(m +- 1) = phi(m) +- (tau(m) + tau(m +- 1)) / 2 (frequency direction), and queues them.
/// If significant bins remain when the heap runs dry (after silence), the strongest is set
/// by time integration and the spreading resumes from it. Insignificant bins get a random
/// phase (a fixed-seed generator, so runs repeat). Phases are binary angles, so the running
/// sums wrap exactly. Latency: N - H + L H with L = 0 (causal) or 1 frame of look-ahead.
///
/// State: PGHIDerivatives (6K Floats), the heap (2K Floats + 2K UInt16), phases and omegas of
/// two frames, flags, synthesis (2N Floats) and a packed spectrum row.
public struct RTPGHIInverter<let N: Int, let H: Int, let K: Int>: MagnitudeInverter {
    /// Relative magnitude below which a bin gets a random phase (1e-6 in the paper's setting).
    public let tolerance: Float
    var derivatives: PGHIDerivatives<K>
    var synthesis = STFTSynthesis<N, H>()
    var heap = BinHeap<K>()
    var magnitudes = InlineArray<K, Float>(repeating: 0)
    var previousMagnitudes = InlineArray<K, Float>(repeating: 0)
    var omega = InlineArray<K, Float>(repeating: 0)
    var previousOmega = InlineArray<K, Float>(repeating: 0)
    var tau = InlineArray<K, Float>(repeating: 0)
    var phase = InlineArray<K, BinaryAngle>(repeating: .zero)
    var previousPhase = InlineArray<K, BinaryAngle>(repeating: .zero)
    var done = InlineArray<K, Bool>(repeating: false)
    var spectrum = InlineArray<N, Float>(repeating: 0)
    var random = PhaseNoise()

    public init(lookahead: Int = 0, tolerance: Float = 1e-6) {
        precondition(K == N / 2 + 1, "RTPGHIInverter: K must be N/2 + 1")
        derivatives = PGHIDerivatives(frameLength: N, hop: H, lookahead: lookahead)
        self.tolerance = tolerance
    }

    public var latency: Int { N - H + derivatives.lookahead * H }

    public mutating func prepare() {
        synthesis.prepare()
    }

    public mutating func reset() {
        self = Self(lookahead: derivatives.lookahead, tolerance: tolerance)
    }

    public mutating func process(magnitudes newest: Span<Float>, output: inout MutableSpan<Float>) {
        precondition(newest.count == K && output.count == H, "RTPGHIInverter: wrong frame size")
        previousMagnitudes = magnitudes
        previousOmega = omega
        previousPhase = phase
        var mags = magnitudes.mutableSpan, w = omega.mutableSpan, t = tau.mutableSpan
        guard derivatives.push(magnitudes: newest, delayedMagnitudes: &mags, omega: &w, tau: &t) else {
            for i in 0..<H { output[i] = 0 }
            return
        }
        integrateFrame()
        // Per bin: the three rows copied to the previous frame's, and the phasor packSpectrum
        // asks for (one sinCos of a binary angle).
        OperationCounter.record(
            .heap, (OperationMix(load: 4, store: 3, floatAdd: 1, floatMultiply: 1) + FloatMath.sinCosOperations) * K)
        var packed = spectrum.mutableSpan
        packSpectrum(magnitudes: magnitudes.span, into: &packed) { k in
            let (s, c) = phase[k].sinCos
            return (c, s)
        }
        synthesis.synthesize(spectrum: &packed, output: &output)
    }

    /// The heap integration of one frame (see the type's doc comment).
    mutating func integrateFrame() {
        var peak: Float = 0
        for k in 0..<K { peak = max(peak, magnitudes[k]) }
        let threshold = tolerance * peak
        var remaining = 0
        for k in 0..<K {
            done[k] = !(magnitudes[k] > threshold)
            if done[k] {
                phase[k] = random.next()
            } else {
                remaining += 1
            }
        }
        OperationCounter.record(.heap, Self.integrationOperations(significant: remaining))
        heap.removeAll()
        for k in 0..<K where !done[k] {
            heap.push(magnitude: previousMagnitudes[k], bin: k, currentFrame: false)
        }
        while remaining > 0 {
            if heap.isEmpty {
                // The strongest bin not reached from the previous frame seeds a new spread.
                var best = -1
                for k in 0..<K where !done[k] && (best < 0 || magnitudes[k] > magnitudes[best]) { best = k }
                setFromPreviousFrame(best)
                remaining -= 1
                heap.push(magnitude: magnitudes[best], bin: best, currentFrame: true)
            }
            let (m, current) = heap.pop()
            if !current {
                guard !done[m] else { continue }
                setFromPreviousFrame(m)
                remaining -= 1
                heap.push(magnitude: magnitudes[m], bin: m, currentFrame: true)
                continue
            }
            if m + 1 < K && !done[m + 1] {
                phase[m + 1] = phase[m] + BinaryAngle(singlePrecisionRadians: 0.5 * (tau[m] + tau[m + 1]))
                done[m + 1] = true
                remaining -= 1
                heap.push(magnitude: magnitudes[m + 1], bin: m + 1, currentFrame: true)
            }
            if m > 0 && !done[m - 1] {
                phase[m - 1] = phase[m] - BinaryAngle(singlePrecisionRadians: 0.5 * (tau[m] + tau[m - 1]))
                done[m - 1] = true
                remaining -= 1
                heap.push(magnitude: magnitudes[m - 1], bin: m - 1, currentFrame: true)
            }
        }
    }

    /// Bytes of the state rebuilt every frame: the heap, tau, the done flags, the spectrum row.
    public static var scratchBytes: Int {
        MemoryLayout<BinHeap<K>>.size + MemoryLayout<InlineArray<K, Float>>.size
            + MemoryLayout<InlineArray<K, Bool>>.size + MemoryLayout<InlineArray<N, Float>>.size
    }

    /// What `integrateFrame` executes with `significant` bins above the tolerance, for the
    /// simulator (OperationCounter): the peak and threshold passes over all K bins, then at
    /// most 2 `significant` pushes and as many pops (each significant bin enters once from the
    /// previous frame and once when set; the loop may stop before the heap is empty), each pop
    /// followed by one phase step (a binary angle from radians) and its bookkeeping.
    static func integrationOperations(significant: Int) -> OperationMix {
        let scan = OperationMix(integer: 4, load: 3, store: 2, branch: 2, floatAdd: 2, floatMultiply: 1) * K
        let entries = 2 * significant
        let step = FloatMath.binaryAngleOperations + OperationMix(integer: 8, load: 5, store: 2, floatAdd: 1, floatMultiply: 1)
        return scan + BinHeap<K>.pushOperations * entries
            + (BinHeap<K>.popOperations(count: entries) + step) * entries
    }

    /// Time-direction step: phi(m) = phi_prev(m) + (omega_prev(m) + omega(m)) / 2.
    @inline(__always)
    mutating func setFromPreviousFrame(_ m: Int) {
        phase[m] = previousPhase[m] + BinaryAngle(singlePrecisionRadians: 0.5 * (previousOmega[m] + omega[m]))
        done[m] = true
    }
}

/// Uniform random binary angles from a 32-bit linear congruential generator (Numerical
/// Recipes' constants); deterministic, so inversions are reproducible bit for bit.
struct PhaseNoise {
    var state: UInt32 = 0x1234_5678

    mutating func next() -> BinaryAngle {
        state = state &* 1_664_525 &+ 1_013_904_223
        return BinaryAngle(raw: state)
    }
}
