/// The running level that normalises MCNN's input and scales its output back (the network's
/// own, Tools/mcnn/network.py), shared by the Float and the Q15 inverter, in Float32: with m_t
/// the largest scaled magnitude of frame t, g_t = max(m_t, decay g_(t-1), floor) from g_(-1) =
/// floor; the network reads frame t divided by g_t, and the hop it emits after frame t is
/// multiplied by g_(t - lag), lag = delay / hop (the level of the frame that ends with those
/// signal samples; floor while t < lag). Scaling the input by c above the floor scales the
/// output by c. State: the newest level and the lag before it, in a ring.
struct MCNNLevel {
    var levels = MCNNLevels(repeating: MCNNArchitecture.levelFloor)
    var newest = 0

    /// Takes frame t's peak m_t and returns g_t.
    mutating func next(peak: Float) -> Float {
        let decayed = MCNNArchitecture.levelDecay * levels[newest]
        newest = newest == levels.count - 1 ? 0 : newest + 1
        let g = max(peak, decayed, MCNNArchitecture.levelFloor)
        levels[newest] = g
        return g
    }

    /// g_(t - lag) after `next` took frame t: the oldest level of the ring.
    var outputGain: Float { levels[newest == levels.count - 1 ? 0 : newest + 1] }

    /// Operations of `next` and `outputGain`, and a reciprocal of g_t.
    static var operations: OperationMix { OperationMix(integer: 4, load: 2, store: 2, floatAdd: 2, floatMultiply: 1, floatDivide: 1) }
}
