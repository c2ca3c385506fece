/// The CNN estimator's memory beyond its state, for the simulator's report.
extension CNNEstimator {
    /// Flash bytes of the weight table this estimator's variant and precision read.
    public var weightTableBytes: Int {
        switch (variant, precision) {
        case (.causal, .float32): MemoryLayout.size(ofValue: CNNWeights.causalFloat32)
        case (.causal, .float16): MemoryLayout.size(ofValue: CNNWeights.causalFloat16)
        case (.strided, .float32): MemoryLayout.size(ofValue: CNNWeights.stridedFloat32)
        case (.strided, .float16): MemoryLayout.size(ofValue: CNNWeights.stridedFloat16)
        }
    }

    /// Bytes of the network buffers every evaluation rewrites before reading them (its input
    /// rows and the two activation buffers); the output rows are state, since the strided
    /// variant emits its second frame from them one push later.
    public static var scratchBytes: Int {
        MemoryLayout<CNNInputRows>.size + 2 * MemoryLayout<CNNActivations>.size
    }
}
