/// Streaming STFT synthesis in Float32 by weighted overlap-add: give it one frame's spectrum,
/// get H finished output samples.
///
/// Each frame is inverse transformed, multiplied by the Hann window divided by the overlap
/// energy sum_m w^2[t + mH] (1.5 for Hann at 75 % overlap), and added into an N-sample
/// accumulator; the oldest H samples are then complete. So analysis followed by synthesis
/// reproduces the input delayed by `latency` = N - H samples, to float precision.
/// Memory: 2N Floats of state (accumulator and synthesis window).
public struct STFTSynthesis<let N: Int, let H: Int> {
    var accumulator: InlineArray<N, Float>
    /// The synthesis window, computed by `prepare` or else at the first frame, not in `init`: a
    /// new synthesis then holds only constants, so a static one (the C API's configurations)
    /// is initialised data, where an initialiser that computes cosines made the firmware build
    /// the whole inverter on the stack at start-up before copying it into place.
    var window: InlineArray<N, Float>
    var windowReady = false

    /// Delay in samples from the analysis input to this object's output.
    public static var latency: Int { N - H }

    public init() {
        checkSTFTSizes(frame: N, hop: H)
        accumulator = .init(repeating: 0)
        window = .init(repeating: 0)
    }

    /// Computes `window` if it is not yet: the Hann window over the overlap energy. A caller
    /// with a real-time budget calls this before its first frame, so that no frame pays it.
    public mutating func prepare() {
        guard !windowReady else { return }
        for t in 0..<N { window[t] = HannWindow.valueF32(t, length: N) / HannWindow.overlapEnergyF32(t % H, length: N, hop: H) }
        windowReady = true
    }

    /// Forgets all past frames, as if newly made.
    public mutating func reset() {
        accumulator = .init(repeating: 0)
    }

    /// Adds the frame whose packed spectrum is `spectrum` (N Floats; used as scratch and left
    /// holding the windowed frame) and writes the next H output samples to `output`.
    public mutating func synthesize(spectrum: inout MutableSpan<Float>, output: inout MutableSpan<Float>) {
        precondition(spectrum.count == N && output.count == H, "STFTSynthesis: wrong buffer size")
        prepare()
        FFT.inverseReal(&spectrum)
        OperationCounter.record(.synthesis, windowOperations(count: N))
        for i in 0..<N { spectrum[i] *= window[i] }
        overlapAdd(windowedFrame: spectrum.span, output: &output)
    }

    /// Adds a frame already multiplied by `window` and writes the next H output samples. For
    /// inverters that keep frames in the time domain (RTISI-LA) and commit them here.
    mutating func overlapAdd(windowedFrame frame: Span<Float>, output: inout MutableSpan<Float>) {
        // Accumulate N, copy H out, slide with zeros entering.
        OperationCounter.record(
            .synthesis, OperationMix(integer: 1, load: 2, store: 1, branch: 1, floatAdd: 1) * N
                + OperationMix(integer: 1, load: 1, store: 1, branch: 1) * H + slideOperations(count: N))
        for i in 0..<N { accumulator[i] += frame[i] }
        for i in 0..<H { output[i] = accumulator[i] }
        accumulator.slide(in: 0, hop: H)
    }
}
