import ArgumentParser
import RephaseCore

/// `--mel BANDS` and how the mel spectrogram is written (`--mel-scale`, `--mel-log`,
/// `--mel-power`), shared by `analyze` (write mel spectrograms) and `invert` (read them), so
/// that a round trip is one command each way.
struct MelOptions: ParsableArguments {
    @Option(help: "Mel spectrograms with this many bands (librosa's filterbank at 16 kHz, N = 512, 0 to 8 kHz): analyze writes them, invert reads them (a .npy of shape (frames, BANDS) or (BANDS, frames), or the mel spectrogram of an audio file).")
    var mel: Int?

    @Option(help: "Mel scale with --mel: slaney (default, librosa's) or htk. Both use Slaney's area normalisation.")
    var melScale: MelScale?

    @Option(help: "Logarithm of the mel values with --mel: none (default), ln, log10 or db (10 log10 of power-2 values, 20 log10 of power-1 ones). analyze floors the values at 1e-5 (power 1) or 1e-10 (power 2) before it; invert undoes it.")
    var melLog: MelEncoding.Logarithm?

    @Option(help: "What the filterbank was applied to, with --mel: 1 (magnitudes, default) or 2 (squared magnitudes, librosa's and torchaudio's default).")
    var melPower: MelEncoding.Power?

    @Option(help: "With --mel-log, the smallest mel value analyze (or invert, from audio) takes the logarithm of, in the power's units (default 1e-8 at power 1, 1e-16 at power 2; HiFi-GAN uses 1e-5 at power 1).")
    var melFloor: Float?

    /// The mel input asked for, or nil without --mel.
    func input() throws(UserError) -> MelInput? {
        guard let mel else {
            for (flag, given) in [("--mel-scale", melScale != nil), ("--mel-log", melLog != nil), ("--mel-power", melPower != nil),
                ("--mel-floor", melFloor != nil)] where given {
                throw UserError("\(flag) needs --mel BANDS")
            }
            return nil
        }
        guard (1...MelOptions.mostBands).contains(mel) else {
            throw UserError("--mel must be between 1 and \(MelOptions.mostBands) bands, got \(mel)")
        }
        let encoding = MelEncoding(logarithm: melLog ?? .none, power: melPower ?? .magnitude)
        if let melFloor {
            guard encoding.logarithm != .none else { throw UserError("--mel-floor applies with --mel-log ln, log10 or db") }
            guard melFloor > 0, melFloor <= 1 else { throw UserError("--mel-floor must be in (0, 1], got \(melFloor)") }
        }
        return MelInput(
            bands: MelBands(count: mel, fftSize: 512, sampleRate: Float(InversionInput.sampleRate), scale: melScale ?? .slaney),
            encoding: encoding, floor: melFloor ?? MelInput.defaultFloor(encoding.power))
    }

    /// More bands than bins above DC would leave bands empty everywhere.
    static let mostBands = 256
}

/// The options of the offline mel inverters (`--method admm`, `cascade`).
struct MelMethodOptions: ParsableArguments {
    @Option(help: "ADMM weight lambda of || |X| - A ||^2 (admm; default \(MelInversionSettings.defaultLambda)).")
    var lambda: Double?

    @Option(help: "ADMM penalty rho (admm; default \(MelInversionSettings.defaultRho)).")
    var rho: Double?

    @Flag(help: "Print each iteration's objective and mel spectral convergence on stderr (admm, cascade).")
    var progress = false

    @Option(help: "Projected-gradient steps of the streaming mel -> linear stage per frame (online methods with --mel; default \(MelInversionSettings.defaultSteps); 0: the pseudo-inverse alone).")
    var melSteps: Int?

    @Option(help: "Starting phases of admm and cascade (both start from the NNLS magnitudes): stream (the phases of the streaming cnn's output; the default where the band count streams) or random (seeded).")
    var start: MelInversionSettings.Start?
}

extension MelScale: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument {
        case "slaney": self = .slaney
        case "htk": self = .htk
        default: return nil
        }
    }

    public static var allValueStrings: [String] { ["slaney", "htk"] }
}
