import ArgumentParser
import Foundation
import RephaseCore
import RephaseOffline
import RephaseReference

/// How `invert --mel BANDS` rebuilds a waveform from a mel spectrogram: offline by ADMM or
/// the cascade (NNLS magnitudes, then FGLA), or online by any streaming method behind the
/// core's mel -> linear stage (MelInverter).
struct MelInversionSettings {
    /// The bands and the encoding of the input.
    var input: MelInput
    var lambda: Double
    var rho: Double
    var progress: Bool
    /// Projected-gradient steps of the streaming mel -> linear stage.
    var steps: Int
    /// Where admm and cascade take their starting phases: the streaming inverter whose output
    /// gives them, or nil for seeded random phases. Both start from the NNLS magnitudes.
    var streamStart: InversionSettings?

    /// Starting phases of the offline mel inverters (`--start`).
    enum Start: String, CaseIterable, ExpressibleByArgument {
        /// Seeded random phases, the ADMM paper's start.
        case random
        /// The phases of the streaming `cnn`'s output (behind its mel network): the iterations
        /// refine a coherent estimate instead of building one from noise, for the cost of one
        /// streaming pass (on the host about what 15 Fast Griffin-Lim iterations cost).
        case stream
    }

    /// The start unless --start says otherwise (random where the band count has no streaming
    /// stage): on the dev split it puts both offline methods ahead of their random start,
    /// ADMM most (docs/RESULTS.md, mel section).
    static let defaultStart = Start.stream

    /// ADMM and cascade iterations unless --iterations says otherwise.
    static let defaultIterations = 100
    /// ADMM's weights, for librosa's Slaney-normalised filterbank (whose weights are about
    /// 1/30 of a unit-peak one, so the paper's lambda ~ 5000, rho ~ 0.1 do not carry over):
    /// the best PESQ and ESTOI of a small grid (lambda 1e-5 to 1000, rho 1e-7 to 1e-2) on two
    /// training files at 50 to 200 iterations.
    static let defaultLambda = 5.0
    static let defaultRho = 1e-5
    /// Accepted lambda and rho: the ridge mu = lambda rho / (lambda + rho) of F^T F + mu I must
    /// stay far above Float64 rounding of F^T F (whose null space is K - B wide) for its
    /// Cholesky factor to exist, and lambda |X| must stay finite.
    static let weightRange = 1e-9...1e9
    /// FISTA iterations of the NNLS magnitudes that start both offline methods.
    static let nnlsIterations = 100
    /// Projected-gradient steps of the streaming mel -> linear stage unless --mel-steps says
    /// otherwise: none. The steps fit the mel frame better but push bins to exactly 0 (NNLS
    /// solutions of an underdetermined system are sparse), which the CNN's log-magnitude
    /// features do not survive; pghi gains from them (docs/RESULTS.md, mel section).
    static let defaultSteps = 0
    /// Band counts the streaming stage is compiled for (its sizes are compile-time).
    static let streamingBands = [40, 64, 80, 128]
    /// Seed of the random initial phase of admm and cascade (the same for both).
    static let phaseSeed: UInt64 = 0

    /// The mel settings of a run, or nil without --mel; rejects combinations that do not
    /// make sense with one line each.
    static func make(
        input: MelInput?, method: InversionMethod, options: MelMethodOptions
    ) throws(UserError) -> MelInversionSettings? {
        if method != .admm, options.lambda != nil || options.rho != nil {
            throw UserError("--lambda and --rho apply to --method admm, not \(method.rawValue)")
        }
        if !method.needsMel, options.progress || options.start != nil {
            throw UserError("\(options.progress ? "--progress" : "--start") applies to --method admm and cascade, not \(method.rawValue)")
        }
        if let steps = options.melSteps {
            guard method.isOnline, input != nil else {
                throw UserError("--mel-steps applies to online methods with --mel, not \(input == nil ? "without --mel" : method.rawValue)")
            }
            guard (0...1000).contains(steps) else { throw UserError("--mel-steps must be in 0...1000, got \(steps)") }
        }
        guard let input else {
            if method.needsMel { throw UserError("--method \(method.rawValue) inverts mel spectrograms; give --mel BANDS") }
            return nil
        }
        if method == .fgla {
            throw UserError("fgla needs linear magnitudes; for mel input use --method cascade (NNLS magnitudes, then FGLA)")
        }
        if method.isOnline, !streamingBands.contains(input.bands.count) {
            throw UserError("online mel inversion is compiled for \(streamingBands.map(String.init).joined(separator: ", ")) bands, got --mel \(input.bands.count) (admm and cascade take any)")
        }
        let lambda = options.lambda ?? defaultLambda, rho = options.rho ?? defaultRho
        for (name, value) in [("--lambda", lambda), ("--rho", rho)] where !weightRange.contains(value) {
            throw UserError(String(format: "%@ must be in [%g, %g], got %g", name, weightRange.lowerBound, weightRange.upperBound, value))
        }
        var streamStart: InversionSettings?
        let streamable = streamingBands.contains(input.bands.count)
        if method.needsMel, options.start ?? (streamable ? defaultStart : .random) == .stream {
            guard streamable else {
                throw UserError("--start stream needs one of the streaming band counts \(streamingBands.map(String.init).joined(separator: ", ")), got --mel \(input.bands.count); use --start random")
            }
            streamStart = try InversionSettings(method: .cnn, lookahead: nil, iterations: nil)
        }
        return MelInversionSettings(
            input: input, lambda: lambda, rho: rho, progress: options.progress, steps: options.melSteps ?? defaultSteps,
            streamStart: streamStart)
    }

    /// Rebuilds `length` samples from `encoded` (B bands per frame, in the input's encoding)
    /// with `settings.method`: the online methods stream the encoded frames into the core,
    /// which decodes them; the offline ones decode them first.
    func invert(
        _ encoded: MagnitudeSpectrogram, with settings: InversionSettings, length: Int, progress: ((Int, Int) -> Void)?
    ) -> [Float] {
        guard settings.method.needsMel else {
            return withOnlineInverter(settings, WholeSignalInversion(magnitudes: encoded, length: length, progress: progress))
        }
        let mel = input.decode(encoded), basis = MelBasis(input.bands)
        let initial = MelNNLS(iterations: Self.nnlsIterations).solve(mel, basis: basis)
        let phase = startingPhase(encoded, frames: mel.frames, length: length)
        let name = settings.method.rawValue
        if settings.method == .admm {
            let admm = ProductMelADMM(iterations: settings.iterations, lambda: lambda, rho: rho)
            return admm.reconstruct(mel, basis: basis, length: length, initial: initial, initialPhase: phase, progress: self.progress ? { p in
                note(String(format: "%@ iteration %d: objective %.6g, mel SC %.3f dB, primal residual %.4g", name, p.iteration, p.objective, p.melConvergence, p.primalResidual))
            } : nil)
        }
        let fgla = settings.fastGriffinLim
        return fgla.reconstruct(initial, length: length, initialPhase: phase, convergence: self.progress ? { n, magnitudes in
            let sc = mel.spectralConvergence(of: basis.melSpectrogram(of: magnitudes))
            note(String(format: "%@ iteration %d: mel SC %.3f dB", name, n, sc))
        } : nil)
    }
}

extension MelInversionSettings {
    /// The offline methods' starting phases (`--start`): seeded random ones, or those of the
    /// streaming inverter's output.
    private func startingPhase(_ encoded: MagnitudeSpectrogram, frames: Int, length: Int) -> ProductFastGriffinLim.InitialPhase {
        guard let streamStart else {
            var generator = SplitMix64(seed: Self.phaseSeed)
            return .random(frames: frames, bins: ProductWholeSignalSTFT.bins, using: &generator)
        }
        let signal = withOnlineInverter(streamStart, WholeSignalInversion(magnitudes: encoded, length: length, progress: nil))
        let spectrum = ProductWholeSignalSTFT.forward(signal)
        return .given(zip(spectrum.re, spectrum.im).map { atan2($1, $0) })
    }

    /// Hands `visitor` the online method's inverter behind the core's mel -> linear stage
    /// (StreamingMel), with the CNN methods' mel network wherever the stage's output is what
    /// that network is trained on (CNNInput.streamingMel).
    func withOnlineInverter<V: InverterVisitor>(_ settings: InversionSettings, _ visitor: V) throws(V.Failure) -> V.Result {
        var settings = settings
        settings.networkInput = CNNInput.streamingMel(input.bands, steps: steps)
        return try settings.withOnlineInverter(StreamingMel(input: input, steps: steps, visitor: visitor))
    }
}

/// Puts the core's mel -> linear stage (and its decoding of the input's encoding) in front
/// of the method's streaming inverter, at the band count of the run (one compiled stage per
/// supported count).
struct StreamingMel<Visitor: InverterVisitor>: InverterVisitor {
    let input: MelInput
    let steps: Int
    let visitor: Visitor

    func visit<I: MagnitudeInverter>(_ inner: inout I) throws(Visitor.Failure) -> Visitor.Result {
        let scale = input.bands.scale
        switch input.bands.count {
        case 40: return try wrap(MelFilterbank<257, 40>(scale: scale), inner)
        case 64: return try wrap(MelFilterbank<257, 64>(scale: scale), inner)
        case 80: return try wrap(MelFilterbank<257, 80>(scale: scale), inner)
        case 128: return try wrap(MelFilterbank<257, 128>(scale: scale), inner)
        default: preconditionFailure("StreamingMel: \(input.bands.count) bands are not compiled in")
        }
    }

    private func wrap<let B: Int, I: MagnitudeInverter>(
        _ filterbank: MelFilterbank<257, B>, _ inner: I
    ) throws(Visitor.Failure) -> Visitor.Result {
        var inverter = MelInverter(
            stage: MelToLinear(filterbank: filterbank, iterations: steps), inner: inner, encoding: input.encoding)
        return try visitor.visit(&inverter)
    }
}
