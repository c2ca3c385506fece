/// The CNN estimator's memory beyond its state, for the simulator's report.
extension CNNEstimator {
    /// Flash bytes of the weight table this estimator's network and precision read (the
    /// tables are InlineArrays of exactly that many weights; CNNWeightsTests checks their counts).
    public var weightTableBytes: Int {
        PhaseDerivativeNetwork.weightCount(variant, input) * (precision == .float32 ? MemoryLayout<Float>.size : MemoryLayout<Float16>.size)
    }

    /// Flash bytes of every constant table this estimator reads: its network's weights, and
    /// for mel input the mel-consistency tables.
    public var tableBytes: Int { weightTableBytes + (input.correctsMagnitudes ? MelConsistency.tableBytes : 0) }

    /// Bytes of the network buffers every evaluation rewrites before reading them (its input
    /// rows and the two activation buffers); the output rows are state, since the strided
    /// variant emits its second frame from them one push later.
    public static var scratchBytes: Int {
        MemoryLayout<CNNInputRows>.size + 2 * MemoryLayout<CNNActivations>.size
    }
}

/// The Q15 estimator's memory beyond its state, for the simulator's report.
extension Q15CNNEstimator {
    /// Flash bytes of the Q15 tables of this estimator's network: weights, start values and
    /// shifts (counts the network's evaluation checks against the tables), and a mel network's
    /// correction gain.
    public var weightTableBytes: Int {
        let counts = Q15PhaseDerivativeNetwork.tableCounts(variant, input)
        return counts.weights * MemoryLayout<Int16>.size + (counts.channels + counts.layers) * MemoryLayout<Int32>.size
            + (input.correctsMagnitudes ? MemoryLayout<Int32>.size : 0)
    }

    /// Flash bytes of every constant table this estimator reads: its network's, and for mel
    /// input the mel-consistency tables.
    public var tableBytes: Int { weightTableBytes + (input.correctsMagnitudes ? Q15MelConsistency.tableBytes : 0) }

    /// The network buffers every evaluation rewrites before reading them (input rows, hidden
    /// and depthwise activations), less the head's outputs, which are state, as in
    /// CNNEstimator.
    public static var scratchBytes: Int {
        MemoryLayout<Q15PhaseDerivativeNetwork>.size - Q15PhaseDerivativeNetwork.outputRange.count * MemoryLayout<Int16>.size
    }
}
