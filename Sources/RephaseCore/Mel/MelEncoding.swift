/// How a mel spectrogram's values are written. Models that emit mel spectrograms (TTS,
/// codecs, vocoder recipes) each pick a power and a logarithm: the filterbank applied to
/// magnitudes (power 1) or to squared magnitudes (power 2), then a natural or base-10
/// logarithm, decibels, or none, with a floor that keeps silence finite. The mel -> linear
/// stage works on power-1 values without a logarithm, so `MelInverter` converts each frame
/// first with `magnitudeMel`; `encode` writes any of the encodings.
public struct MelEncoding: Sendable, Equatable {
    /// The logarithm applied to the mel values (the codes are rephase.h's `mel_log`).
    public enum Logarithm: Int32, Sendable, CaseIterable {
        case none = 0
        /// ln x, as HiFi-GAN and Tacotron 2 recipes write it.
        case natural = 1
        /// log10 x, as ParallelWaveGAN and ESPnet recipes write it.
        case base10 = 2
        /// Decibels of the power: 10 log10 x at power 2, 20 log10 x at power 1 (librosa's
        /// power_to_db and amplitude_to_db with ref 1).
        case decibel = 3
    }

    /// What the filterbank was applied to (the codes are rephase.h's `mel_power`).
    public enum Power: Int32, Sendable, CaseIterable {
        /// Magnitudes |X|: librosa's `power=1`, the core's own mel spectrogram.
        case magnitude = 1
        /// Squared magnitudes |X|^2: librosa's and torchaudio's default `power=2`.
        case squared = 2
    }

    public let logarithm: Logarithm
    public let power: Power
    /// The largest value `admits` accepts: the encoding of `MagnitudeRange.largest` in
    /// magnitude units (its square at power 2).
    public private(set) var largestEncoded: Float = 0

    public init(logarithm: Logarithm = .none, power: Power = .magnitude) {
        self.logarithm = logarithm
        self.power = power
        let largest = MagnitudeRange.largest
        largestEncoded = encode(power == .squared ? largest * largest : largest, floor: 0)
    }

    /// The core's own encoding: power 1, no logarithm (no conversion needed).
    public static var linear: MelEncoding { MelEncoding() }

    public var isLinear: Bool { self == .linear }

    /// log2 of the logarithm's base, so that decoding is one `exp2`: x = 2^(v * scale).
    var log2Scale: Float {
        switch logarithm {
        case .none: return 1
        case .natural: return 1.442_695_04  // log2 e
        case .base10: return MelScale.log2Of10
        case .decibel: return MelScale.log2Of10 / (power == .squared ? 10 : 20)
        }
    }

    /// The mel value in its power (the logarithm undone). Values below -126 / scale come
    /// back as 0, those at or above 128 / scale as +infinity (`FloatMath.exp2`).
    public func value(of encoded: Float) -> Float {
        logarithm == .none ? encoded : FloatMath.exp2(encoded * log2Scale)
    }

    /// The power-1 mel value the mel -> linear stage inverts, from an encoded value of a band
    /// whose filterbank weights sum to `bandSum`.
    ///
    /// At power 2 this is sqrt(bandSum * P), the band's RMS level times its weight sum:
    /// exact when the magnitudes are flat across the band, and otherwise at least the power-1
    /// value (Cauchy-Schwarz), which is the band's weighted mean. The RMS keeps the band's
    /// energy where the mean would lose the part in its peaks, and needs nothing beyond the
    /// frame itself, so it streams.
    @inline(__always)
    public func magnitudeMel(_ encoded: Float, bandSum: Float) -> Float {
        let x = value(of: encoded)
        // Both factors are non-negative; `abs` lets the compiler see it, so the root is the
        // FPU's instruction and not libm's sqrtf (whose negative-input path it would keep).
        return power == .squared ? abs(bandSum * x).squareRoot() : x
    }

    /// What `magnitudeMel` executes per band, for the simulator: two loads and a store, the
    /// logarithm's scaling and `exp2`, and at power 2 a multiplication and a square root.
    package var decodeOperations: OperationMix {
        var mix = OperationMix(load: 2, store: 1)
        if logarithm != .none { mix = mix + FloatMath.exp2Operations + OperationMix(floatMultiply: 1) }
        if power == .squared { mix = mix + OperationMix(floatMultiply: 1, floatSquareRoot: 1) }
        return mix
    }

    /// How a mel value `x` (in its power, non-negative) is written: its logarithm, taken of
    /// max(x, floor) so that silence stays finite, or itself without a logarithm.
    public func encode(_ x: Float, floor: Float) -> Float {
        guard logarithm != .none else { return x }
        return FloatMath.log(max(x, floor)) * (1.442_695_04 / log2Scale)
    }

    /// Whether `encoded` is a value this encoding can hold: finite, at most `largestEncoded`,
    /// and without a logarithm non-negative. NaN is refused.
    @inline(__always)
    public func admits(_ encoded: Float) -> Bool {
        let lowest: Float = logarithm == .none ? 0 : -.greatestFiniteMagnitude
        return encoded >= lowest && encoded <= largestEncoded
    }
}
