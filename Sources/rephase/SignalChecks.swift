import RephaseOffline

/// What `rephase` accepts as input and promises as output, checked where the data enters and
/// before an output is written. Past these limits the Float32 methods overflow (squared
/// magnitudes pass Float's range near 1.8e19) and the output would be NaN, infinite or silent.
enum SignalChecks {
    /// The largest sample magnitude accepted: 65536 covers float files scaled as 16-bit
    /// integers with 6 dB to spare (the project's own scale is [-1, 1]).
    static let largestSample: Float = 65_536
    /// The largest STFT magnitude accepted: a full-scale frame of samples at `largestSample`
    /// reaches 256 x 65536 (the Hann window's sum), rounded up to a power of ten.
    static let largestMagnitude: Float = 1e8
    /// Below this peak a decoded output counts as silent (under half a 16-bit step).
    static let silentPeak: Float = 0.5 / 32768
    /// Inputs quieter than this may legitimately come back silent.
    static let quietMagnitude: Float = 1e-3

    /// Samples must be finite and within ±largestSample.
    static func checkSamples(_ samples: [Float], of path: String) throws(UserError) {
        guard let bad = samples.firstIndex(where: { !(abs($0) <= largestSample) }) else { return }
        let value = samples[bad]
        let kind = value.isNaN ? "NaN" : value.isFinite ? "the sample \(value), beyond ±\(Int(largestSample))," : "an infinite sample"
        throw UserError("'\(path)' holds \(kind) at sample \(bad); samples must be finite and within ±\(Int(largestSample))")
    }

    /// Sample rates accepted: libsamplerate converts by ratios up to 256 either way, and a
    /// forged rate of 1 Hz would make the 16 kHz signal 16,000 times the file's length.
    static let rates = 4_000...768_000

    static func checkRate(_ rate: Int, of path: String) throws(UserError) {
        guard rates.contains(rate) else {
            throw UserError("'\(path)' has a sample rate of \(rate) Hz; rates from \(rates.lowerBound) to \(rates.upperBound) Hz are supported")
        }
    }

    /// Magnitudes must be finite, non-negative and at most largestMagnitude.
    static func checkMagnitudes(_ values: [Float], bins: Int, of path: String) throws(UserError) {
        guard let bad = values.firstIndex(where: { !($0 >= 0 && $0 <= largestMagnitude) }) else { return }
        let value = values[bad]
        let kind = value.isNaN ? "NaN" : value < 0 ? "a negative magnitude" : value.isFinite ? "the magnitude \(value)" : "an infinite magnitude"
        throw UserError("'\(path)' holds \(kind) at frame \(bad / bins), bin \(bad % bins); magnitudes must be in [0, \(largestMagnitude)]")
    }

    /// An output about to be written must be finite, and not silent unless its input was quiet.
    static func checkOutput(_ samples: [Float], input magnitudes: MagnitudeSpectrogram, method: String) throws(UserError) {
        if let bad = samples.firstIndex(where: { !$0.isFinite }) {
            throw UserError("\(method) produced a non-finite sample (\(samples[bad])) at sample \(bad) from this input; nothing was written")
        }
        let peak = samples.reduce(Float(0)) { max($0, abs($1)) }
        let loudest = magnitudes.values.reduce(Float(0)) { max($0, $1) }
        if peak < silentPeak, loudest >= quietMagnitude {
            throw UserError("\(method) produced silence from input with magnitudes up to \(loudest); nothing was written")
        }
    }
}
