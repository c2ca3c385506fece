/// Block-floating-point bookkeeping for the Q15 FFTs: one exponent shared by a whole block of
/// Int16 values, plus a bound on their magnitudes that decides how far to shift before each step.
///
/// Invariant: the exact value each stored integer v stands for is v * 2^exponent, and every
/// stored |v| <= `magnitudeBound`. Before a step whose outputs can grow to `gain` / 2^15 times the
/// largest input (see `unitGain`, `twiddleGain`), `shiftBeforeStep` picks the smallest right shift
/// that provably keeps every output inside Int16, and adds it to the exponent. Shifting only as
/// much as the data needs, instead of CMSIS-DSP's fixed 1 bit per stage, keeps the block near
/// full scale and therefore the rounding noise small relative to the signal.
struct Q15Block {
    var exponent: Int
    var magnitudeBound: Int32

    /// Bound on |a| + |b| relative to the largest input m, in units of 2^-15: the radix-2 stages
    /// whose twiddles are only 1 and -+i (the first two) give outputs |a +- w b| <= 2m.
    static let unitGain: Int64 = 2 << 15

    /// Same for a general twiddle: each output component a.re + w.re b.re - w.im b.im is bounded
    /// by m (1 + |w.re| + |w.im|) <= (1 + sqrt 2) m. 46342 is the largest |cos| + |sin| of the
    /// twiddles `Q15FFT.twiddle` makes (checked by a test), so the bound includes their rounding.
    static let twiddleGain: Int64 = (1 << 15) + 46342

    /// Shifts the block left by its headroom, so that quiet input uses all 16 bits too, and starts
    /// the exponent at minus that headroom.
    init(normalizing x: UnsafeMutablePointer<Int16>, count: Int) {
        // v ^ (v >> 15) is |v| for v >= 0 and |v| - 1 for v < 0: exactly the value whose bit
        // length decides whether v << h still fits (-16384 << 1 does, 16384 << 1 does not).
        var folded: Int16 = 0
        for i in 0..<count {
            folded = max(folded, x[i] ^ (x[i] &>> 15))
        }
        let headroom = UInt16(folded).leadingZeroBitCount - 1  // 0...15; all zeros give 15
        for i in 0..<count {
            x[i] = x[i] &<< headroom
        }
        exponent = -headroom
        magnitudeBound = (Int32(folded) + 1) << headroom
    }

    /// What `init(normalizing:count:)` executes, for the simulator (OperationCounter): a pass
    /// for the peak (load, fold, compare, select) and a pass that shifts every element.
    static func normalizingOperations(count: Int) -> OperationMix {
        OperationMix(integer: 5, load: 2, store: 1, branch: 2) * count
    }

    /// Chooses the right shift s for a step of the given gain and adds it to the exponent.
    ///
    /// An output is round((exact pre-shift value v) / 2^(15+s)) with |v| <= magnitudeBound * gain;
    /// with round half up it lies in -32768...32767 whenever |v| + 2^(14+s) < 2^(30+s), which is
    /// the test below. For gains up to `twiddleGain` s <= 2 always suffices (<= 3 for twice that).
    mutating func shiftBeforeStep(gain: Int64) -> Int {
        var s = 0
        while Int64(magnitudeBound) * gain >= (Int64(1) << (30 + s)) - (Int64(1) << (14 + s)) {
            s += 1
        }
        exponent += s
        return s
    }

    /// For a step computed exactly first (`Q15FFT.storeFullScale`): outputs are v * 2^-scale and
    /// `folded` is the largest v ^ (v >> 63) (|v|, or |v| - 1 for v < 0). Returns the smallest
    /// r >= 1 for which every round(v / 2^r), half up, fits Int16 (v + 2^(r-1) < 2^(15+r), which
    /// also covers negative v), so the largest output lands in 2^14 ... 2^15; the exponent moves
    /// by r - scale, which is negative when the step's outputs are small.
    mutating func shiftToFill(folded: Int64, scale: Int) -> Int {
        var r = 1
        while folded + (1 << (r - 1)) >= Int64(1) << (15 + r) {
            r += 1
        }
        exponent += r - scale
        return r
    }
}

/// round((a * 2^15 + t) / 2^(15+s)), rounding half up, computed in Int32 without overflow for
/// |a| <= 32768, |t| < 2^31 and a result in Int16 (which `shiftBeforeStep` guarantees).
///
/// The sum itself needs up to 32 bits, so t is shifted by s first. That is not a second rounding:
/// for an integer A and 0 <= f < 1, floor((A + f) / 2^15) = floor(A / 2^15), so flooring t / 2^s
/// before the final rounding shift gives exactly the same result as one rounding of the exact sum.
@inline(__always)
func roundedSum(_ a: Int32, _ t: Int32, shift s: Int) -> Int32 {
    ((a &<< (15 &- s)) &+ (t &>> s) &+ (1 << 14)) &>> 15
}

/// round(v / 2^r), rounding half up (r >= 1), for the split and merge steps, whose 17-bit sums
/// times a Q15 twiddle need 34 bits; those steps are O(n), so Int64 costs little there.
@inline(__always)
func roundedShift(_ v: Int64, by r: Int) -> Int64 {
    (v &+ (1 << (r &- 1))) &>> r
}

/// Stores an output as Int16 and raises `peak` to its magnitude. The clamp is a safety net only:
/// `Q15Block.shiftBeforeStep` chose the shift so that no output can leave Int16.
@inline(__always)
func narrowed<Value: FixedWidthInteger & SignedInteger>(_ v: Value, peak: inout Int32) -> Int16 {
    let r = Int16(clamping: v)
    peak = max(peak, Int32(r ^ (r &>> 15)) + 1)
    return r
}
