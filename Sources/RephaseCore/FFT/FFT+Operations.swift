/// The operations each transform reports to the simulator (OperationCounter), from the loop
/// bounds above, per instruction of a straightforward Cortex-M4F compilation: every element
/// access a load or store, index arithmetic and loop counters integer operations, one taken
/// branch per loop iteration; a SIMD4 operation is four scalar ones there. The twiddle reads
/// keep their bounds checks, which the integer counts include, as measured on the M4 by
/// Targets/cortex-m4/profile-stages (eight butterflies of a stage pair about 115 instructions).
extension FFT {
    /// `complexInPlace` on n points: the permutation, the first two stages together, one lone
    /// radix-2 stage when log2(n) is odd, then pairs of stages; the stages go two j (one
    /// `TwiddlePair`) at a time.
    static func complexOperations(n: Int, bits: Int) -> OperationMix {
        let mix = bitReversalOperations(n: n, bits: bits, pointWords: 2)
        guard n >= 4 else {
            return mix + OperationMix(integer: 3, load: 6, store: 4, floatAdd: 4, floatMultiply: 3, floatMultiplyAdd: 2)
        }
        // Stages 1 and 2: per group of four points, 8 loads, 16 additions, 8 stores.
        let firstTwo = OperationMix(integer: 2, load: 8, store: 8, branch: 1, floatAdd: 16, floatMultiply: 2) * (n / 4)
        // Two butterflies (two j) of a lone stage; eight (two j, four points) of a pair.
        let twoButterflies = OperationMix(integer: 4, load: 8, store: 8, branch: 1, floatAdd: 12, floatMultiply: 8)
        let eightButterflies = OperationMix(integer: 6, load: 16, store: 16, branch: 1, floatAdd: 48, floatMultiply: 32)
        let twiddles = twiddlePairOperations
        var stages = OperationMix()
        var half = 4
        if (bits - 2) % 2 == 1 {
            stages = stages + twoButterflies * (n / 4) + twiddles * (half / 2)
            half *= 2
        }
        while half < n {
            stages = stages + eightButterflies * (n / 8) + twiddles * (3 * half / 2)
            half *= 4
        }
        return mix + firstTwo + stages
    }

    /// One `TwiddlePair`: two table points (a quadrant test and two bounds-checked reads each)
    /// and their signs, plus the j loop's own step.
    static var twiddlePairOperations: OperationMix {
        OperationMix(integer: 20, multiply: 2, load: 4, branch: 4, floatAdd: 2, floatMultiply: 2)
    }

    /// `splitRealSpectrum` or `mergeRealSpectrum` of an n-sample real spectrum (both do the
    /// same work per pair of bins k, M - k): two pairs at a time while 2k + 2 < M, then one.
    static func splitOperations(n: Int) -> OperationMix {
        let m = n / 2
        let vectorSteps = (m / 2 - 1) / 2
        let scalarPairs = m / 2 - 2 * vectorSteps
        let twoPairs = OperationMix(integer: 6, load: 8, store: 8, branch: 1, floatAdd: 26, floatMultiply: 16)
        let pair = OperationMix(
            integer: 26, multiply: 1, load: 6, store: 4, branch: 1, floatAdd: 8, floatMultiply: 6, floatMultiplyAdd: 2)
        return OperationMix(load: 2, store: 2, floatAdd: 2, floatMultiply: 2)
            + (twoPairs + twiddlePairOperations) * vectorSteps + pair * scalarPairs
    }
}

/// `bitReversePermute` of n = 2^bits points: a swap of two complex points for each of the
/// (n - p) / 2 pairs (p = 2^ceil(bits/2) indices are their own reversal), with one table read
/// per pair of halves, and the outer loop over the 2^floor(bits/2) high halves. A point is
/// `pointWords` 32-bit words: 2 for Float32, 1 for Q15.
func bitReversalOperations(n: Int, bits: Int, pointWords: Int) -> OperationMix {
    let palindromes = 1 << ((bits + 1) / 2)
    let swaps = (n - palindromes) / 2
    let halfPairs = bits % 2 == 1 ? swaps / 2 : swaps
    return OperationMix(integer: 6, load: 1, branch: 2) * (1 << (bits / 2))
        + OperationMix(integer: 6, load: 1, branch: 1) * halfPairs
        + OperationMix(integer: 2, load: 2 * pointWords, store: 2 * pointWords) * swaps
}
