/// The neural phase-derivative estimator (docs/ALGORITHMS.md, section 9; our design): a small CNN, trained
/// by Tools/cnn/train.py on speech, predicts from log-magnitudes the baseband time derivative
/// BPD and the frequency derivative FPD of every bin as unit-phasor pairs (c, s); the angles
/// are atan2(s, c) and the time derivative gets its nominal advance back:
///   tpd[k] = princarg(BPD[k] + 2 pi k H / N),   fpd[k] = FPD[k] (fpd[K-1] = 0, unused).
/// Trained for N = 512, H = 128, K = 257 only (precondition).
///
/// `.causal` runs the network every frame (no look-ahead); `.strided` every second frame with
/// one frame of look-ahead, emitting the second frame's derivatives from the stored output at
/// the next push. With `.mel80` input the mel network runs, and the delayed magnitudes it
/// hands on are its corrected ones (CNNInput), made consistent with the mel frame
/// (MelConsistency). State: features, network buffers and a
/// magnitude row, 13.6K Floats (54 kB).
public struct CNNEstimator: PhaseDerivativeEstimator {
    public let variant: CNNVariant
    public let precision: CNNPrecision
    public let input: CNNInput
    var features = CNNFeatures()
    var network = PhaseDerivativeNetwork()
    var previousMagnitudes = CNNFrame(repeating: 0)
    var framesSeen = 0

    public var lookahead: Int { variant == .strided ? 1 : 0 }

    public init(variant: CNNVariant = .causal, precision: CNNPrecision = .float32, input: CNNInput = .linear) {
        self.variant = variant
        self.precision = precision
        self.input = input
    }

    public mutating func reset() {
        features.reset()
        framesSeen = 0
    }

    public mutating func push(
        magnitudes: Span<Float>, delayedMagnitudes: inout MutableSpan<Float>,
        timeDerivative: inout MutableSpan<Float>, frequencyDerivative: inout MutableSpan<Float>
    ) -> Bool {
        let bins = CNNArchitecture.bins
        precondition(magnitudes.count == bins && delayedMagnitudes.count == bins && timeDerivative.count == bins
            && frequencyDerivative.count == bins, "CNNEstimator: the network is trained for 257 bins")
        let step = variant.schedule(framesSeen: framesSeen)
        framesSeen += 1
        // The delayed frame is the newest (causal) or the one before it (strided); then the
        // newest, bounded once, becomes the stored frame and the features' newest row.
        for k in 0..<bins {
            let a = MagnitudeRange.bounded(magnitudes[k])
            if step.ready { delayedMagnitudes[k] = variant == .causal ? a : previousMagnitudes[k] }
            previousMagnitudes[k] = a
        }
        // Per bin the bound, the delay line's loads and stores, and pushFeatures' copy of it.
        OperationCounter.record(.features, (MagnitudeRange.operations + OperationMix(integer: 6, load: 3, store: 3, branch: 2)) * bins)
        pushFeatures()
        guard step.ready else { return false }
        if step.runs { runNetwork() }
        writeDerivatives(outputFrame: step.outputFrame, timeDerivative: &timeDerivative, frequencyDerivative: &frequencyDerivative)
        if input.correctsMagnitudes { correctMagnitudes(outputFrame: step.outputFrame, &delayedMagnitudes) }
        return true
    }

    /// The stored (bounded) frame becomes the features' newest row. It goes through a local
    /// copy of the 1 kB frame: a span of `previousMagnitudes` taken while `features`, another
    /// part of self, is mutated made the compiler copy all of self, network buffers included
    /// (a 52 kB stack frame and 26 k instructions per frame on the Cortex-M4).
    mutating func pushFeatures() {
        let newest = previousMagnitudes
        features.push(magnitudes: newest.span)
    }

    mutating func runNetwork() {
        switch (variant, input, precision) {
        case (.causal, .linear, .float32): run(&CNNWeights.causalFloat32)
        case (.causal, .linear, .float16): run(halves: &CNNWeights.causalFloat16Bits)
        case (.strided, .linear, .float32): run(&CNNWeights.stridedFloat32)
        case (.strided, .linear, .float16): run(halves: &CNNWeights.stridedFloat16Bits)
        case (.causal, .mel80, .float32): run(&CNNWeights.causalMel80Float32)
        case (.causal, .mel80, .float16): run(halves: &CNNWeights.causalMel80Float16Bits)
        case (.strided, .mel80, .float32): run(&CNNWeights.stridedMel80Float32)
        case (.strided, .mel80, .float16): run(halves: &CNNWeights.stridedMel80Float16Bits)
        }
    }

    /// Evaluates the network with a Float32 table, read in place (GeneratedTable).
    mutating func run<let W: Int>(_ table: inout InlineArray<W, Float>) {
        GeneratedTable.withSpan(&table) { network.evaluate(features, weights: $0, variant: variant, input: input) }
    }

    /// Evaluates the network with a table of Float16 bit patterns, read in place as Float16.
    mutating func run<let W: Int>(halves table: inout InlineArray<W, UInt16>) {
        GeneratedTable.withSpan(&table, as: Float16.self) { network.evaluate(features, weights: $0, variant: variant, input: input) }
    }

    /// Turns output frame `frame`'s phasor pairs into the derivatives the integrator takes.
    func writeDerivatives(outputFrame frame: Int, timeDerivative: inout MutableSpan<Float>, frequencyDerivative: inout MutableSpan<Float>) {
        let bins = CNNArchitecture.bins, row = input.frameOutputs * frame * bins
        let n = CNNArchitecture.frameLength, hop = CNNArchitecture.hop
        let pi: Float = 3.141_592_7
        for k in 0..<bins {
            let baseband = FloatMath.atan2(network.output[row + bins + k], network.output[row + k])
            // The nominal advance 2 pi k H / N, reduced to [0, 2 pi) exactly in integers first.
            var tpd = baseband + 2 * pi * Float(k * hop % n) / Float(n)
            if tpd > pi { tpd -= 2 * pi }
            timeDerivative[k] = tpd
            frequencyDerivative[k] = FloatMath.atan2(network.output[row + 3 * bins + k], network.output[row + 2 * bins + k])
        }
        frequencyDerivative[bins - 1] = 0
        OperationCounter.record(
            .derivatives,
            (FloatMath.atan2Operations * 2 + OperationMix(integer: 14, load: 4, store: 2, branch: 2, floatAdd: 3, floatMultiply: 2)) * bins)
    }

    /// Replaces the delayed frame's magnitudes a (bounded, as pushed) by the mel network's
    /// corrected ones, a' = (a + floor) e^g with g output frame `frame`'s fifth channel and
    /// floor the features' (CNNArchitecture.logFloor: ln(a + floor) is what the network read).
    /// g is clamped to the features' range, +-16 (e^16 = 8.9e6), and a' bounded like any
    /// magnitude (MagnitudeRange), so no output of the network makes a' non-finite.
    /// MelConsistency then brings a' back to the mel frame that a was the pseudo-inverse of.
    func correctMagnitudes(outputFrame frame: Int, _ magnitudes: inout MutableSpan<Float>) {
        let bins = CNNArchitecture.bins, row = (input.frameOutputs * frame + 4) * bins
        let range = CNNArchitecture.logRange
        let levels = MelConsistency.levels(of: magnitudes.span)
        defer { MelConsistency.apply(&magnitudes, levels: levels) }
        for k in 0..<bins {
            let g = min(max(network.output[row + k], -range), range)
            magnitudes[k] = MagnitudeRange.bounded((magnitudes[k] + CNNArchitecture.logFloor) * FloatMath.exp(g))
        }
        OperationCounter.record(
            .derivatives,
            (FloatMath.exp2Operations + MagnitudeRange.operations + OperationMix(integer: 2, load: 2, store: 1, branch: 1, floatAdd: 3, floatMultiply: 2)) * bins)
    }
}

extension LeastSquaresPhaseIntegrator {
    /// The least-squares weights tuned for a CNN variant and what its network is given.
    /// Linear magnitudes: a grid over p in {0.5, 0.75, 1, 1.5} and gamma in {2, 5, 10, 20} on
    /// 16 dev files scored by WB-PESQ (Tools/cnn/prototype.py --grid). The mel networks'
    /// corrected magnitudes: a grid through the CLI on the dev split (Tools/cnn/RESULTS.md).
    /// Those magnitudes are estimates whose peaks are least certain, so they want a flatter
    /// weighting (p = 1.25, after the mel-consistency steps) than true magnitudes do; the
    /// strided network also wants the stronger coupling across frequency that the causal one
    /// already has. The surfaces are flat near their optima (+-0.01 to 0.02 WB-PESQ).
    public static func tuned(for variant: CNNVariant, input: CNNInput = .linear) -> Self {
        let weights = tunedWeights(for: variant, input: input)
        return Self(exponent: weights.exponent, coupling: weights.coupling)
    }

    /// The exponent and coupling of `tuned(for:input:)` (epsilon keeps its default).
    public static func tunedWeights(for variant: CNNVariant, input: CNNInput = .linear) -> (exponent: Float, coupling: Float) {
        switch (variant, input) {
        case (.causal, .linear): (1.5, 10)
        case (.strided, .linear): (1.5, 2)
        case (.causal, .mel80): (1.25, 10)
        case (.strided, .mel80): (1.25, 10)
        }
    }
}
