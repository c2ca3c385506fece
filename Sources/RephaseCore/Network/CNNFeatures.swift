/// The network's input features (Tools/cnn/model.py documents the same definition): for input
/// row f (frame t - f; the strided variant's row 0 is its look-ahead frame) and bin k,
///   x[f][k] = clamp(ln(a[f][k] + 1e-7) - ln(max_k a[0][k] + 1e-7), -16, 16) / 16,
/// log-magnitudes relative to the newest frame's peak, so the network never sees the signal
/// level. Frames before the first one count as silent (a = 0, so x = (ln 1e-7 - ln(peak +
/// 1e-7)) / 16, clamped: -1 for a full-scale newest frame, higher for quieter ones).
struct CNNFeatures {
    /// ln(a + floor) of the newest frames, newest first: [rows][bins], row-major.
    var logHistory = CNNInputRows(repeating: 0)
    /// ln(max_k a + floor) of the newest frame.
    var newestPeak: Float = 0

    /// ln(floor) as FloatMath.log computes it (a test checks the two agree to the bit): a
    /// constant, so that a new CNNFeatures holds only constants and a static inverter is
    /// initialised data rather than start-up code (see STFTSynthesis.window).
    static let silentLog = Float(bitPattern: 0xC180_F1DC)  // -16.118095

    init() {
        logHistory = .init(repeating: Self.silentLog)
        newestPeak = Self.silentLog
    }

    /// Forgets every frame (all silent again).
    mutating func reset() {
        for i in logHistory.indices { logHistory[i] = Self.silentLog }
        newestPeak = Self.silentLog
    }

    /// Makes `magnitudes` (bins values, bounded: MagnitudeRange) the newest frame; the oldest
    /// row drops out.
    ///
    /// The peak is taken as the largest bit pattern: bounded magnitudes are 0 ... largest, with
    /// no -0 and no NaN, and the patterns of non-negative floats order like their values. An
    /// integer maximum lets the loop vectorise (a float one may not be reordered, for NaN's
    /// sake); on the Cortex-M4 it costs the same.
    mutating func push(magnitudes: Span<Float>) {
        let bins = CNNArchitecture.bins
        precondition(magnitudes.count == bins, "CNNFeatures: wrong number of bins")
        logHistory.slideRows(width: bins)
        var logs = logHistory.mutableSpan
        var peak: UInt32 = 0
        for k in 0..<bins {
            logs[k] = FloatMath.log(normal: magnitudes[k] + CNNArchitecture.logFloor)
            peak = max(peak, magnitudes[k].bitPattern)
        }
        newestPeak = FloatMath.log(Float(bitPattern: peak) + CNNArchitecture.logFloor)
        OperationCounter.record(
            .features, (FloatMath.logOperations + OperationMix(integer: 2, load: 1, store: 1, branch: 1, floatAdd: 1)) * bins
                + FloatMath.logOperations + OperationMix(integer: 1, load: 1, store: 1, branch: 1) * (CNNInputRows.count - bins))
    }

    /// Writes the first `rows` rows of features (newest frame first) into `input`.
    func write(rows: Int, into input: inout MutableSpan<Float>) {
        let range = CNNArchitecture.logRange, scale = 1 / CNNArchitecture.logRange
        let logs = logHistory.span  // one borrow: indexing the stored array here copied it per read on a Cortex-M4
        for i in 0..<(rows * CNNArchitecture.bins) {
            input[i] = min(max(logs[i] - newestPeak, -range), range) * scale
        }
        OperationCounter.record(
            .features, OperationMix(integer: 6, load: 1, store: 1, branch: 1, floatAdd: 3, floatMultiply: 1) * (rows * CNNArchitecture.bins))
    }
}
