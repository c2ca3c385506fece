import Foundation

/// Signal-to-noise ratio of `signal` against `reference` in dB: 10 log10(sum r^2 / sum (s - r)^2)
/// over their common length; nil when the reference is silent, +infinity when they are equal.
public func signalToNoiseRatio(_ signal: [Float], reference: [Float]) -> Double? {
    var power = 0.0, noise = 0.0
    for i in 0..<min(signal.count, reference.count) {
        let r = Double(reference[i]), e = Double(signal[i]) - r
        power += r * r
        noise += e * e
    }
    guard power > 0 else { return nil }
    return noise == 0 ? .infinity : 10 * log10(power / noise)
}
