import Foundation
import RephaseCore

/// The true STFT of a signal (frame-start convention, N = 512, H = 128) as the streaming
/// analysis produces it, frame by frame, with magnitudes and phases in float64; the signal is
/// followed by N/H - 1 hops of zeros so every sample is covered by all of its frames.
struct OracleSpectrogram {
    static let n = 512, h = 128, k = 257
    var magnitudes: [[Double]] = []
    var phases: [[Double]] = []

    init(_ signal: [Float]) {
        var analysis = STFTAnalysis<512, 128>()
        var spectrum = [Float](repeating: 0, count: Self.n)
        let hops = signal.count / Self.h + Self.n / Self.h - 1
        let padded = signal + [Float](repeating: 0, count: hops * Self.h - signal.count + Self.h)
        for b in 0..<hops {
            var span = spectrum.mutableSpan
            analysis.analyze(hop: padded[b * Self.h..<(b + 1) * Self.h].span, spectrum: &span)
            var mags = [Double](repeating: 0, count: Self.k), phis = [Double](repeating: 0, count: Self.k)
            for bin in 0..<Self.k {
                let (re, im): (Float, Float)
                switch bin {
                case 0: (re, im) = (spectrum[0], 0)
                case Self.k - 1: (re, im) = (spectrum[1], 0)
                default: (re, im) = (spectrum[2 * bin], spectrum[2 * bin + 1])
                }
                mags[bin] = hypot(Double(re), Double(im))
                phis[bin] = atan2(Double(im), Double(re))
            }
            magnitudes.append(mags)
            phases.append(phis)
        }
    }

    /// Frame t's magnitudes as Float (what an inverter is fed).
    func floatMagnitudes(_ t: Int) -> [Float] { magnitudes[t].map(Float.init) }

    /// Every frame's magnitudes as Float, in order.
    var floatFrames: [[Float]] { magnitudes.indices.map(floatMagnitudes) }
}

/// Feeds magnitude frames to an inverter one at a time; returns its H-sample outputs,
/// concatenated (not aligned: the first `latency` samples precede the signal).
func streamOutput<I: MagnitudeInverter>(_ inverter: inout I, frames: [[Float]]) -> [Float] {
    var out = [Float]()
    var hop = [Float](repeating: 0, count: OracleSpectrogram.h)
    for frame in frames {
        var span = hop.mutableSpan
        inverter.process(magnitudes: frame.span, output: &span)
        out += hop
    }
    return out
}

/// Streams magnitude frames through an inverter, then silent frames until the look-ahead is
/// flushed; returns the output aligned with the input (the first `latency` samples dropped),
/// `length` samples long. Frames may be mel frames (MelInverter): silence is as long as they are.
func invert<I: MagnitudeInverter>(_ inverter: inout I, frames: [[Float]], length: Int) -> [Float] {
    let silence = [Float](repeating: 0, count: frames.first?.count ?? OracleSpectrogram.k)
    let flush = max(0, (inverter.latency + length - frames.count * OracleSpectrogram.h + OracleSpectrogram.h - 1) / OracleSpectrogram.h)
    let out = streamOutput(&inverter, frames: frames + Array(repeating: silence, count: flush))
    return Array(out[inverter.latency..<inverter.latency + length])
}

/// Spectral convergence in dB (docs/ALGORITHMS.md, section 12) between the STFT magnitudes of two signals.
func spectralConvergence(reference: [Float], estimate: [Float]) -> Double {
    let a = OracleSpectrogram(reference).magnitudes, b = OracleSpectrogram(estimate).magnitudes
    var num = 0.0, den = 0.0
    for t in 0..<min(a.count, b.count) {
        for k in 0..<a[t].count {
            num += (a[t][k] - b[t][k]) * (a[t][k] - b[t][k])
            den += a[t][k] * a[t][k]
        }
    }
    return 10 * log10(num / den)
}
