/// The stages of the core that the cost model accounts separately: every operation a kernel
/// reports (OperationCounter.record) is charged to one of them, and the simulator prints
/// cycles per stage.
package enum Kernel: Int {
    /// Forward and inverse FFTs (Float32 and Q15), split and merge of real spectra included.
    case fft
    /// Windowing, overlap-add and the conversions around it (STFT analysis and synthesis).
    case synthesis
    /// Network input features: log-magnitudes and their normalisation.
    case features
    /// The phase-derivative network's convolutions.
    case network
    /// Phase derivatives from magnitudes or network outputs (PGHI differences, atan2).
    case derivatives
    /// The least-squares integrator around its solver: weights, phasors, right-hand sides.
    case integrator
    /// The tridiagonal factorisation and solve.
    case solver
    /// Consistency projections of iterative methods (imposing magnitudes, RTISI-LA).
    case projection
    /// The heap-ordered integration of RTPGHI.
    case heap
    /// Mel spectra to linear magnitudes (and the mel filterbank itself).
    case mel
    /// SPSI's peak picking, peak interpolation and lobe phases.
    case peaks

    /// How many stages there are (raw values are 0 ..< count).
    package static var count: Int { 11 }

    /// The stage with raw value `index` (0 ..< count).
    package static func at(_ index: Int) -> Kernel {
        guard let kernel = Kernel(rawValue: index) else { preconditionFailure("Kernel.at: no stage \(index)") }
        return kernel
    }

    /// The stage's name in reports.
    package var name: StaticString {
        switch self {
        case .fft: "fft"
        case .synthesis: "synthesis"
        case .features: "features"
        case .network: "network"
        case .derivatives: "derivatives"
        case .integrator: "integrator"
        case .solver: "solver"
        case .projection: "projection"
        case .heap: "heap"
        case .mel: "mel"
        case .peaks: "peaks"
        }
    }
}
