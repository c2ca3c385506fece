/// Streaming STFT analysis in Float32: push H new samples, get the spectrum of the newest frame.
///
/// Convention (docs/ALGORITHMS.md section 1): frame t covers samples [tH, tH + N) and
/// X[t, k] = sum_n w[n] x[tH + n] e^{-2 pi i k n / N} (frame start, what numpy.fft.rfft of the
/// windowed frame gives), periodic Hann window. The history starts as zeros, so the frame
/// produced after the b-th hop of input is frame t = b - (N/H - 1); the first N/H - 1 frames
/// see zero padding before the signal.
/// Memory: 2N Floats of state (history and window). Sizes are compile-time constants.
public struct STFTAnalysis<let N: Int, let H: Int> {
    var history: InlineArray<N, Float>
    var window: InlineArray<N, Float>

    /// K = N/2 + 1, the number of frequency bins.
    public static var bins: Int { N / 2 + 1 }

    public init() {
        checkSTFTSizes(frame: N, hop: H)
        history = .init(repeating: 0)
        window = .init { HannWindow.valueF32($0, length: N) }
    }

    /// Forgets all past input, as if newly made.
    public mutating func reset() {
        history = .init(repeating: 0)
    }

    /// Takes the next `H` samples and writes the newest frame's spectrum, packed as FFT
    /// packs it (`spectrum.count == N`).
    public mutating func analyze(hop samples: Span<Float>, spectrum: inout MutableSpan<Float>) {
        precondition(samples.count == H && spectrum.count == N, "STFTAnalysis: wrong buffer size")
        OperationCounter.record(.synthesis, slideOperations(count: N) + windowOperations(count: N))
        history.slide(in: samples)
        for i in 0..<N { spectrum[i] = history[i] * window[i] }
        FFT.real(&spectrum)
    }
}
