import ArgumentParser

/// The options that choose and tune an inversion method, shared by `invert` and `stream`.
struct MethodOptions: ParsableArguments {
    @Option(help: "Inversion method: \(InversionMethod.allCases.map(\.rawValue).joined(separator: ", ")) (default: the best online method, \(InversionMethod.bestOnline.rawValue)).")
    var method: InversionMethod = .bestOnline

    @Option(help: "Arithmetic of the core: f32, f16 (Float16 weights) or q15 (integer estimator and synthesis); f16 for cnn, cnn-strided, cnn-la, mcnn; q15 for cnn, cnn-strided, pghi, mcnn, spsi.")
    var format: ArithmeticFormat = .f32

    @Option(help: "Frames of look-ahead (pghi, rtpghi: 0 or 1; rtisi-la: 0...7, default 3; cnn-la: 0...6, default 3; fixed for cnn and spsi (0), cnn-strided (1)).")
    var lookahead: Int?

    @Option(help: "Iterations per frame (rtisi-la, default 5; cnn-la, default 2) or in total (fgla, default 32).")
    var iterations: Int?

    @Option(help: "Least-squares weight exponent p (pghi, cnn, cnn-strided, cnn-la; default 1.5).")
    var weightExponent: Float?

    @Option(help: "Least-squares frequency-coupling weight gamma (default 5 for pghi, 10 for cnn and cnn-la, 2 for cnn-strided).")
    var coupling: Float?

    @Option(help: "Momentum in [0, 1): of the projections of cnn-la and rtisi-la (default 0.7 for both; 0 is RTISI-LA as published), of fgla and of the cascade's Griffin-Lim (default 0.99; 0 is plain Griffin-Lim).")
    var momentum: Float?

    /// The checked settings these options describe.
    func settings() throws(UserError) -> InversionSettings {
        var settings = try InversionSettings(method: method, lookahead: lookahead, iterations: iterations, format: format)
        try settings.setWeights(exponent: weightExponent, coupling: coupling)
        try settings.setMomentum(momentum)
        return settings
    }
}
