/// The two mel scales librosa offers (`librosa.hz_to_mel`), in Float32 with the core's
/// libm-free logarithm and exponential.
public enum MelScale: Sendable {
    /// Slaney's Auditory Toolbox scale (librosa's default): linear below 1 kHz (3 mels per
    /// 200 Hz), logarithmic above (27 mels per factor 6.4).
    case slaney
    /// The HTK scale, 2595 log10(1 + f / 700).
    case htk

    /// Hertz per mel in Slaney's linear part, the mel value of 1 kHz, and mels per natural-log unit above it.
    static let slaneyHertzPerMel: Float = 200.0 / 3.0
    static let slaneyBreakMel: Float = 15
    static let slaneyMelsPerLogUnit: Float = 27 / 1.856_298  // 27 / ln 6.4

    /// log2(10) and ln 2, for 10^x = 2^(x log2 10) and ln x = log2(x) ln 2 without libm.
    static let log2Of10: Float = 3.321_928_1
    static let ln2: Float = 0.693_147_18

    /// The mel value of `hertz` (>= 0).
    public func mel(hertz f: Float) -> Float {
        switch self {
        case .slaney:
            if f < 1000 { return f / Self.slaneyHertzPerMel }
            return Self.slaneyBreakMel + FloatMath.log(f / 1000) * Self.slaneyMelsPerLogUnit
        case .htk:
            return 2595 * FloatMath.log(1 + f / 700) / (Self.ln2 * Self.log2Of10)
        }
    }

    /// The frequency in hertz of `mel` (the inverse of `mel(hertz:)`).
    public func hertz(mel m: Float) -> Float {
        switch self {
        case .slaney:
            if m < Self.slaneyBreakMel { return m * Self.slaneyHertzPerMel }
            return 1000 * FloatMath.exp2((m - Self.slaneyBreakMel) / (Self.slaneyMelsPerLogUnit * Self.ln2))
        case .htk:
            return 700 * (FloatMath.exp2(m / 2595 * Self.log2Of10) - 1)
        }
    }
}
