import ArgumentParser
import Foundation
import RephaseCore
import RephaseOffline

/// A mel spectrogram as a model writes it: its bands, and how its values are encoded (the
/// power the filterbank was applied to, and the logarithm). `analyze --mel` writes any
/// encoding; `invert --mel` streams the encoded frames into the core's `MelInverter`, which
/// decodes them, and decodes them here for the offline methods.
struct MelInput {
    var bands: MelBands
    var encoding: MelEncoding
    /// The smallest mel value `encode` takes the logarithm of, in the encoding's power.
    var floor: Float

    /// The floor unless --mel-floor says otherwise: 1e-8 in magnitude units (1e-8 at power 1,
    /// 1e-16 at power 2), low enough to cost nothing measurable. Toolkits floor higher
    /// (HiFi-GAN 1e-5 at power 1, librosa's power_to_db 1e-10 at power 2): harmless on the dev
    /// split's mean, but clipping the quiet bands of the bundled clip costs it WB-PESQ
    /// 4.03 -> 3.93 with `cnn` at 1e-5 (unchanged at 1e-6 and below).
    static func defaultFloor(_ power: MelEncoding.Power) -> Float { power == .squared ? 1e-16 : 1e-8 }

    /// The mel spectrogram of `magnitudes` in this encoding: the filterbank applied to |X|
    /// or |X|^2, then the logarithm.
    func encode(_ magnitudes: MagnitudeSpectrogram) -> MagnitudeSpectrogram {
        var linear = magnitudes
        if encoding.power == .squared { linear.values = linear.values.map { $0 * $0 } }
        var mel = MelBasis(bands).melSpectrogram(of: linear)
        if encoding.logarithm != .none { mel.values = mel.values.map { encoding.encode($0, floor: floor) } }
        return mel
    }

    /// The power-1 mel spectrogram the offline methods invert, decoded as the core's
    /// `MelInverter` decodes each frame (`MelEncoding.magnitudeMel`).
    func decode(_ mel: MagnitudeSpectrogram) -> MagnitudeSpectrogram {
        guard !encoding.isLinear else { return mel }
        let sums = MelBasis(bands).bandSums
        var decoded = mel
        for i in decoded.values.indices {
            decoded.values[i] = encoding.magnitudeMel(mel.values[i], bandSum: sums[i % mel.bins])
        }
        return decoded
    }

    /// Encoded values must be ones the encoding can hold (finite, not above the encoding of
    /// the largest magnitude, and without a logarithm non-negative).
    func check(_ values: [Float], of path: String) throws(UserError) {
        if encoding.isLinear, let bad = values.firstIndex(where: { $0 < 0 }) {
            throw UserError("'\(path)' holds the negative value \(values[bad]) at frame \(bad / bands.count), band \(bad % bands.count); mel values without a logarithm are not negative (for log-mel, say which logarithm with --mel-log ln, log10 or db)")
        }
        guard !encoding.isLinear else {
            return try SignalChecks.checkMagnitudes(values, bins: bands.count, of: path)
        }
        guard let bad = values.firstIndex(where: { !encoding.admits($0) }) else { return }
        let value = values[bad], kind = value.isNaN ? "NaN" : value.isFinite ? "the value \(value)" : "an infinite value"
        throw UserError("'\(path)' holds \(kind) at frame \(bad / bands.count), band \(bad % bands.count); with \(options) the values must be finite and at most \(String(format: "%.4g", encoding.largestEncoded))")
    }

    /// The options' names for the encoding, for messages: "--mel-log ln --mel-power 2".
    var options: String {
        "--mel-log \(MelEncoding.Logarithm.name(encoding.logarithm)) --mel-power \(encoding.power.rawValue)"
    }
}

extension MelEncoding.Logarithm: ExpressibleByArgument {
    /// The names `--mel-log` takes.
    static func name(_ logarithm: Self) -> String {
        switch logarithm {
        case .none: "none"
        case .natural: "ln"
        case .base10: "log10"
        case .decibel: "db"
        }
    }

    public init?(argument: String) {
        guard let match = Self.allCases.first(where: { Self.name($0) == argument }) else { return nil }
        self = match
    }

    public static var allValueStrings: [String] { allCases.map(name) }
}

extension MelEncoding.Power: ExpressibleByArgument {
    public init?(argument: String) {
        guard let code = Int32(argument), let power = Self(rawValue: code) else { return nil }
        self = power
    }

    public static var allValueStrings: [String] { allCases.map { String($0.rawValue) } }
}
