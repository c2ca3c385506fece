/// The periodic Hann window, w[t] = 0.5 - 0.5 cos(2 pi t / N), from the FFT's constant
/// tables, so the core needs no libm. N is a power of two 16...2048 (checked by the STFTs).
enum HannWindow {
    /// Index into the 2048-point circle of angle 2 pi t / N, folded into the half turn by the
    /// window's symmetry w[t] = w[N - t].
    @inline(__always)
    static func circleIndex(_ t: Int, length: Int) -> Int {
        let folded = t <= length / 2 ? t : length - t
        return folded * (fftTableCircle / length)
    }

    static func valueF32(_ t: Int, length: Int) -> Float {
        0.5 - 0.5 * unitCircle(circleIndex(t, length: length)).cos
    }

    /// w[t] in Q15 with 1.0 stored as 32767: (32767 - cos) / 2, rounded half up.
    static func valueQ15(_ t: Int, length: Int) -> Int16 {
        let c = Int32(q15UnitCircle(circleIndex(t, length: length)).cos)
        return Int16((32767 - c + 1) >> 1)
    }

    /// sum_m w[t + mH]^2 over all frames overlapping sample offset t (0 <= t < H): what
    /// weighted overlap-add divides by. 1.5 for Hann at 75 % overlap; computed, not assumed,
    /// so any hop that divides N works.
    static func overlapEnergyF32(_ t: Int, length: Int, hop: Int) -> Float {
        var sum: Float = 0
        var s = t
        while s < length {
            let w = valueF32(s, length: length)
            sum += w * w
            s += hop
        }
        return sum
    }
}

/// What a loop that multiplies `count` samples by a window executes, for the simulator
/// (OperationCounter): two loads, a multiplication and a store per sample.
func windowOperations(count: Int) -> OperationMix {
    OperationMix(integer: 1, load: 2, store: 1, branch: 1, floatMultiply: 1) * count
}

/// Checks the STFT size parameters once, at construction (a wrong size is a programming error).
func checkSTFTSizes(frame n: Int, hop h: Int) {
    // A hop above N/2 leaves samples where the overlap energy sum_m w^2 is zero: no inverse.
    guard fftLog2(n) != nil, n >= 16, h >= 1, 2 * h <= n, n % h == 0 else {
        fatalError("STFT: frame length must be a power of two 16...2048 and the hop must divide it, at most N/2")
    }
}
