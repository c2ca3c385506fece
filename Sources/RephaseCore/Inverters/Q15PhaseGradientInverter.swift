import RephaseIntrinsics

/// The phase-gradient inverter for fixed-point front ends: a Q15PhaseDerivativeEstimator
/// (Q15CNNEstimator) in integer arithmetic, the least-squares integrator in Float32 (a
/// Cortex-M4F's single-cycle FPU runs it; FixedTridiagonalSolver is the solver for cores
/// without one), and Q15 synthesis (Q15 inverse FFT and overlap-add, Q15STFTSynthesis).
///
/// Per frame, for the estimator's delayed frame (mantissas m_k, exponent e):
/// - the integrator gets Float(m_k) (its weights are normalised by the frame's peak, so the
///   exponent does not matter) and the binary-angle derivatives, and returns unit phasors u;
/// - the packed Int16 spectrum is a_k u_k in Q15 integers: m16_k = min((m_k + 2^16) >> 17,
///   32767) (the mantissa to 15 bits, rounded half up), each phasor component rounded to
///   nearest in units of 1/32767 (q = nearest(32767 u), so 1.0 fits), and
///   X = rshift_round(m16 q, 15); bins 0 and K - 1 keep only their real part. X times
///   2^(e + 32) is the spectrum of Q15 integer samples (a_k in Float units is m16 2^(e + 17),
///   Q15 samples carry 2^15 more), the block exponent handed to Q15STFTSynthesis; the phasor
///   scale 32767/32768 is a uniform gain of -0.00027 dB.
/// Output: Int16 samples (Q15, saturated) delayed by N - H + L H; `process(magnitudes:)`, the
/// MagnitudeInverter interface, converts Float magnitudes on the way in and samples q / 32768
/// on the way out, so hosts can run it beside the Float32 inverters.
public struct Q15PhaseGradientInverter<let N: Int, let H: Int, let K: Int, Estimator: Q15PhaseDerivativeEstimator>: MagnitudeInverter {
    public var estimator: Estimator
    public var integrator: LeastSquaresPhaseIntegrator<K>
    var synthesis = Q15STFTSynthesis<N, H>()
    var rows = Rows()

    /// The per-frame working rows (kept apart for the reason PhaseGradientInverter.Rows gives).
    struct Rows {
        var delayedMantissas = InlineArray<K, UInt32>(repeating: 0)
        var magnitudes = InlineArray<K, Float>(repeating: 0)
        var timeDerivative = InlineArray<K, BinaryAngle>(repeating: .zero)
        var frequencyDerivative = InlineArray<K, BinaryAngle>(repeating: .zero)
        var phasorRe = InlineArray<K, Float>(repeating: 0)
        var phasorIm = InlineArray<K, Float>(repeating: 0)
        var spectrum = InlineArray<N, Int16>(repeating: 0)
    }

    /// Bytes of per-frame scratch: the working rows and the integrator's scratch rows.
    public static var scratchBytes: Int {
        MemoryLayout<Rows>.size + LeastSquaresPhaseIntegrator<K>.scratchBytes
    }

    public init(estimator: Estimator, integrator: LeastSquaresPhaseIntegrator<K> = .init()) {
        precondition(K == N / 2 + 1, "Q15PhaseGradientInverter: K must be N/2 + 1")
        self.estimator = estimator
        self.integrator = integrator
    }

    public var latency: Int { N - H + estimator.lookahead * H }

    public mutating func prepare() {
        synthesis.prepare()
    }

    public mutating func reset() {
        estimator.reset()
        integrator.reset()
        synthesis.reset()
    }

    /// The Float interface: converts the frame to block floating point, runs the fixed-point
    /// path, and returns the Q15 samples as Floats (q / 32768, exact).
    public mutating func process(magnitudes newest: Span<Float>, output: inout MutableSpan<Float>) {
        precondition(newest.count == K && output.count == H, "Q15PhaseGradientInverter: wrong frame size")
        // Locals (host interface): the rows cannot lend a span while `step` mutates them.
        var mantissas = InlineArray<K, UInt32>(repeating: 0), samples = InlineArray<H, Int16>(repeating: 0)
        var m = mantissas.mutableSpan, q = samples.mutableSpan
        let exponent = BlockFloatingMagnitudes.convert(newest, into: &m)
        Self.step(mantissas.span, exponent, &estimator, &integrator, &synthesis, &rows, &q)
        for i in 0..<H { output[i] = Float(samples[i]) * (1 / 32768) }
    }

    /// The fixed-point interface: one frame of mantissas (K) and its exponent in, H Q15
    /// samples out.
    public mutating func process(mantissas: Span<UInt32>, exponent: Int, output: inout MutableSpan<Int16>) {
        precondition(mantissas.count == K && output.count == H, "Q15PhaseGradientInverter: wrong frame size")
        Self.step(mantissas, exponent, &estimator, &integrator, &synthesis, &rows, &output)
    }

    static func step(
        _ mantissas: Span<UInt32>, _ exponent: Int, _ estimator: inout Estimator, _ integrator: inout LeastSquaresPhaseIntegrator<K>,
        _ synthesis: inout Q15STFTSynthesis<N, H>, _ rows: inout Rows, _ output: inout MutableSpan<Int16>
    ) {
        var delayed = rows.delayedMantissas.mutableSpan
        var delayedExponent = 0
        var tpd = rows.timeDerivative.mutableSpan, fpd = rows.frequencyDerivative.mutableSpan
        guard estimator.push(
            mantissas: mantissas, exponent: exponent, delayedMantissas: &delayed, delayedExponent: &delayedExponent,
            timeDerivative: &tpd, frequencyDerivative: &fpd)
        else {
            for i in 0..<H { output[i] = 0 }
            return
        }
        for k in 0..<K { rows.magnitudes[k] = Float(rows.delayedMantissas[k]) }
        var re = rows.phasorRe.mutableSpan, im = rows.phasorIm.mutableSpan
        integrator.integrate(
            magnitudes: rows.magnitudes.span, timeDerivative: rows.timeDerivative.span,
            frequencyDerivative: rows.frequencyDerivative.span, real: &re, imaginary: &im)
        var packed = rows.spectrum.mutableSpan
        packQ15Spectrum(mantissas: rows.delayedMantissas.span, real: rows.phasorRe.span, imaginary: rows.phasorIm.span, into: &packed)
        synthesis.synthesize(spectrum: &packed, exponent: delayedExponent + 32, output: &output)
    }
}

/// a_k u_k as packed Q15 integers (Q15PhaseGradientInverter's comment gives the formats):
/// X = rshift_round(m16 q, 15) with m16 the mantissa rounded to 15 bits and q the phasor
/// component nearest to 32767 u; real parts only at bins 0 and K - 1.
func packQ15Spectrum(mantissas m: Span<UInt32>, real: Span<Float>, imaginary: Span<Float>, into packed: inout MutableSpan<Int16>) {
    let k = m.count
    precondition(packed.count == 2 * (k - 1) && real.count == k && imaginary.count == k)
    // FloatMath.nearestInteger's rounding (half away from zero) as one conversion of x +- 1/2,
    // which is what it computes below 2^23: the Float round trip it adds cost 30 instructions
    // per component on the M4.
    @inline(__always) func component(_ m16: Int32, _ u: Float) -> Int16 {
        let x = u * 32767
        let q = x.magnitude < 8_388_608 ? Int32(x + (x < 0 ? -0.5 : 0.5)) : Int32(FloatMath.nearestInteger(x))
        return Int16(truncatingIfNeeded: rephase_ssat16(roundingShiftRight(m16 &* q, by: 15)))
    }
    // round(m / 2^17) half up, at most 32767, in 32 bits: (m >> 17) + bit 16 of m.
    @inline(__always) func fifteenBits(_ mantissa: UInt32) -> Int32 {
        Int32(min((mantissa &>> 17) &+ ((mantissa &>> 16) & 1), 32767))
    }
    packed[0] = component(fifteenBits(m[0]), real[0])
    packed[1] = component(fifteenBits(m[k - 1]), real[k - 1])
    for i in 1..<(k - 1) {
        let m16 = fifteenBits(m[i])
        packed[2 * i] = component(m16, real[i])
        packed[2 * i + 1] = component(m16, imaginary[i])
    }
    OperationCounter.record(
        .synthesis, OperationMix(integer: 12, multiply: 2, load: 3, store: 2, branch: 6, floatAdd: 4, floatMultiply: 2) * k)
}
