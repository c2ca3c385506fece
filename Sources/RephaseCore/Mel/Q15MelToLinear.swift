/// The fixed-point mel -> linear kernel: `MelToLinear`'s non-negative pseudo-inverse (two
/// coefficients per bin; no gradient steps) in integer arithmetic, for cores without an FPU.
///
/// Formats, rounding and saturation:
/// - Input: one mel frame in Q15 (`Int16`, value raw / 2^15). Mel values are non-negative;
///   a negative input is taken as 0.
/// - Coefficients: unsigned Q15.16 in `Int32` (value raw / 2^16, up to 32768 - 2^-16),
///   each the float pseudo-inverse gain times 2^16 rounded to nearest (ties away from zero)
///   at init, saturating at Int32.max. With the Slaney normalisation a band's weights sum to
///   about 1/31 at N = 512, so the gains are about 31: the linear magnitudes come out about 31
///   times the mel values and the mel input should be scaled so that they fit in Q15.
/// - Per bin: acc = c_falling m_falling + c_rising m_rising in Int64 (each product below
///   2^46, so the sum is exact), then out = acc / 2^16 rounded half up (ties toward
///   +infinity; `roundingShiftRight`) and saturated to [0, 32767] (Q15).
/// Bit-exact against an independent Int64 model in the tests (Q15MelToLinearTests).
public struct Q15MelToLinear<let K: Int, let B: Int>: Sendable {
    var fallingBand = InlineArray<K, Int16>(repeating: 0)
    var risingBand = InlineArray<K, Int16>(repeating: 0)
    var fallingGain = InlineArray<K, Int32>(repeating: 0)
    var risingGain = InlineArray<K, Int32>(repeating: 0)

    /// Fractional bits of the coefficients.
    public static var coefficientShift: Int { 16 }

    /// The fixed-point twin of `stage`'s pseudo-inverse (its iterations play no part).
    public init(_ stage: MelToLinear<K, B>) {
        for k in 0..<K {
            fallingBand[k] = stage.filterbank.fallingBand[k]
            risingBand[k] = stage.filterbank.risingBand[k]
            let gains = stage.gains(bin: k)
            fallingGain[k] = Self.quantize(gains.falling)
            risingGain[k] = Self.quantize(gains.rising)
        }
    }

    /// gain * 2^16 to the nearest integer, saturating at Int32.max.
    static func quantize(_ gain: Float) -> Int32 {
        let scaled = FloatMath.nearestInteger(gain * Float(1 << coefficientShift))
        return scaled >= 0x1p31 ? .max : Int32(scaled)
    }

    /// Bin k's bands and Q15.16 coefficients (falling band, rising band), for the tests'
    /// reference model.
    public func coefficients(bin k: Int) -> (fallingBand: Int, falling: Int32, risingBand: Int, rising: Int32) {
        (Int(fallingBand[k]), fallingGain[k], Int(risingBand[k]), risingGain[k])
    }

    /// Q15 linear magnitudes (K values) for one Q15 mel frame (B values).
    public func convert(mel m: Span<Int16>, into a: inout MutableSpan<Int16>) {
        precondition(m.count == B && a.count == K, "Q15MelToLinear.convert: wrong sizes")
        for k in 0..<K {
            let lo = Int64(max(m[Int(fallingBand[k])], 0)), hi = Int64(max(m[Int(risingBand[k])], 0))
            let acc = Int64(fallingGain[k]) &* lo &+ Int64(risingGain[k]) &* hi
            let out = roundingShiftRight(acc, by: Self.coefficientShift)
            a[k] = Int16(truncatingIfNeeded: min(out, Int64(Int16.max)))
        }
        // Per bin: two index, two mel and two coefficient loads, two clamps, two 32 x 16
        // multiplies (the second accumulating), the rounding shift (3 operations), the
        // saturation and a store.
        OperationCounter.record(.mel, OperationMix(integer: 6, multiply: 2, load: 6, store: 1, branch: 1) * K)
    }
}
