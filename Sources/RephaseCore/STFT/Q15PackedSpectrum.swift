import RephaseIntrinsics

/// Packed Int16 spectra for Q15STFTSynthesis: bin k is a_k u_k, the magnitude a_k from a
/// block-floating mantissa m_k (BlockFloatingMagnitudes) and a unit phasor u_k, in
/// Q15FFT's packed layout (real parts only at bins 0 and K - 1).
///
/// Formats: the mantissa is rounded to 15 bits, m16 = min((m + 2^16) >> 17, 32767) (half up);
/// each phasor component is an integer q of 15 fractional bits; the value is
/// X = rshift_round(m16 q, 15) (half up), saturated to Int16. X times 2^(e + 32) is then the
/// spectrum of Q15 integer samples for a frame of exponent e (a_k in Float units is
/// m16 2^(e + 17), and Q15 samples carry 2^15 more), the exponent Q15STFTSynthesis takes.

/// round(m / 2^17) half up, at most 32767, in 32 bits: (m >> 17) + bit 16 of m.
@inline(__always)
func fifteenBitMagnitude(_ mantissa: UInt32) -> Int32 {
    Int32(min((mantissa &>> 17) &+ ((mantissa &>> 16) & 1), 32767))
}

/// rshift_round(m16 q, 15), saturated to Int16.
@inline(__always)
func q15SpectrumValue(_ m16: Int32, _ q: Int32) -> Int16 {
    Int16(truncatingIfNeeded: rephase_ssat16(roundingShiftRight(m16 &* q, by: 15)))
}

/// The spectrum with Float phasors (the least-squares integrator's): q is the component
/// nearest to 32767 u, so that 1.0 fits (a uniform gain of 32767/32768, -0.00027 dB).
func packQ15Spectrum(mantissas m: Span<UInt32>, real: Span<Float>, imaginary: Span<Float>, into packed: inout MutableSpan<Int16>) {
    let k = m.count
    precondition(packed.count == 2 * (k - 1) && real.count == k && imaginary.count == k)
    // |u| <= 1 (a unit phasor, up to rounding), so |x| <= 32767.1: nearestSmallInteger's
    // range, without the checks a conversion traps on.
    @inline(__always) func component(_ m16: Int32, _ u: Float) -> Int16 {
        q15SpectrumValue(m16, FloatMath.nearestSmallInteger(u * 32767))
    }
    packed[0] = component(fifteenBitMagnitude(m[0]), real[0])
    packed[1] = component(fifteenBitMagnitude(m[k - 1]), real[k - 1])
    for i in 1..<(k - 1) {
        let m16 = fifteenBitMagnitude(m[i])
        packed[2 * i] = component(m16, real[i])
        packed[2 * i + 1] = component(m16, imaginary[i])
    }
    // Per bin, as the M4 runs it (54 instructions, Targets/cortex-m4/profile-stages): the
    // mantissa's rounding, per component the product, the bits' integer part and sign, the
    // product with the mantissa, its rounding and SSAT; the loop's bounds checks.
    OperationCounter.record(
        .synthesis, OperationMix(integer: 32, multiply: 2, load: 4, store: 2, branch: 4, floatAdd: 8, floatMultiply: 2) * k)
}

/// The spectrum with phases as binary angles: q = FixedTrig.cos and FixedTrig.sin of the
/// phase (round(32768 u), 1.0 saturated to 32767), all in integer arithmetic.
func packQ15Spectrum(mantissas m: Span<UInt32>, phases: Span<BinaryAngle>, into packed: inout MutableSpan<Int16>) {
    let k = m.count
    precondition(packed.count == 2 * (k - 1) && phases.count == k)
    packed[0] = q15SpectrumValue(fifteenBitMagnitude(m[0]), Int32(FixedTrig.cos(phases[0])))
    packed[1] = q15SpectrumValue(fifteenBitMagnitude(m[k - 1]), Int32(FixedTrig.cos(phases[k - 1])))
    for i in 1..<(k - 1) {
        let m16 = fifteenBitMagnitude(m[i])
        packed[2 * i] = q15SpectrumValue(m16, Int32(FixedTrig.cos(phases[i])))
        packed[2 * i + 1] = q15SpectrumValue(m16, Int32(FixedTrig.sin(phases[i])))
    }
    OperationCounter.record(
        .synthesis, (OperationMix(integer: 24, multiply: 2, load: 4, store: 2, branch: 2) + FixedTrig.sineOperations * 2) * k)
}
