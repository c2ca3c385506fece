/// Radix-2 FFTs on Int16 data in block floating point, in place, for powers of two up to 2048.
///
/// Same layouts, sign conventions and algorithm as `FFT` (interleaved complex points; the
/// packed real spectrum `[X0.re, X(n/2).re, X1.re, X1.im, ...]`; bit reversal, then
/// decimation-in-time butterflies; the real transforms go through an n/2-point complex FFT plus a
/// split or merge step), with Int16 storage and Int32 arithmetic (Int64 in the O(n) split/merge).
///
/// Format: every input and output element is read as a plain integer. Each transform returns a
/// block exponent e, and the exact result is the stored integers times 2^e:
/// - `real`: X[k] = sum_t x[t] e^{-2 pi i k t / n} ~= stored[k] * 2^e (no 1/n, as in FFT);
/// - `complex`: the same for complex data; `inverse: true` is unscaled (n times the inverse DFT);
/// - `inverseReal`: x[t] = (1/n) sum_k X[k] e^{+2 pi i k t / n} ~= stored[t] * 2^e, the packed
///   input X read as integers. If that spectrum came from `real` with exponent e1, the signal is
///   stored * 2^(e1 + e): `inverseReal(real(x))` gives back x as stored * 2^(e1 + e).
/// An input of all zeros returns all zeros (with a meaningless exponent).
///
/// Scaling (the reason this beats CMSIS-DSP's arm_cfft_q15/arm_rfft_q15, which shift right one
/// bit in every stage and so deliver 30-40 dB SNR in a fixed format such as Q10.6 for a
/// 512-point rfft): the input is first shifted left by its headroom, so quiet blocks use all 16
/// bits; before each butterfly stage the block is shifted right by only as many bits (0, 1 or 2)
/// as the worst case of that stage needs to stay inside Int16 (see `Q15Block`). The O(n) split
/// (forward) and merge (inverse) steps are computed exactly in Int64 twice, first only to find
/// their largest output, then to store every output with the shift that brings that one to the
/// top bit (`storeFullScale`): one extra O(n) pass, no extra stage. Each output is rounded once
/// per step, half up, from the exact Int32 (or Int64) sum; saturation to Int16 is present but
/// unreachable by those bounds. Twiddles are the shared table rescaled to true Q15 (`twiddle`).
///
/// Resulting format: the spectrum of `real` always has its largest element between 2^14 and
/// 2^15 (full Int16 range), e.g. e = 5 for full-scale white noise at n = 512, i.e.
/// X = stored * 2^5; CMSIS-DSP's arm_rfft_q15 for 512 points always returns Q10.6, which is
/// X = stored * 2^9 in these terms, for every input; here a quiet block gets a smaller (even
/// negative) e instead of fewer significant bits. A constant 32767 (all energy in X0 = 32767 n)
/// gives e = log2 n + 1.
///
/// Measured SNR in dB against the float64 DFT of the same integers (Q15FFTTests; seeded noise
/// uniform over all of Int16; the loudest speech frame of the test clip; that frame at -40 dB;
/// e is the exponent `real` returned for the noise):
///
///        n   real noise   speech   speech -40 dB   complex (fwd = inv)   real+inverseReal    e
///        2        -          -           -                86.7                   -            -
///        4      91.1         -           -                96.0                 85.2           2
///        8      87.4         -           -                82.4                 78.8           1
///       16      86.8         -           -                78.4                 78.1           3
///       32      79.0         -           -                77.7                 74.1           3
///       64      76.6         -           -                78.2                 74.7           4
///      128      75.5         -           -                76.0                 72.1           4
///      256      74.6       72.8        73.5               74.7                 71.8           5
///      512      73.6       71.1        70.9               73.2                 70.8           5
///     1024      73.0       67.8        71.3               72.8                 70.3           6
///     2048      72.2       65.2        63.5               72.5                 69.2           6
///
/// `inverseReal` alone, against the float64 inverse DFT of a full-scale Hermitian spectrum:
/// 80.1 / 72.1 / 71.6 dB for n = 16 / 512 / 2048. Extreme inputs (constant +32767 or -32768,
/// alternating +32767/-32768, an impulse of -32768) give 89 dB or more and never saturate.
/// Speech loses a few dB to noise because its peaks, which set the block scale, stand higher
/// above its average level. Before the twiddle rescaling and the full-scale split/merge, the
/// 512-point column read 71.9 / 68.7 / 66.0 / 72.0 / 68.4 dB, and a Q15 STFT round trip of
/// speech (N = 512, H = 128) 68.0 dB instead of 72.5 dB.
public enum Q15FFT {
    /// In-place complex FFT of `data.count / 2` interleaved points (2 ... 2048, power of two);
    /// returns the block exponent of the result.
    public static func complex(_ data: inout MutableSpan<Int16>, inverse: Bool = false) -> Int {
        complex(&data, inverse: inverse, kernels: .optimised)
    }

    static func complex(_ data: inout MutableSpan<Int16>, inverse: Bool, kernels: Q15FFTKernels) -> Int {
        let n = data.count / 2
        guard let bits = fftLog2(n), data.count == 2 * n else {
            fatalError("Q15FFT.complex: size must be 2...2048 complex points, a power of two")
        }
        OperationCounter.record(.fft, Q15Block.normalizingOperations(count: 2 * n) + complexOperations(n: n, bits: bits))
        return data.withUnsafeMutableBufferPointer { p in
            let x = p.baseAddress!
            var block = Q15Block(normalizing: x, count: 2 * n)
            complexInPlace(x, n: n, bits: bits, inverse: inverse, block: &block, kernels: kernels)
            return block.exponent
        }
    }

    /// In-place forward real FFT of `data.count` samples (4 ... 2048, power of two), output
    /// packed; returns the block exponent of the spectrum.
    public static func real(_ data: inout MutableSpan<Int16>) -> Int {
        real(&data, kernels: .optimised)
    }

    static func real(_ data: inout MutableSpan<Int16>, kernels: Q15FFTKernels) -> Int {
        let n = data.count
        guard n >= 4, let bits = fftLog2(n) else {
            fatalError("Q15FFT.real: size must be 4...2048, a power of two")
        }
        OperationCounter.record(.fft, realOperations(n: n, bits: bits))
        return data.withUnsafeMutableBufferPointer { p in
            let x = p.baseAddress!
            var block = Q15Block(normalizing: x, count: n)
            // The even and odd samples form n/2 complex points; transform them, then split.
            complexInPlace(x, n: n / 2, bits: bits - 1, inverse: false, block: &block, kernels: kernels)
            splitRealSpectrum(x, n: n, block: &block, kernels: kernels)
            return block.exponent
        }
    }

    /// In-place inverse of `real`: packed spectrum in, `data.count` samples out (with the 1/n);
    /// returns the exponent of the samples relative to the spectrum's integers.
    public static func inverseReal(_ data: inout MutableSpan<Int16>) -> Int {
        inverseReal(&data, kernels: .optimised)
    }

    static func inverseReal(_ data: inout MutableSpan<Int16>, kernels: Q15FFTKernels) -> Int {
        let n = data.count
        guard n >= 4, let bits = fftLog2(n) else {
            fatalError("Q15FFT.inverseReal: size must be 4...2048, a power of two")
        }
        OperationCounter.record(.fft, realOperations(n: n, bits: bits))
        return data.withUnsafeMutableBufferPointer { p in
            let x = p.baseAddress!
            var block = Q15Block(normalizing: x, count: n)
            mergeRealSpectrum(x, n: n, block: &block, kernels: kernels)
            complexInPlace(x, n: n / 2, bits: bits - 1, inverse: true, block: &block, kernels: kernels)
            // The merge and the unscaled inverse FFT leave n times the signal; the 1/n costs no
            // bits as an exponent.
            return block.exponent - bits
        }
    }

    /// Bit-reversal permutation followed by log2(n) decimation-in-time butterfly stages, each
    /// preceded by its block shift. The twiddle loop is outermost within a stage, as in FFT.
    /// `kernels` picks the kernels (the same bits either way; tests compare them).
    static func complexInPlace(
        _ x: UnsafeMutablePointer<Int16>, n: Int, bits: Int, inverse: Bool, block: inout Q15Block,
        kernels: Q15FFTKernels
    ) {
        bitReversePermute(x, n: n, bits: bits)
        var half = 1
        while half < n {
            // Stages with half <= 2 use only the twiddles 1 and -+i.
            let s = block.shiftBeforeStep(gain: half <= 2 ? Q15Block.unitGain : Q15Block.twiddleGain)
            block.magnitudeBound = kernels.stage(x, n: n, half: half, inverse: inverse, shift: s)
            half *= 2
        }
    }

    /// Twiddle W = cos + i sin of table index `index` in true Q15 (1.0 = 32768, so Int32).
    ///
    /// The shared table stores round(32767 sin) to fit Int16, i.e. every twiddle 2^-15 too small.
    /// That error is not noise: it shrinks every product by the same factor in every stage, so it
    /// adds up coherently over the stages and, before this correction, dominated the error of a
    /// Q15 STFT round trip (68.0 dB at N = 512). v + round(v / 2^15) restores the scale exactly
    /// at 1.0 and within one LSB elsewhere, with errors that no longer share a sign.
    @inline(__always)
    static func twiddle(_ index: Int) -> (cos: Int32, sin: Int32) {
        let w = q15UnitCircle(index)
        let c = Int32(w.cos), s = Int32(w.sin)
        return (c + ((c + (1 << 14)) >> 15), s + ((s + (1 << 14)) >> 15))
    }
}

/// The operations each transform reports to the simulator (OperationCounter), from the loop
/// bounds above, per instruction of the Cortex-M4 build as QEMU executes it with the
/// optimised kernels (a 256-point inverse real FFT per frame of the Q15 inverters: about 38
/// instructions per butterfly and 38 per twiddle, whose table lookup and special cases are
/// paid once per butterfly in the last stage, and about 200 per pair k, M-k of the merge,
/// whose outputs are computed twice).
extension Q15FFT {
    /// `complexInPlace` on n points: the permutation, then log2(n) stages of n/2 butterflies,
    /// each output rounded and saturated (SSAT) and folded into the stage's peak.
    static func complexOperations(n: Int, bits: Int) -> OperationMix {
        let butterfly = OperationMix(integer: 29, multiply: 2, load: 3, store: 2, branch: 2)
        let twiddle = OperationMix(integer: 28, multiply: 1, load: 3, store: 2, branch: 4)
        let stage = OperationMix(integer: 10, multiply: 2, branch: 2)  // shiftBeforeStep
        return bitReversalOperations(n: n, bits: bits, pointWords: 1) + butterfly * ((n / 2) * bits) + twiddle * (n - 1) + stage * bits
    }

    /// `real` or `inverseReal` of n samples: normalising, the n/2-point complex FFT and the split
    /// or merge, whose outputs `storeFullScale` computes twice in 32 bits (first for the peak,
    /// then to store them).
    static func realOperations(n: Int, bits: Int) -> OperationMix {
        let pair = OperationMix(integer: 160, multiply: 16, load: 14, store: 4, branch: 5)
        return Q15Block.normalizingOperations(count: n) + complexOperations(n: n / 2, bits: bits - 1) + pair * (n / 4)
    }
}
