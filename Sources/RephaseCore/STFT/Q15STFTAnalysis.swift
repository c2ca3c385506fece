/// Streaming STFT analysis in Q15 block floating point: push H new Int16 samples, get the
/// spectrum of the newest frame as N Int16 values and one block exponent. No FPU needed.
///
/// Same framing and convention as `STFTAnalysis` (frame t covers samples [tH, tH + N), periodic
/// Hann window, frame-start phase, packed layout of `FFT`; the history starts as zeros).
///
/// Formats: input samples are Q15 (full scale +-1 is +-32768); the window is
/// `HannWindow.valueQ15` (Q15, 1.0 stored as 32767). `analyze` returns an exponent e such that,
/// reading the input samples x[n] as plain integers,
///     sum_n hann[n] x[tH + n] e^{-2 pi i k n / N}  ~=  stored[k] * 2^e,
/// so in full-scale units (x / 32768, what `STFTAnalysis` would be fed) the spectrum is
/// stored[k] * 2^(e - 15). Give both, unchanged, to `Q15STFTSynthesis`.
///
/// Rounding: the frame is first shifted left by its headroom (the bits its largest sample leaves
/// unused), so a quiet frame keeps all 16 bits through the window and the FFT instead of losing
/// them to the product's rounding; each windowed sample is then (x * w + 2^14) >> 15, rounded
/// half up, which always fits Int16. `Q15FFT.real` rounds each step half up (see there).
/// Saturation: none is reachable (the FFT's clamp is a safety net only).
/// Memory: 4N bytes of state (Int16 history and window), 2 KiB for N = 512.
public struct Q15STFTAnalysis<let N: Int, let H: Int> {
    var history: InlineArray<N, Int16>
    var window: InlineArray<N, Int16>

    /// K = N/2 + 1, the number of frequency bins.
    public static var bins: Int { N / 2 + 1 }

    public init() {
        checkSTFTSizes(frame: N, hop: H)
        history = .init(repeating: 0)
        window = .init { HannWindow.valueQ15($0, length: N) }
    }

    /// Forgets all past input, as if newly made.
    public mutating func reset() {
        history = .init(repeating: 0)
    }

    /// Takes the next `H` samples, writes the newest frame's packed spectrum (`spectrum.count ==
    /// N`) and returns its block exponent (see the type's comment).
    public mutating func analyze(hop samples: Span<Int16>, spectrum: inout MutableSpan<Int16>) -> Int {
        precondition(samples.count == H && spectrum.count == N, "Q15STFTAnalysis: wrong buffer size")
        // Slide, copy, normalise, then window each sample (load two, multiply, round, store).
        OperationCounter.record(
            .synthesis, slideOperations(count: N) * 2 + Q15Block.normalizingOperations(count: N)
                + OperationMix(integer: 3, multiply: 1, load: 2, store: 1, branch: 1) * N)
        history.slide(in: samples)
        for i in 0..<N { spectrum[i] = history[i] }
        let headroom = spectrum.withUnsafeMutableBufferPointer { p in
            -Q15Block(normalizing: p.baseAddress!, count: N).exponent
        }
        for i in 0..<N {
            spectrum[i] = Int16(truncatingIfNeeded: (Int32(spectrum[i]) * Int32(window[i]) + (1 << 14)) >> 15)
        }
        return Q15FFT.real(&spectrum) - headroom
    }
}
