/// The neural phase-derivative estimator in Q15 (integer arithmetic from the magnitudes to
/// the derivatives): Q15CNNFeatures, Q15PhaseDerivativeNetwork with Q15CNNWeights, then the
/// angles of the output phasor pairs by the fixed-point atan2 (FixedTrig), which are binary angles:
///   tpd[k] = atan2(s_b, c_b) + k H / N turns (exact: k 2^32 H / N), fpd[k] = atan2(s_f, c_f),
/// the same definitions as CNNEstimator.
///
/// The strided network is spread over the two hops it serves, so that no frame carries all
/// of it (a microcontroller's budget is set by its worst frame): the odd frame that completes
/// its input runs the first half (Q15PhaseDerivativeNetwork.firstHalf), the next frame the
/// second half. Its derivatives are therefore ready one hop later than the Float32 strided
/// estimator's: two frames of look-ahead instead of one, 8 ms more latency, the same
/// derivatives (and so the same output, delayed by one hop). The network cannot start
/// earlier: every stage depends on the newest frame, through layer 0 and the features'
/// normalisation by that frame's peak.
/// With `.mel80` input the mel network runs, and the delayed frame it hands on is corrected by
/// its magnitude channel (Q15MagnitudeCorrection) and made consistent with the mel frame
/// (Q15MelConsistency), as CNNEstimator does in Float32.
/// State: features, network buffers and the two previous frames' mantissas, 24 kB.
///
/// `Channels` is the network's width (CNNVariant.channels; the generated
/// Q15CausalCNNEstimator and Q15StridedCNNEstimator name each variant's), a type parameter
/// so that the network's kernels are specialised for it and an image links its own
/// network's kernels only: each width's copy of Q15Convolution is some 40 kB of flash.
public struct Q15CNNEstimator<let Channels: Int>: Q15PhaseDerivativeEstimator {
    public let variant: CNNVariant
    public let input: CNNInput
    var features = Q15CNNFeatures()
    var network = Q15PhaseDerivativeNetwork()
    /// The previous frame's mantissas and exponent, then the one before.
    var previousMantissas = InlineArray<257, UInt32>(repeating: 0)
    var previousExponent = 0
    var olderMantissas = InlineArray<257, UInt32>(repeating: 0)
    var olderExponent = 0
    var framesSeen = 0

    /// The network's kernels, specialised for its width.
    typealias Kernels = Q15Convolution<Channels>

    public var lookahead: Int { variant == .strided ? 2 : 0 }

    /// What happens when frame number `framesSeen` (0 for the first) arrives: whether
    /// derivatives are ready (those of frame framesSeen - lookahead), which network steps run
    /// and which output frame of the network holds the derivatives. Strided: odd frames run the
    /// first half and, from frame 3 on, emit the second output frame of the evaluation that
    /// finished on the frame before; even frames from 2 on finish the evaluation and emit its
    /// first output frame.
    func schedule(framesSeen n: Int) -> (ready: Bool, steps: Range<Int>, outputFrame: Int) {
        switch variant {
        case .causal: (true, Q15PhaseDerivativeNetwork.steps(variant), 0)
        case .strided:
            n == 0 ? (false, 0..<0, 0)
                : n % 2 == 1 ? (n >= 3, Q15PhaseDerivativeNetwork.firstHalf, 1) : (true, Q15PhaseDerivativeNetwork.secondHalf, 0)
        }
    }

    public init(variant: CNNVariant, input: CNNInput = .linear) {
        precondition(variant.channels == Channels, "Q15CNNEstimator: the variant's network has another width")
        self.variant = variant
        self.input = input
    }

    public mutating func reset() {
        features.reset()
        framesSeen = 0
    }

    public mutating func push(
        mantissas: Span<UInt32>, exponent: Int, delayedMantissas: inout MutableSpan<UInt32>, delayedExponent: inout Int,
        timeDerivative: inout MutableSpan<BinaryAngle>, frequencyDerivative: inout MutableSpan<BinaryAngle>
    ) -> Bool {
        let bins = CNNArchitecture.bins
        precondition(mantissas.count == bins && delayedMantissas.count == bins && timeDerivative.count == bins
            && frequencyDerivative.count == bins, "Q15CNNEstimator: the network is trained for 257 bins")
        features.push(mantissas: mantissas, exponent: exponent)
        defer {
            OperationCounter.record(.features, OperationMix(integer: 2, load: 2, store: 2, branch: 1) * bins)
            for k in 0..<bins {
                olderMantissas[k] = previousMantissas[k]
                previousMantissas[k] = mantissas[k]
            }
            olderExponent = previousExponent
            previousExponent = exponent
            framesSeen += 1
        }
        let step = schedule(framesSeen: framesSeen)
        if step.ready {
            for k in 0..<bins { delayedMantissas[k] = variant == .causal ? mantissas[k] : olderMantissas[k] }
            delayedExponent = variant == .causal ? exponent : olderExponent
        }
        // The network's outputs share memory with its input and working rows (see
        // Q15PhaseDerivativeNetwork), so a frame that emits an earlier evaluation's second
        // output frame (strided, odd frames) takes it before the next evaluation starts.
        let emitsStored = step.steps == Q15PhaseDerivativeNetwork.firstHalf
        if step.ready && emitsStored {
            emit(outputFrame: step.outputFrame, &delayedMantissas, &delayedExponent, &timeDerivative, &frequencyDerivative)
        }
        if step.steps.contains(0) { network.load(&features, rows: variant.inputFrames) }
        if !step.steps.isEmpty { network.evaluate(width: Kernels.self, variant: variant, input: input, steps: step.steps) }
        guard step.ready else { return false }
        if !emitsStored { emit(outputFrame: step.outputFrame, &delayedMantissas, &delayedExponent, &timeDerivative, &frequencyDerivative) }
        return true
    }

    /// What output frame `frame` gives the delayed frame: its derivatives, and for mel input
    /// its corrected, mel-consistent magnitudes.
    func emit(
        outputFrame frame: Int, _ mantissas: inout MutableSpan<UInt32>, _ exponent: inout Int,
        _ timeDerivative: inout MutableSpan<BinaryAngle>, _ frequencyDerivative: inout MutableSpan<BinaryAngle>
    ) {
        writeDerivatives(outputFrame: frame, timeDerivative: &timeDerivative, frequencyDerivative: &frequencyDerivative)
        guard input.correctsMagnitudes else { return }
        let stride = Q15PhaseDerivativeNetwork.headOutputs(variant, input), first = input.frameOutputs * frame + 4
        precondition((CNNArchitecture.bins - 1) * stride + first < network.outputCount)
        let levels = Q15MelConsistency.levels(of: mantissas.span, exponent: exponent)
        let corrected = network.withOutputs { output in
            Q15MagnitudeCorrection.apply(
                &mantissas, exponent: exponent, corrections: output + first, stride: stride,
                gain: Q15PhaseDerivativeNetwork.correctionGain(variant), floorQ55: Q15CNNFeatures.logFloorQ55)
        }
        exponent = Q15MelConsistency.apply(&mantissas, exponent: corrected, levels: levels)
    }

    /// The derivatives of output frame `frame` (its channels c_b, s_b, c_f, s_f per bin).
    func writeDerivatives(
        outputFrame frame: Int, timeDerivative: inout MutableSpan<BinaryAngle>, frequencyDerivative: inout MutableSpan<BinaryAngle>
    ) {
        let bins = CNNArchitecture.bins, stride = Q15PhaseDerivativeNetwork.headOutputs(variant, input), first = input.frameOutputs * frame
        // k H / N of a turn as a binary angle: k 2^32 H / N, exact for N dividing 2^32 H.
        // (In Int64: Int is 32 bits on a Cortex-M, where 1 << 32 would be 0.)
        let advance = UInt32(truncatingIfNeeded: (Int64(1) << 32) * Int64(CNNArchitecture.hop) / Int64(CNNArchitecture.frameLength))
        precondition(timeDerivative.count >= bins && frequencyDerivative.count >= bins && (bins - 1) * stride + first + 4 <= network.outputCount)
        // Raw pointers within the bounds checked above: checking each of the four reads and two
        // writes per bin cost about a fifth of the stage on the M4.
        network.withOutputs { output in
            timeDerivative.withUnsafeMutableBufferPointer { tpd in
                frequencyDerivative.withUnsafeMutableBufferPointer { fpd in
                    for k in 0..<bins {
                        let row = output + (k &* stride &+ first)
                        let baseband = FixedTrig.atan2(y: row[1], x: row[0])
                        tpd[k] = baseband + BinaryAngle(raw: UInt32(truncatingIfNeeded: k) &* advance)
                        fpd[k] = FixedTrig.atan2(y: row[3], x: row[2])
                    }
                }
            }
        }
        frequencyDerivative[bins - 1] = .zero
        // Per bin: the four outputs read, the advance, two stores.
        OperationCounter.record(.derivatives, (FixedTrig.atan2Operations * 2 + OperationMix(integer: 6, load: 5, store: 2, branch: 1)) * bins)
    }
}
