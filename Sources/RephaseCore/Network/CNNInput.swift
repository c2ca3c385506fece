/// What a CNNEstimator's magnitudes are, and so which trained network it runs (the tables in
/// CNNWeights.swift).
///
/// The streaming mel path (MelInverter) hands the estimator the mel -> linear stage's
/// pseudo-inverse, a smeared spectrum the linear network never saw in training. The mel
/// network is trained on exactly that input, and its head has a fifth channel per output
/// frame, a correction g of the log-magnitudes: the estimator hands on
/// a' = (a + floor) e^g instead of a, so the least squares and the synthesis get magnitudes
/// closer to the true ones as well as better derivatives.
public enum CNNInput: Sendable {
    /// True STFT magnitudes (or an enhancer's estimate of them).
    case linear
    /// The pseudo-inverse of an 80-band mel frame (MelToLinear with no projected-gradient
    /// steps) of the Slaney filterbank from 0 Hz to fs / 2: the input the mel networks are
    /// trained on (CNNArchitecture.melBands).
    case mel80

    /// Head channels per output frame: (c_b, s_b, c_f, s_f), then g for mel input.
    var frameOutputs: Int { self == .linear ? 4 : 5 }

    /// Whether the head corrects the magnitudes it is given.
    var correctsMagnitudes: Bool { self != .linear }
}
