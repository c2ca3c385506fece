/// MelConsistency in integers, on block-floating frames (BlockFloatingMagnitudes): the steps
/// that bring the Q15 mel networks' corrected mantissas back to the mel frame their
/// pseudo-inverse came from, bit-exact to Tools/cnn/mel_consistency.py's `consistent_q`
/// (MelConsistencyTests checks its golden frames, and the Float32 kernel to 1e-4 of the
/// frame's peak).
///
/// Formats, rounding and saturation (the tables, MelConsistencyTables: band means A and
/// interpolation weights W in unsigned Q15, the Thomas factors mu, T[b, b+1] and 1/d in Q29,
/// all rounded half up by the generator):
/// - levels, from the pseudo-inverse frame m0 2^e0: t_b = sum_k A[b, k] m0_k exact in 64 bits
///   (below 2^54); shifted right by sh = max(0, bitlength(max t) - 28), rounded half up, so
///   that the solve's products stay below 2^62; the Thomas sweeps with every product
///   rshift_round(x c, 29); negative levels become 0. Level l_b is worth l_b 2^(e0 + sh - 15).
/// - each step, on the corrected frame m 2^e: v_b = sum_k A[b, k] m_k (64 bits); where v_b and
///   l_b are non-zero, 1/v_b by FixedReciprocal on v_b's top 32 bits, and the ratio
///   r_b = l_b / v_b as P_b 2^rho_b with P_b = l_b p below 2^62; the ratios take one shared
///   exponent R = max(bitlength(P_b) + rho_b), each r_b = P_b 2^(rho_b - R + 32) rounded half up
///   and saturated to 2^32 - 1 (0 for bands 2^63 below the largest), so that a correction that
///   moved the whole frame by e^16 loses nothing; the gain of bin k,
///   G_k = rshift_round(W[k, lo] r_lo + W[k, lo + 1] r_(lo+1), 15), saturated to 2^32 - 1;
///   y_k = m_k G_k exact in 64 bits; back to block floating point with the peak's mantissa in
///   [2^31, 2^32): shifted by bitlength(max y) - 32 (left exactly, right rounded half up and
///   saturated), the exponent moving by R - 32 and that shift.
/// - A frame without a single ratio (its pseudo-inverse or its correction silent) or whose
///   products are all 0 becomes silent: mantissas 0, exponent 0.
/// Error against the Float32 definition, relative to the frame's peak: A's and W's rounding to
/// 2^-16 (W's changes each step's gain by up to 1.5e-5), the levels' 28 bits and the ratios'
/// 32; measured on the golden frames 1.5e-5 at most.
enum Q15MelConsistency {
    /// The band levels of a pseudo-inverse frame, each worth value 2^(exponent - 15).
    struct Levels {
        var values = InlineArray<80, Int64>(repeating: 0)
        var exponent = 0
    }

    /// The levels l = T^-1 A a0 of the pseudo-inverse frame `m0` (exponent `e0`).
    static func levels(of m0: Span<UInt32>, exponent e0: Int) -> Levels {
        var levels = Levels()
        // The working arrays are `var`s read through spans or in place, and filled through
        // `inout` rather than returned: indexing a `let` InlineArray in a loop made the compiler
        // copy all of it per iteration (the first version of these steps took 3.2 M
        // instructions a frame on the M4, this one 216 k), and a returned array is a copy.
        var sums = InlineArray<80, UInt64>(repeating: 0)
        var v = sums.mutableSpan
        means(of: m0, into: &v)
        var largest: UInt64 = 0
        for b in 0..<v.count { largest = max(largest, v[b]) }
        let sh = max(0, 64 - largest.leadingZeroBitCount - MelConsistencyTables.levelBits)
        levels.exponent = e0 + sh
        var l = levels.values.mutableSpan
        GeneratedTable.withSpan(&MelConsistencyTables.bandsQ29) { t in
            let last = l.count - 1
            l[0] = Int64(roundingShiftRight(v[0], by: sh))
            for b in 1...last { l[b] = Int64(roundingShiftRight(v[b], by: sh)) &- scaled(l[b - 1], t[3 * b]) }
            l[last] = scaled(l[last], t[3 * last + 2])
            for b in stride(from: last - 1, through: 0, by: -1) {
                l[b] = scaled(l[b] &- scaled(l[b + 1], t[3 * b + 1]), t[3 * b + 2])
            }
            for b in 0...last { l[b] = max(l[b], 0) }
        }
        // Per band: the band sum's rounding shift, three 64 x 32 products with their rounding,
        // the subtractions and the clamp, with the spans' bounds checks.
        OperationCounter.record(.mel, OperationMix(integer: 40, multiply: 9, load: 6, store: 3, branch: 6) * l.count)
        return levels
    }

    /// `MelConsistencyTables.steps` steps of the corrected frame `m` (exponent `e`) towards
    /// `levels`, in place; returns the new exponent. Two passes over the bins per step: the
    /// gains with the products' largest bit length, then the new mantissas with the next
    /// step's band sums (so that only the first step has a pass of its own for them).
    static func apply(_ m: inout MutableSpan<UInt32>, exponent e: Int, levels: Levels) -> Int {
        var e = e
        var scratch = Scratch()
        var sums = scratch.sums.mutableSpan, r = scratch.ratios.mutableSpan, gains = scratch.gains.mutableSpan
        var p = scratch.products.mutableSpan, rho = scratch.exponents.mutableSpan
        let l = levels.values.span
        means(of: m.span, into: &sums)
        for _ in 0..<MelConsistencyTables.steps {
            guard let exponent = ratios(sums.span, l, levelExponent: levels.exponent, exponent: e, products: &p, exponents: &rho, into: &r)
            else { return silence(&m) }
            let top = GeneratedTable.withSpan(&MelConsistencyTables.lowerBand) { lower in
                GeneratedTable.withSpan(&MelConsistencyTables.binsQ15) { w in
                    var top = 0
                    for k in 0..<gains.count {
                        let lo = Int(lower[k])
                        let sum = UInt64(w[4 * k + 2]) &* UInt64(r[lo]) &+ UInt64(w[4 * k + 3]) &* UInt64(r[lo + 1])
                        gains[k] = UInt32(min(roundingShiftRight(sum, by: 15), UInt64(UInt32.max)))
                        top = max(top, 64 - (UInt64(m[k]) &* UInt64(gains[k])).leadingZeroBitCount)
                    }
                    return top
                }
            }
            guard top > 0 else { return silence(&m) }
            let d = top - 32
            for b in 0..<sums.count { sums[b] = 0 }
            GeneratedTable.withSpan(&MelConsistencyTables.lowerBand) { lower in
                GeneratedTable.withSpan(&MelConsistencyTables.binsQ15) { w in
                    for k in 0..<m.count {
                        let y = UInt64(m[k]) &* UInt64(gains[k])
                        m[k] = d <= 0 ? UInt32(truncatingIfNeeded: y &<< UInt64(-d)) : UInt32(min(roundingShiftRight(y, by: d), UInt64(UInt32.max)))
                        let lo = Int(lower[k]), v = UInt64(m[k])
                        sums[lo] &+= UInt64(w[4 * k]) &* v
                        sums[lo + 1] &+= UInt64(w[4 * k + 1]) &* v
                    }
                }
            }
            e += exponent - 32 + d
            // Per bin: the gain (the band index, two weights and two ratios, two multiply-adds,
            // the 64-bit rounding and saturation, a store) and the product's bit length; then
            // the product again, its shift and saturation, and the next band sums' two 64-bit
            // multiply-adds; every span access bounds-checked.
            OperationCounter.record(.mel, OperationMix(integer: 43, multiply: 6, load: 15, store: 6, branch: 17) * m.count)
        }
        return e
    }

    /// The working rows of `apply`, on its stack (3.2 kB).
    struct Scratch {
        var sums = InlineArray<80, UInt64>(repeating: 0)
        var products = InlineArray<80, UInt64>(repeating: 0)
        var exponents = InlineArray<80, Int32>(repeating: 0)
        var ratios = InlineArray<80, UInt32>(repeating: 0)
        var gains = InlineArray<257, UInt32>(repeating: 0)
    }

    /// The ratios r_b = l_b / v_b of a step into `r`, with their shared exponent (r_b
    /// 2^(exponent - 32) is the ratio) returned; nil when no band has one. Each is first
    /// P_b 2^rho_b: P_b = l_b p with 1/v_b ~ p 2^-q (FixedReciprocal on v_b's top 32 bits, z bits
    /// dropped) and rho_b = levelExponent - e - q - z, kept in `products` and `exponents`.
    static func ratios(
        _ v: Span<UInt64>, _ l: Span<Int64>, levelExponent: Int, exponent e: Int, products p: inout MutableSpan<UInt64>,
        exponents rho: inout MutableSpan<Int32>, into r: inout MutableSpan<UInt32>
    ) -> Int? {
        var top = Int.min
        for b in 0..<v.count {
            p[b] = 0
            guard v[b] > 0 && l[b] > 0 else { continue }
            let z = max(0, 64 - v[b].leadingZeroBitCount - 32)
            let (mantissa, q) = FixedReciprocal.reciprocal(UInt32(truncatingIfNeeded: v[b] &>> UInt64(z)))
            p[b] = UInt64(l[b]) &* UInt64(mantissa)
            rho[b] = Int32(truncatingIfNeeded: levelExponent - e - q - z)
            top = max(top, 64 - p[b].leadingZeroBitCount + Int(rho[b]))
        }
        guard top > Int.min else { return nil }
        for b in 0..<v.count {
            r[b] = 0
            guard p[b] > 0 else { continue }
            let shift = Int(rho[b]) - top + 32
            let value = shift >= 0 ? p[b] &<< UInt64(shift) : -shift >= 63 ? 0 : roundingShiftRight(p[b], by: -shift)
            r[b] = UInt32(min(value, UInt64(UInt32.max)))
        }
        // Per band: the sums' test, the normalising shift, the reciprocal, the 64 x 32 product,
        // the exponent and maximum; then the 64-bit shift, rounding and saturation.
        OperationCounter.record(.mel, (FixedReciprocal.operations + OperationMix(integer: 50, multiply: 2, load: 9, store: 5, branch: 14)) * v.count)
        return top
    }

    /// Flash bytes of the tables this kernel reads (band indices, A and W, the Thomas factors).
    static var tableBytes: Int {
        let t = MelConsistencyTables.self
        return MemoryLayout.size(ofValue: t.lowerBand) + MemoryLayout.size(ofValue: t.binsQ15) + MemoryLayout.size(ofValue: t.bandsQ29)
    }

    /// sum_k A[b, k] m_k for every band, exact, into `sums` (B values).
    static func means(of m: Span<UInt32>, into sums: inout MutableSpan<UInt64>) {
        precondition(m.count == CNNArchitecture.bins, "Q15MelConsistency: a frame has 257 bins")
        for b in 0..<sums.count { sums[b] = 0 }
        GeneratedTable.withSpan(&MelConsistencyTables.lowerBand) { lower in
            GeneratedTable.withSpan(&MelConsistencyTables.binsQ15) { w in
                for k in 0..<m.count {
                    let lo = Int(lower[k]), v = UInt64(m[k])
                    sums[lo] &+= UInt64(w[4 * k]) &* v
                    sums[lo + 1] &+= UInt64(w[4 * k + 1]) &* v
                }
            }
        }
        // Per bin: the band index, two weights and the mantissa, two 64-bit read-modify-writes
        // of the sums with their multiply-adds, the bounds checks.
        OperationCounter.record(.mel, OperationMix(store: sums.count) + OperationMix(integer: 11, multiply: 2, load: 8, store: 4, branch: 5) * m.count)
    }

    /// rshift_round(x c, 29) for a Q29 coefficient c.
    @inline(__always)
    static func scaled(_ x: Int64, _ c: Int32) -> Int64 {
        roundingShiftRight(x &* Int64(c), by: MelConsistencyTables.coefficientBits)
    }

    /// Silences the frame; returns its exponent, 0.
    static func silence(_ m: inout MutableSpan<UInt32>) -> Int {
        for k in 0..<m.count { m[k] = 0 }
        return 0
    }
}
