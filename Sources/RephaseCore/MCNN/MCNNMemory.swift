/// MCNN's memory beyond its state, for the simulator's report.
extension MCNNInverter {
    /// Flash bytes of the weight table this precision reads (with its last row's padding).
    public var weightTableBytes: Int {
        switch precision {
        case .float32: MemoryLayout.size(ofValue: MCNNWeights.float32)
        case .float16: MemoryLayout.size(ofValue: MCNNWeights.float16Bits)
        }
    }

    /// The head's block and the heads' sum, rewritten every frame before they are read; the
    /// layers' input rows carry their history to the next frame, so they are state.
    public static var scratchBytes: Int { 2 * MemoryLayout<MCNNBlock<Float>>.size }
}

/// The Q15 MCNN's memory beyond its state, for the simulator's report.
extension Q15MCNNInverter {
    /// Flash bytes of all its tables: weights, per-channel biases, multipliers and shifts, the
    /// ELU tables, the head coefficients and the softsign table.
    public var weightTableBytes: Int {
        MemoryLayout.size(ofValue: Q15MCNNWeights.weights) + MemoryLayout.size(ofValue: Q15MCNNWeights.biases)
            + MemoryLayout.size(ofValue: Q15MCNNWeights.multipliers) + MemoryLayout.size(ofValue: Q15MCNNWeights.shifts)
            + MemoryLayout.size(ofValue: Q15MCNNWeights.eluTables) + MemoryLayout.size(ofValue: Q15MCNNWeights.coefficients)
            + MemoryLayout.size(ofValue: Q15MCNNWeights.softsign)
    }

    /// The head's block and the Int64 sum, and the Float interface's converted frame and samples.
    public var scratchBytes: Int {
        MemoryLayout.size(ofValue: rows.head) + MemoryLayout.size(ofValue: rows.sum) + MemoryLayout.size(ofValue: inputs)
            + MemoryLayout.size(ofValue: samples)
    }
}
