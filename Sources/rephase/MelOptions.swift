import ArgumentParser
import RephaseCore

/// `--mel BANDS` and `--mel-scale`, shared by `analyze` (write mel spectrograms) and `invert`
/// (read them).
struct MelOptions: ParsableArguments {
    @Option(help: "Mel spectrograms with this many bands (librosa's filterbank at 16 kHz, N = 512, 0 to 8 kHz): analyze writes them, invert reads them (a .npy of shape (frames, BANDS), or the mel spectrogram of an audio file).")
    var mel: Int?

    @Option(help: "Mel scale with --mel: slaney (default, librosa's) or htk. Both use Slaney's area normalisation.")
    var melScale: MelScale?

    /// The bands asked for, or nil without --mel.
    func bands() throws(UserError) -> MelBands? {
        guard let mel else {
            if melScale != nil { throw UserError("--mel-scale needs --mel BANDS") }
            return nil
        }
        guard (1...MelOptions.mostBands).contains(mel) else {
            throw UserError("--mel must be between 1 and \(MelOptions.mostBands) bands, got \(mel)")
        }
        return MelBands(count: mel, fftSize: 512, sampleRate: Float(InversionInput.sampleRate), scale: melScale ?? .slaney)
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
