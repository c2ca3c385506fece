import RephaseIntrinsics

/// Streaming STFT synthesis in Q15 by weighted overlap-add: give it one frame's packed Int16
/// spectrum and block exponent (as `Q15STFTAnalysis` makes them), get H finished Int16 samples.
/// Integer arithmetic only, construction included, so a core without an FPU can run it.
///
/// As in `STFTSynthesis`, each frame is inverse transformed, multiplied by the Hann window divided
/// by the overlap energy sum_m w^2[t mod H + mH], and added into an N-sample accumulator whose
/// oldest H samples are then complete; analysis followed by synthesis reproduces the input
/// delayed by `latency` = N - H samples: 72.5 dB SNR on speech at N = 512 (70.4 dB at
/// N = 1024), limited by the Q15 FFTs; quiet speech (-40 dB) comes back bit-exact (Q15STFTTests).
///
/// Formats:
/// - spectrum: packed Int16 integers with exponent e, the format `Q15STFTAnalysis` returns
///   (exact spectrum of Q15 integer samples = stored * 2^e); `Q15FFT.inverseReal` turns it into
///   a frame y[t] = stored[t] * 2^(e + its exponent), in Q15 integer units.
/// - synthesis window: Int16 Q14 (1.0 = 16384), because w / sum w^2 reaches 1.21 for Hann at
///   50 % overlap (2/3 at 75 %); computed in integers from the same Q15 analysis window,
///   so that sum over frames of analysis times synthesis window is 1 up to the Q14 rounding.
/// - accumulator: Int32 holding Q15 samples times 2^`fractionBits` (10 extra fractional bits),
///   which leaves 2^31 / 2^25 = 64 times full scale of headroom for spectra that are not
///   consistent (modified or reconstructed phases) before it saturates.
///
/// Rounding: each product frame * window (exact in Int32) is moved to the accumulator scale by
/// the shift that the block exponent implies, to the right rounded half up or to the left
/// saturating to Int32 (a spectrum with a large exponent); the addition saturates too. Each
/// output sample is the accumulator rounded half up to Q15 and saturated to Int16. For frames
/// from `Q15STFTAnalysis` no saturation happens except at the output, where a reconstruction of
/// a full-scale input may round a hair beyond +32767.
/// Memory: 6N bytes of state (Int32 accumulator ring and Int16 window), 3 KiB for N = 512.
/// Needs at least 50 % overlap (H <= N/2): with less, some samples get no weight at all.
public struct Q15STFTSynthesis<let N: Int, let H: Int> {
    /// A ring: sample t of the current frame adds into accumulator[(start + t) mod N], so that
    /// finishing a hop moves `start` by H instead of moving the N - H samples still open (a
    /// memmove that cost the Cortex-M4 more than the overlap-add itself). N is a multiple of H,
    /// so `start` is too, and the H finished samples are always contiguous.
    var accumulator: InlineArray<N, Int32>
    var start = 0
    /// Filled by `prepare`, or else on the first frame, not at init: then every stored property
    /// starts as a constant, so a global inverter holding this is laid out in .data/.bss by the
    /// compiler instead of being built on the stack at startup (the Cortex-M4 firmware's stack
    /// high-water fell from 90.7 kB to 18 kB with that).
    var window: InlineArray<N, Int16>
    var windowReady = false

    /// Fractional bits of the accumulator beyond Q15: its rounding adds ~2^-11 LSB rms per
    /// frame, far below the final rounding to Int16 (0.29 LSB rms).
    static var fractionBits: Int { 10 }

    /// Fractional bits of the synthesis window (Q14).
    static var windowBits: Int { 14 }

    /// Delay in samples from the analysis input to this object's output.
    public static var latency: Int { N - H }

    public init() {
        checkSTFTSizes(frame: N, hop: H)
        accumulator = .init(repeating: 0)
        window = .init(repeating: 0)
    }

    /// Forgets all past frames, as if newly made.
    public mutating func reset() {
        accumulator = .init(repeating: 0)
        start = 0
    }

    /// Adds the frame whose packed spectrum is `spectrum` (N values, block exponent `exponent`;
    /// used as scratch and left holding the frame, stored * 2^(exponent + inverseReal's)) and
    /// writes the next H output samples, Q15, to `output`.
    public mutating func synthesize(
        spectrum: inout MutableSpan<Int16>, exponent: Int, output: inout MutableSpan<Int16>
    ) {
        precondition(spectrum.count == N && output.count == H, "Q15STFTSynthesis: wrong buffer size")
        prepare()
        let frameExponent = exponent + Q15FFT.inverseReal(&spectrum)
        // frame * window is stored * 2^(frameExponent - windowBits) in Q15 units; the
        // accumulator counts 2^-fractionBits of those.
        let shift = frameExponent - Self.windowBits + Self.fractionBits
        // Per sample: product, rounding shift, QADD; per output sample: rounding shift, SSAT
        // and the zero that reopens its slot; the second of the ring's two segments.
        OperationCounter.record(
            .synthesis, OperationMix(integer: 4, multiply: 1, load: 3, store: 1, branch: 1) * N
                + OperationMix(integer: 6, load: 1, store: 2, branch: 1) * H + OperationMix(integer: 10, branch: 2))
        // The frame's first N - start samples go to the ring's end, the rest to its beginning;
        // the H samples the first segment starts with are finished.
        let tail = N - start
        var sums = accumulator.mutableSpan
        var end = sums._mutatingExtracting(start..<N)
        Self.overlapAdd(frame: spectrum.span.extracting(0..<tail), window: window.span.extracting(0..<tail), shift: shift,
                        accumulator: &end, output: &output)
        for i in 0..<H { end[i] = 0 }
        var beginning = sums._mutatingExtracting(0..<start)
        var none = output._mutatingExtracting(0..<0)
        Self.overlapAdd(frame: spectrum.span.extracting(tail..<N), window: window.span.extracting(tail..<N), shift: shift,
                        accumulator: &beginning, output: &none)
        start = (start + H) % N
    }

    /// The overlap-add's definition: accumulator[i] = sat32(accumulator[i] + scaled(frame[i]
    /// window[i], shift)) for every i, then output[i] = sat16(accumulator[i] / 2^fractionBits,
    /// rounded half up) for i < H, all in exact 64-bit arithmetic.
    static func overlapAddPlain(
        frame: Span<Int16>, window: Span<Int16>, shift: Int, accumulator: inout MutableSpan<Int32>, output: inout MutableSpan<Int16>
    ) {
        for i in 0..<frame.count {
            let product = Int32(frame[i]) * Int32(window[i])
            accumulator[i] = Int32(clamping: Int64(accumulator[i]) + Int64(scaled(product, by: shift)))
        }
        for i in 0..<output.count {
            output[i] = Int16(clamping: roundedShift(Int64(accumulator[i]), by: fractionBits))
        }
    }

    /// `overlapAddPlain`'s bits in 32-bit arithmetic, as the frames run it. A product of two
    /// Int16 values lies in [-2^30, 2^30], so for a right shift s <= 30 the rounded
    /// (product + 2^(s-1)) >> s fits Int32, and for s >= 31 it is 0 (the accumulator keeps its
    /// value); QADD is the saturating sum. The output's rounding half up by 2^10 is
    /// floor(a / 2^10) plus bit 9 of a, which cannot overflow. A left shift (a frame so quiet
    /// that its block exponent is very negative) takes the plain path.
    static func overlapAdd(
        frame: Span<Int16>, window: Span<Int16>, shift: Int, accumulator: inout MutableSpan<Int32>, output: inout MutableSpan<Int16>
    ) {
        precondition(window.count == frame.count && accumulator.count == frame.count && output.count <= frame.count)
        guard shift < 0 else {
            overlapAddPlain(frame: frame, window: window, shift: shift, accumulator: &accumulator, output: &output)
            return
        }
        let s = -shift
        if s <= 30 {
            let bias = Int32(1) << (s - 1), r = Int32(s)
            for i in frame.indices {
                let product = Int32(frame[i]) &* Int32(window[i])
                accumulator[i] = rephase_qadd(accumulator[i], (product &+ bias) &>> r)
            }
        }
        for i in output.indices {
            let a = accumulator[i]
            output[i] = Int16(truncatingIfNeeded: rephase_ssat16((a &>> Int32(fractionBits)) &+ ((a &>> Int32(fractionBits - 1)) & 1)))
        }
    }

    /// Computes the synthesis window, once: w / sum w^2 with w = q / 2^15, i.e. q 2^15 / sum q^2,
    /// in Q14, rounded half up. It costs about as much as a tenth of a frame of the Q15 CNN on
    /// a Cortex-M4: a caller with a real-time budget calls this before its first frame, so that
    /// no frame pays it.
    public mutating func prepare() {
        guard !windowReady else { return }
        for t in 0..<N {
            var energy: Int64 = 0
            var s = t % H
            while s < N {
                let q = Int64(HannWindow.valueQ15(s, length: N))
                energy += q * q
                s += H
            }
            let q = Int64(HannWindow.valueQ15(t, length: N))
            window[t] = Int16(((q << (15 + Self.windowBits)) + energy / 2) / energy)
        }
        windowReady = true
    }

    /// product * 2^shift in Int32: rounded half up for a right shift, saturated for a left one.
    /// |product| < 2^31, so shifts are capped where the result no longer changes (left by 32:
    /// any non-zero product saturates; right by 40: everything rounds to 0).
    @inline(__always)
    static func scaled(_ product: Int32, by shift: Int) -> Int32 {
        if shift >= 0 {
            return Int32(clamping: Int64(product) << min(shift, 32))
        }
        return Int32(truncatingIfNeeded: roundedShift(Int64(product), by: min(-shift, 40)))
    }
}
