/// Which trained network a CNNEstimator runs (the tables in CNNWeights.swift).
public enum CNNVariant: Sendable {
    /// Runs every frame on frames t, t-1, t-2, t-3: derivatives of frame t, no look-ahead.
    case causal
    /// Runs every second frame on frames t+1, t, ..., t-3 and emits the derivatives of frames
    /// t and t+1: half the network cost for one hop of look-ahead.
    case strided

    /// Frames the network reads (rows of its input).
    var inputFrames: Int { CNNArchitecture.pastFrames + (self == .strided ? 1 : 0) }

    /// Frames of derivatives one evaluation yields (four output channels each).
    var outputFrames: Int { self == .strided ? 2 : 1 }
}

/// How the weights are stored; the arithmetic is Float32 either way (NetworkWeight).
public enum CNNPrecision: Sendable {
    case float32
    case float16
}
