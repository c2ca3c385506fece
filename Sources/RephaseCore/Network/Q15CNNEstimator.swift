/// The neural phase-derivative estimator in Q15 (integer arithmetic from the magnitudes to
/// the derivatives): Q15CNNFeatures, Q15PhaseDerivativeNetwork with CNNQ15Weights, then the
/// angles of the output phasor pairs by the fixed-point CORDIC atan2, which are binary angles:
///   tpd[k] = atan2(s_b, c_b) + k H / N turns (exact: k 2^32 H / N), fpd[k] = atan2(s_f, c_f),
/// the same definitions as CNNEstimator. The strided variant's schedule is the Float32 one
/// (CNNVariant.schedule). State: features, network buffers and the previous frame's
/// mantissas, 30 kB.
public struct Q15CNNEstimator: Q15PhaseDerivativeEstimator {
    public let variant: CNNVariant
    var features = Q15CNNFeatures()
    var network = Q15PhaseDerivativeNetwork()
    var previousMantissas = InlineArray<257, UInt32>(repeating: 0)
    var previousExponent = 0
    var framesSeen = 0

    public var lookahead: Int { variant == .strided ? 1 : 0 }

    public init(variant: CNNVariant = .causal) {
        self.variant = variant
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
            for k in 0..<bins { previousMantissas[k] = mantissas[k] }
            previousExponent = exponent
            framesSeen += 1
        }
        let step = variant.schedule(framesSeen: framesSeen)
        guard step.ready else { return false }
        if step.runs { network.evaluate(features, variant: variant) }
        for k in 0..<bins { delayedMantissas[k] = variant == .causal ? mantissas[k] : previousMantissas[k] }
        delayedExponent = variant == .causal ? exponent : previousExponent
        writeDerivatives(outputFrame: step.outputFrame, timeDerivative: &timeDerivative, frequencyDerivative: &frequencyDerivative)
        return true
    }

    /// The derivatives of output frame `frame` (its four channels c_b, s_b, c_f, s_f per bin).
    func writeDerivatives(
        outputFrame frame: Int, timeDerivative: inout MutableSpan<BinaryAngle>, frequencyDerivative: inout MutableSpan<BinaryAngle>
    ) {
        let bins = CNNArchitecture.bins, stride = 4 * variant.outputFrames, first = 4 * frame
        // k H / N of a turn as a binary angle: k 2^32 H / N, exact for N dividing 2^32 H.
        // (In Int64: Int is 32 bits on a Cortex-M, where 1 << 32 would be 0.)
        let advance = UInt32(truncatingIfNeeded: (Int64(1) << 32) * Int64(CNNArchitecture.hop) / Int64(CNNArchitecture.frameLength))
        for k in 0..<bins {
            let row = k * stride + first
            let baseband = FixedTrig.atan2(y: Int32(network.output[row + 1]), x: Int32(network.output[row]))
            timeDerivative[k] = baseband + BinaryAngle(raw: UInt32(truncatingIfNeeded: k) &* advance)
            frequencyDerivative[k] = FixedTrig.atan2(y: Int32(network.output[row + 3]), x: Int32(network.output[row + 2]))
        }
        frequencyDerivative[bins - 1] = .zero
        OperationCounter.record(.derivatives, (FixedTrig.atan2Operations * 2 + OperationMix(integer: 3, load: 4, store: 2, branch: 1)) * bins)
    }
}
