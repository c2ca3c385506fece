import ArgumentParser
import RephaseCore
import RephaseOffline

/// The inversion methods the tool offers, by their command-line names.
enum InversionMethod: String, CaseIterable, ExpressibleByArgument {
    case cnn
    case cnnStrided = "cnn-strided"
    case cnnLA = "cnn-la"
    case pghi
    case rtpghi
    case rtisiLA = "rtisi-la"
    case spsi
    case mcnn
    case fgla
    case admm
    case cascade

    /// The best online method available: what `invert` uses when no method is named (the
    /// causal CNN: best dev-split quality at no look-ahead, docs/RESULTS.md).
    static let bestOnline = InversionMethod.cnn

    /// The core's streaming method of the same name (ProductMethod), or nil for the methods
    /// that need the whole utterance (host only).
    var product: ProductMethod? { ProductMethod.allCases.first { $0.name == rawValue } }

    /// Whether the method works frame by frame (the core's streaming inverters), or needs the
    /// whole utterance (host only).
    var isOnline: Bool { product != nil }

    /// Whether the method only inverts mel spectrograms (MelInversion.swift).
    var needsMel: Bool { self == .admm || self == .cascade }

    /// Default look-ahead in frames and the accepted ones.
    var lookahead: (default: Int, range: ClosedRange<Int>) {
        switch self {
        case .cnn: return (0, 0...0)
        case .cnnStrided: return (1, 1...1)
        case .cnnLA: return (3, 0...ProductInverters.CNNLA.maxLookahead)
        case .pghi, .rtpghi: return (0, 0...1)
        case .rtisiLA: return (3, 0...ProductInverters.RTISILA.maxLookahead)
        case .mcnn: return (MCNNInverter.lookahead, MCNNInverter.lookahead...MCNNInverter.lookahead)
        case .spsi, .fgla, .admm, .cascade: return (0, 0...0)
        }
    }

    /// Default iterations, where the method iterates.
    var iterations: Int? {
        switch self {
        case .rtisiLA: return 5
        case .cnnLA: return 2
        case .fgla: return 32
        case .admm, .cascade: return MelInversionSettings.defaultIterations
        case .cnn, .cnnStrided, .pghi, .rtpghi, .spsi, .mcnn: return nil
        }
    }

    /// Arithmetic formats the method runs in (`--format`): its configurations in the core's
    /// registry (ProductConfiguration); Float32 for the offline methods.
    var formats: [ArithmeticFormat] { product?.formats.map(ArithmeticFormat.init) ?? [.f32] }
}

/// The arithmetic of the core's kernels: Float32, Float16 storage with Float32 arithmetic, or
/// Q15 (integer network and synthesis, Float32 least squares: Q15PhaseGradientInverter; for
/// mcnn the whole network: Q15MCNNInverter; for spsi integers throughout: Q15SPSIInverter).
enum ArithmeticFormat: String, CaseIterable, ExpressibleByArgument {
    case f32, f16, q15

    init(_ format: ProductFormat) { self.init(rawValue: format.name)! }

    /// The core's format of the same name.
    var product: ProductFormat { ProductFormat.allCases.first { $0.name == rawValue }! }
}

/// Settings of one inversion, checked against the method.
struct InversionSettings {
    var method: InversionMethod
    var lookahead: Int
    var iterations: Int
    var format: ArithmeticFormat
    /// Least-squares weights given on the command line (nil: tuned, see `integrator`).
    var weightExponent: Float?
    var coupling: Float?
    /// Momentum of cnn-la's refinement or of Fast Griffin-Lim (fgla, cascade), where given
    /// (nil: the method's default).
    var momentum: Float?
    /// What the CNN methods' network is given: linear magnitudes, or the streaming mel
    /// stage's (MelInversionSettings sets it).
    var networkInput = CNNInput.linear

    init(method: InversionMethod, lookahead: Int?, iterations: Int?, format: ArithmeticFormat = .f32) throws(UserError) {
        self.method = method
        guard method.formats.contains(format) else {
            throw UserError("--format \(format.rawValue) is not available for \(method.rawValue); it runs in \(method.formats.map(\.rawValue).joined(separator: ", "))")
        }
        self.format = format
        let accepted = method.lookahead
        self.lookahead = lookahead ?? accepted.default
        guard accepted.range.contains(self.lookahead) else {
            let values = accepted.range.count == 1 ? "\(accepted.range.lowerBound)" : "in \(accepted.range)"
            throw UserError("--lookahead for \(method.rawValue) must be \(values), got \(self.lookahead)")
        }
        if let iterations {
            guard method.iterations != nil else {
                throw UserError("--iterations does not apply to \(method.rawValue)")
            }
            let least = method.isOnline && method != .cnnLA ? 1 : 0  // offline methods and cnn-la accept 0
            guard (least...Self.mostIterations).contains(iterations) else {
                throw UserError("--iterations for \(method.rawValue) must be in \(least)...\(Self.mostIterations), got \(iterations)")
            }
        }
        self.iterations = iterations ?? method.iterations ?? 0
    }

    /// The most iterations accepted, per frame or in total: far past where every method has
    /// converged (docs/RESULTS.md sweeps to 200), and short of runs that would take days.
    static let mostIterations = 10_000
    /// Weights are (a / peak)^p: past p = 16 all but the peak bin underflow to 0.
    static let largestWeightExponent: Float = 16
    /// Coupling weights multiply products of weights in [0, 1]; 1e6 is far past any tuned value (2 to 10).
    static let largestCoupling: Float = 1e6

    /// Sets the least-squares weights p and gamma, where given.
    mutating func setWeights(exponent: Float?, coupling: Float?) throws(UserError) {
        guard exponent != nil || coupling != nil else { return }
        guard [.pghi, .cnn, .cnnStrided, .cnnLA].contains(method) else {
            throw UserError("--weight-exponent and --coupling apply to the least-squares methods (pghi, cnn, cnn-strided, cnn-la), not \(method.rawValue)")
        }
        if let exponent {
            guard exponent > 0, exponent <= Self.largestWeightExponent else {
                throw UserError("--weight-exponent must be in (0, \(Self.largestWeightExponent)], got \(exponent)")
            }
            weightExponent = exponent
        }
        if let coupling {
            guard coupling > 0, coupling <= Self.largestCoupling else {
                throw UserError("--coupling must be in (0, \(Self.largestCoupling)], got \(coupling)")
            }
            self.coupling = coupling
        }
    }

    /// Weights of the least-squares integrator (pghi, cnn, cnn-strided, cnn-la): tuned per
    /// estimator and for what its network is given (`networkInput`), unless given.
    var integrator: ProductIntegrator {
        method.product?.integrator(input: networkInput, exponent: weightExponent, coupling: coupling) ?? ProductIntegrator()
    }

    /// Sets the momentum of the look-ahead methods' projections or of Fast Griffin-Lim, where given.
    mutating func setMomentum(_ momentum: Float?) throws(UserError) {
        guard let momentum else { return }
        guard [.cnnLA, .rtisiLA, .fgla, .cascade].contains(method) else {
            throw UserError("--momentum applies to cnn-la, rtisi-la, fgla and cascade, not \(method.rawValue)")
        }
        guard momentum >= 0 && momentum < 1 else { throw UserError("--momentum must be in [0, 1), got \(momentum)") }
        self.momentum = momentum
    }

    /// Algorithmic latency in samples of the online methods (0 for offline ones).
    var latencySamples: Int {
        struct Latency: InverterVisitor {
            func visit<I: MagnitudeInverter>(_ inverter: inout I) -> Int { inverter.latency }
        }
        return method.isOnline ? withOnlineInverter(Latency()) : 0
    }

    /// Fast Griffin-Lim (fgla, and the cascade's second stage) at these iterations and momentum.
    var fastGriffinLim: ProductFastGriffinLim {
        momentum.map { ProductFastGriffinLim(iterations: iterations, momentum: $0) } ?? ProductFastGriffinLim(iterations: iterations)
    }

    /// Rebuilds `length` samples from `magnitudes` with the chosen method.
    func invert(
        _ magnitudes: MagnitudeSpectrogram, length: Int, progress: ((Int, Int) -> Void)?
    ) -> [Float] {
        guard method.isOnline else {
            return fastGriffinLim.reconstruct(magnitudes, length: length)
        }
        return withOnlineInverter(WholeSignalInversion(magnitudes: magnitudes, length: length, progress: progress))
    }

    /// Builds the online method's inverter and hands it to `visitor` (generic code, no
    /// existential: each method's loop is compiled for its own inverter type).
    func withOnlineInverter<V: InverterVisitor>(_ visitor: V) throws(V.Failure) -> V.Result {
        let precision = format.product.precision
        switch method {
        case .cnn, .cnnStrided:
            let variant: CNNVariant = method == .cnn ? .causal : .strided
            if format == .q15 && variant == .causal {
                var inverter = ProductInverters.q15CNN(input: networkInput, integrator: integrator)
                return try visitor.visit(&inverter)
            }
            if format == .q15 {
                var inverter = ProductInverters.q15StridedCNN(input: networkInput, integrator: integrator)
                return try visitor.visit(&inverter)
            }
            var inverter = ProductInverters.cnn(variant, precision, input: networkInput, integrator: integrator)
            return try visitor.visit(&inverter)
        case .cnnLA:
            var inverter = ProductInverters.cnnLA(
                precision, input: networkInput, integrator: integrator, lookahead: lookahead, iterations: iterations,
                momentum: momentum ?? ProductInverters.CNNLA.defaultMomentum)
            return try visitor.visit(&inverter)
        case .pghi:
            if format == .q15 {
                var inverter = ProductInverters.q15PGHI(lookahead: lookahead, integrator: integrator)
                return try visitor.visit(&inverter)
            }
            var inverter = ProductInverters.pghi(lookahead: lookahead, integrator: integrator)
            return try visitor.visit(&inverter)
        case .rtpghi:
            var inverter = ProductInverters.rtpghi(lookahead: lookahead)
            return try visitor.visit(&inverter)
        case .rtisiLA:
            var inverter = ProductInverters.rtisiLA(
                lookahead: lookahead, iterations: iterations, momentum: momentum ?? ProductInverters.RTISILA.defaultMomentum)
            return try visitor.visit(&inverter)
        case .spsi:
            if format == .q15 {
                var inverter = ProductInverters.Q15SPSI()
                return try visitor.visit(&inverter)
            }
            var inverter = ProductInverters.SPSI()
            return try visitor.visit(&inverter)
        case .mcnn:
            if format == .q15 {
                var inverter = Q15MCNNInverter()
                return try visitor.visit(&inverter)
            }
            var inverter = MCNNInverter(precision: precision)
            return try visitor.visit(&inverter)
        case .fgla, .admm, .cascade:
            preconditionFailure("withOnlineInverter: \(method.rawValue) is not an online method")
        }
    }
}

/// Runs a streaming inverter over a whole spectrogram (`invertStreaming`).
struct WholeSignalInversion: InverterVisitor {
    let magnitudes: MagnitudeSpectrogram
    let length: Int
    let progress: ((Int, Int) -> Void)?
    func visit<I: MagnitudeInverter>(_ inverter: inout I) -> [Float] {
        invertStreaming(&inverter, magnitudes, hop: ProductSTFT.hop, length: length, progress: progress)
    }
}

/// Work to do with whichever streaming inverter the settings name.
protocol InverterVisitor {
    associatedtype Result
    associatedtype Failure: Error = Never
    func visit<I: MagnitudeInverter>(_ inverter: inout I) throws(Failure) -> Result
}
