/// Which trained network a CNNEstimator runs (the tables in CNNWeights.swift).
///
/// The strided case comes first because the order sets the stored tag: the shipped
/// microcontroller configuration (Q15 strided) then starts as zero bytes from end to end, and
/// its static state lies in .bss instead of being copied from flash.
public enum CNNVariant: Sendable {
    /// Runs every second frame on frames t+1, t, ..., t-3 and emits the derivatives of frames
    /// t and t+1: half the network cost for one hop of look-ahead.
    case strided
    /// Runs every frame on frames t, t-1, t-2, t-3: derivatives of frame t, no look-ahead.
    case causal

    /// Frames the network reads (rows of its input).
    var inputFrames: Int { CNNArchitecture.pastFrames + (self == .strided ? 1 : 0) }

    /// Channels of the network's hidden layers.
    var channels: Int { self == .strided ? CNNArchitecture.stridedChannels : CNNArchitecture.causalChannels }

    /// Frames of derivatives one evaluation yields (four output channels each).
    var outputFrames: Int { self == .strided ? 2 : 1 }

    /// What an estimator does when frame number `framesSeen` (0 for the first) arrives:
    /// whether derivatives are ready, whether the network runs, and which of its output frames
    /// holds the derivatives to emit. Causal: every frame, run, frame 0. Strided: the first
    /// frame waits; odd frames run the network for the previous frame and themselves and emit
    /// the previous (output frame 0); even frames emit their predecessor's from the stored
    /// output (frame 1). The emitted frame is the newest (causal) or the previous one (strided).
    func schedule(framesSeen: Int) -> (ready: Bool, runs: Bool, outputFrame: Int) {
        switch self {
        case .causal: (true, true, 0)
        case .strided: framesSeen == 0 ? (false, false, 0) : framesSeen % 2 == 1 ? (true, true, 0) : (true, false, 1)
        }
    }
}

/// How the weights are stored; the arithmetic is Float32 either way (NetworkWeight).
public enum CNNPrecision: Sendable {
    case float32
    case float16
}
