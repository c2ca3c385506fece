import RephaseIntrinsics

/// The network's input features in integer arithmetic, from block-floating magnitude frames
/// (BlockFloatingMagnitudes): the Q15 twin of CNNFeatures, bit-exact to Tools/cnn/q15model.py
/// (its docstring is the definition; Q15NetworkTests checks the golden vectors).
///
/// Per frame, the absolute logs A_k = log2(a_k + 1e-7) in Q15.16
/// (BlockFloatingMagnitudes.absoluteLog2, log2(1e-7) for every bin of a silent frame). The
/// feature of input row f, bin k is
///   x = sat16(rshift_round((A[f][k] - A_peak) C, 31)),  C = round(2^31 ln(2) / 32)
/// (Q15, 1.0 = 32768; A_peak = the newest frame's log2(max a + 1e-7)): ln-ratios over 16, as
/// the Float32 features, clamped to [-1, 1). Against them: 0.54 LSB at most on the golden
/// frames (q15model against model.features in numpy); Q15NetworkTests asserts 1 LSB.
/// State: the logs of the newest 5 frames, 5.1 kB, kept relative to the silent level
/// (A_k - log2(1e-7)): the differences that make the features are the same, and silence is
/// 0, so a new state is all zeros.
struct Q15CNNFeatures {
    /// F of 1e-7 = F 2^-55.
    static let logFloorQ55: Int64 = 3_602_879_702
    /// C = round(2^31 ln(2) / 32).
    static let lnTwoOverThirtyTwoQ31: Int64 = 46_516_320
    /// round(2^16 log2(1e-7)): the absolute log of a silent bin.
    static let silentLog: Int32 = -1_523_941

    /// Logs of the newest frames relative to the silent level, newest first: [rows][bins], row-major.
    var logHistory = InlineArray<1285, Int32>(repeating: 0)
    /// A_peak of the newest frame, relative to the silent level.
    var newestPeak: Int32 = 0

    /// Forgets every frame (all silent again).
    mutating func reset() {
        logHistory = .init(repeating: 0)
        newestPeak = 0
    }

    /// Makes the frame (mantissas, exponent) the newest; the oldest row drops out.
    mutating func push(mantissas m: Span<UInt32>, exponent e: Int) {
        let bins = CNNArchitecture.bins
        precondition(m.count == bins, "Q15CNNFeatures: wrong number of bins")
        logHistory.slideRows(width: bins)
        let moved = logHistory.count - bins  // a local: the recorded expression must not capture self
        OperationCounter.record(.features, OperationMix(integer: 1, load: 1, store: 1) * moved)
        var newest = logHistory.mutableSpan  // row 0 is the newest frame's
        newestPeak = BlockFloatingMagnitudes.absoluteLog2(
            mantissas: m, exponent: e, floorQ55: Self.logFloorQ55, silent: Self.silentLog, origin: Self.silentLog, into: &newest)
    }

    /// Writes the first `rows` rows of features, bin-major (input[k * rows + f], frame t - f),
    /// as Q15PhaseDerivativeNetwork reads them. Mutating only so that the caller hands over
    /// its stored features in place: a non-mutating call on this 5 kB value copied it to the
    /// stack first on a Cortex-M4.
    ///
    /// The definition's 64-bit product and rounding shift, in the instructions a Cortex-M4
    /// has for them: d = A - A_peak saturated to 32 bits (QSUB), doubled with saturation
    /// (QADD), and the product's high word rounded (SMMULR), then SSAT. SMMULR(2d, C) =
    /// floor((2 d C + 2^31) / 2^32) = floor((d C + 2^30) / 2^31), the definition's rounding
    /// shift by 31, whenever 2d is exact; where either saturation acts (|d| >= 2^30), the
    /// feature saturates with the same sign either way (it does from |d| > 2^21 on).
    mutating func write(rows: Int, into input: inout MutableSpan<Int16>) {
        let bins = CNNArchitecture.bins, peak = newestPeak
        precondition(input.count >= rows * bins && rows * bins <= logHistory.count, "Q15CNNFeatures: wrong input size")
        let c = Int32(Self.lnTwoOverThirtyTwoQ31)
        input.withUnsafeMutableBufferPointer { out in
            logHistory.span.withUnsafeBufferPointer { logs in
                let x = out.baseAddress!, a = logs.baseAddress!
                for f in 0..<rows {
                    var source = a + f &* bins, target = x + f
                    for _ in 0..<bins {
                        let d = rephase_qsub(source[0], peak)
                        target[0] = Int16(truncatingIfNeeded: rephase_ssat16(rephase_smmulr(rephase_qadd(d, d), c)))
                        source += 1
                        target += rows
                    }
                }
            }
        }
        OperationCounter.record(
            .features, OperationMix(integer: 5 * rows * bins, multiply: rows * bins, load: rows * bins, store: rows * bins, branch: rows * bins))
    }
}
