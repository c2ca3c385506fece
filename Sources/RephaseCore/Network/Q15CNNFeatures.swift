/// The network's input features in integer arithmetic, from block-floating magnitude frames
/// (BlockFloatingMagnitudes): the Q15 twin of CNNFeatures, bit-exact to Tools/cnn/q15model.py
/// (its docstring is the definition; Q15NetworkTests checks the golden vectors).
///
/// Per frame, with the floor 1e-7 = F 2^-55 expressed in mantissa units f (a left shift capped
/// at 30 bits, or a right shift rounded half up; 0 beyond 32 bits), v_k = m_k + f, P = max v_k
/// and s = max(0, bitlength(P) - 32):
///   absolute log A_k = FixedLog.log2(v_k >> s) + ((s + e) << 16)   (Q15.16, >> truncating)
/// and A_k = log2(1e-7) (Q15.16, `silentLog`) for every bin of a silent frame. The feature of
/// input row f, bin k is
///   x = sat16(rshift_round((A[f][k] - A_peak) C, 31)),  C = round(2^31 ln(2) / 32)
/// (Q15, 1.0 = 32768; A_peak = the newest frame's log2(P >> s) + ((s + e) << 16)): ln-ratios
/// over 16, as the Float32 features, clamped to [-1, 1). Measured against them: at most 0.6
/// LSB on the golden frames (quantize.py prints nothing; Q15NetworkTests asserts 1 LSB).
/// State: the absolute logs of the newest 5 frames, 5.1 kB.
struct Q15CNNFeatures {
    /// F of 1e-7 = F 2^-55.
    static let logFloorQ55: Int64 = 3_602_879_702
    /// C = round(2^31 ln(2) / 32).
    static let lnTwoOverThirtyTwoQ31: Int64 = 46_516_320
    /// round(2^16 log2(1e-7)): the absolute log of a silent bin.
    static let silentLog: Int32 = -1_523_941

    /// Absolute logs of the newest frames, newest first: [rows][bins], row-major.
    var logHistory = InlineArray<1285, Int32>(repeating: silentLog)
    /// A_peak of the newest frame.
    var newestPeak = silentLog

    /// Forgets every frame (all silent again).
    mutating func reset() {
        logHistory = .init(repeating: Self.silentLog)
        newestPeak = Self.silentLog
    }

    /// Makes the frame (mantissas, exponent) the newest; the oldest row drops out.
    mutating func push(mantissas m: Span<UInt32>, exponent e: Int) {
        let bins = CNNArchitecture.bins
        precondition(m.count == bins, "Q15CNNFeatures: wrong number of bins")
        logHistory.slideRows(width: bins)
        var largest: UInt32 = 0
        for k in 0..<bins { largest = max(largest, m[k]) }
        OperationCounter.record(.features, OperationMix(integer: 3 * bins, load: 2 * bins, store: bins, branch: 2 * bins))
        guard largest > 0 else {
            for k in 0..<bins { logHistory[k] = Self.silentLog }
            newestPeak = Self.silentLog
            return
        }
        let floorShift = -55 - e
        let floor: UInt64 = floorShift >= 0
            ? UInt64(Self.logFloorQ55) << min(floorShift, 30)
            : -floorShift > 32 ? 0 : UInt64(roundingShiftRight(Self.logFloorQ55, by: -floorShift))
        let peak = UInt64(largest) + floor
        let s = max(0, 64 - peak.leadingZeroBitCount - 32)
        let offset = Int32(s + e) << 16
        for k in 0..<bins {
            logHistory[k] = FixedLog.log2(UInt32(truncatingIfNeeded: (UInt64(m[k]) + floor) >> s)) &+ offset
        }
        newestPeak = FixedLog.log2(UInt32(truncatingIfNeeded: peak >> s)) &+ offset
        OperationCounter.record(.features, FixedLog.log2Operations * (bins + 1) + OperationMix(integer: 3 * bins, store: bins))
    }

    /// Writes the first `rows` rows of features, bin-major (input[k * rows + f], frame t - f),
    /// as Q15PhaseDerivativeNetwork reads them.
    func write(rows: Int, into input: inout MutableSpan<Int16>) {
        let bins = CNNArchitecture.bins
        for f in 0..<rows {
            for k in 0..<bins {
                let d = Int64(logHistory[f * bins + k] &- newestPeak)
                input[k * rows + f] = Int16(clamping: roundingShiftRight(d &* Self.lnTwoOverThirtyTwoQ31, by: 31))
            }
        }
        OperationCounter.record(
            .features, OperationMix(integer: 5 * rows * bins, multiply: 2 * rows * bins, load: rows * bins, store: rows * bins, branch: rows * bins))
    }
}
