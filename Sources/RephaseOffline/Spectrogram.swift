import Foundation
import RephaseCore

/// A complex STFT of a whole signal: `frames` rows of `bins` values, row-major
/// (`re[t * bins + k]` is the real part of frame t, bin k).
public struct ComplexSpectrogram: Sendable, Equatable {
    public let frames: Int
    public let bins: Int
    public var re: [Float]
    public var im: [Float]

    public init(frames: Int, bins: Int, re: [Float], im: [Float]) {
        precondition(re.count == frames * bins && im.count == frames * bins,
                     "ComplexSpectrogram: re and im must hold frames * bins values")
        self.frames = frames
        self.bins = bins
        self.re = re
        self.im = im
    }

    /// |X[t, k]| for every frame and bin.
    public var magnitudes: MagnitudeSpectrogram {
        MagnitudeSpectrogram(
            frames: frames, bins: bins,
            values: re.indices.map { (re[$0] * re[$0] + im[$0] * im[$0]).squareRoot() })
    }
}

/// STFT magnitudes of a whole signal, laid out as `ComplexSpectrogram` lays out its values.
public struct MagnitudeSpectrogram: Sendable, Equatable {
    public let frames: Int
    public let bins: Int
    public var values: [Float]

    public init(frames: Int, bins: Int, values: [Float]) {
        precondition(values.count == frames * bins, "MagnitudeSpectrogram: need frames * bins values")
        self.frames = frames
        self.bins = bins
        self.values = values
    }
}

/// The project's STFT (docs/ALGORITHMS.md section 1) applied to a whole signal, built on the
/// core's streaming `STFTAnalysis` / `STFTSynthesis` so the offline baselines see exactly the
/// spectra the streaming inverters see.
///
/// Framing, for a signal x of length L and R = N/H frames per sample:
/// - x is zero-padded at the end to Lp = ceil(L / H) * H samples;
/// - frame j (0 <= j < T) starts at sample (j - (R - 1)) H, i.e. frames run from
///   t = -(R - 1) to t = Lp/H - 1 in the core's numbering, so every sample of [0, Lp) lies in
///   exactly R frames. That is what streaming the padded signal followed by R - 1 hops of
///   zeros through `STFTAnalysis` produces: T = Lp/H + R - 1 frames.
/// - The inverse runs the T frames through `STFTSynthesis` and drops its N - H samples of
///   latency, which puts output sample n on input sample n; it returns the first L samples.
///
/// Because every sample is covered by R full frames, the overlap-add divided by
/// sum_t w^2 is the least-squares inverse (the canonical dual of the tight Hann frame), so
/// `inverse(forward(x), length: L) == x` to float precision over the whole signal and
/// `forward(inverse(X))` is the orthogonal projection of X onto consistent spectrograms of
/// length-L signals, which Griffin-Lim needs.
public enum WholeSignalSTFT<let N: Int, let H: Int> {
    /// K = N/2 + 1 bins per frame.
    public static var bins: Int { N / 2 + 1 }

    /// Frames of the STFT of a signal of `length` samples (see the framing above).
    public static func frameCount(length: Int) -> Int {
        (length + H - 1) / H + N / H - 1
    }

    /// The STFT of `signal`, frame-start phase convention, frames as documented above.
    public static func forward(_ signal: [Float]) -> ComplexSpectrogram {
        let frames = frameCount(length: signal.count)
        let k = bins
        var re = [Float](repeating: 0, count: frames * k)
        var im = [Float](repeating: 0, count: frames * k)
        // The padded signal plus R - 1 hops of zeros is exactly `frames` hops long.
        var padded = signal
        padded.append(contentsOf: repeatElement(0, count: frames * H - signal.count))
        var analysis = STFTAnalysis<N, H>()
        var packed = [Float](repeating: 0, count: N)
        for t in 0..<frames {
            var spectrum = packed.mutableSpan
            analysis.analyze(hop: padded[t * H..<(t + 1) * H].span, spectrum: &spectrum)
            unpack(packed, frame: t, re: &re, im: &im)
        }
        return ComplexSpectrogram(frames: frames, bins: k, re: re, im: im)
    }

    /// The least-squares signal of `length` samples whose STFT is closest to `spectrogram`.
    public static func inverse(_ spectrogram: ComplexSpectrogram, length: Int) -> [Float] {
        precondition(spectrogram.bins == bins && spectrogram.frames == frameCount(length: length),
                     "WholeSignalSTFT.inverse: spectrogram size does not match the length")
        let latency = STFTSynthesis<N, H>.latency
        var output = [Float](repeating: 0, count: spectrogram.frames * H)
        var synthesis = STFTSynthesis<N, H>()
        var packed = [Float](repeating: 0, count: N)
        var hop = [Float](repeating: 0, count: H)
        for t in 0..<spectrogram.frames {
            pack(spectrogram, frame: t, into: &packed)
            var spectrum = packed.mutableSpan
            var out = hop.mutableSpan
            synthesis.synthesize(spectrum: &spectrum, output: &out)
            output.replaceSubrange(t * H..<(t + 1) * H, with: hop)
        }
        return Array(output[latency..<latency + length])
    }

    /// Copies one FFT-packed spectrum into row `frame` of re/im.
    private static func unpack(_ packed: [Float], frame: Int, re: inout [Float], im: inout [Float]) {
        let row = frame * bins
        re[row] = packed[0]
        re[row + N / 2] = packed[1]
        for k in 1..<N / 2 {
            re[row + k] = packed[2 * k]
            im[row + k] = packed[2 * k + 1]
        }
    }

    /// Packs row `frame` of the spectrogram as FFT expects. The imaginary parts of bins 0
    /// and N/2 have no slot and are dropped: a real signal's spectrum has none there.
    private static func pack(_ spectrogram: ComplexSpectrogram, frame: Int, into packed: inout [Float]) {
        let row = frame * bins
        packed[0] = spectrogram.re[row]
        packed[1] = spectrogram.re[row + N / 2]
        for k in 1..<N / 2 {
            packed[2 * k] = spectrogram.re[row + k]
            packed[2 * k + 1] = spectrogram.im[row + k]
        }
    }
}

extension MagnitudeSpectrogram {
    /// Spectral convergence of `estimate` against these (target) magnitudes, in dB
    /// (docs/ALGORITHMS.md section 12): 20 log10(|| |S| - |S_hat| ||_F / || |S| ||_F).
    /// Accumulated in Double because the sums run over a whole utterance.
    public func spectralConvergence(of estimate: MagnitudeSpectrogram) -> Double {
        precondition(estimate.frames == frames && estimate.bins == bins, "spectralConvergence: sizes differ")
        var error = 0.0, energy = 0.0
        for i in values.indices {
            let target = Double(values[i]), d = target - Double(estimate.values[i])
            error += d * d
            energy += target * target
        }
        return 10 * log10(error / energy)
    }
}
