import RephaseCore

/// What the core reported while it inverted a spectrogram frame by frame: the operations of
/// every stage (Kernel) in every frame, and the samples it produced. Profile-independent, so
/// one run can be priced for any target.
public struct OperationTrace {
    /// frames[t][stage raw value]: the operations stage `stage` reported during frame t.
    package var frames: [[OperationMix]]
    /// The inverter's output, H samples per frame, latency included.
    public var output: [Float]

    package init(frames: [[OperationMix]], output: [Float]) {
        self.frames = frames
        self.output = output
    }

    /// Streams `magnitudes` (frames of `bins` values, row-major) through `inverter` (prepared first), clearing
    /// the core's tally before each frame and reading every stage's count after it.
    ///
    /// The tally is one process-wide variable (OperationCounter): run one trace at a time,
    /// with no other inverter running on another thread.
    public static func record<Inverter: MagnitudeInverter>(
        _ inverter: inout Inverter, magnitudes: [Float], bins: Int, hop: Int
    ) throws(SimulationError) -> OperationTrace {
        guard OperationCounter.isCounting else { throw SimulationError.notCounting }
        guard bins > 0, magnitudes.count % bins == 0 else { throw SimulationError.badShape(magnitudes.count, bins) }
        let count = magnitudes.count / bins
        var trace = OperationTrace(frames: [], output: [Float](repeating: 0, count: count * hop))
        trace.frames.reserveCapacity(count)
        var frame = [Float](repeating: 0, count: hop)
        // Set up before the first frame, as the C interface's rephase_init does on a board.
        inverter.prepare()
        OperationCounter.isRecording = true
        defer { OperationCounter.isRecording = false }
        for t in 0..<count {
            OperationCounter.clear()
            var out = frame.mutableSpan
            inverter.process(magnitudes: magnitudes.span.extracting((t * bins)..<((t + 1) * bins)), output: &out)
            trace.frames.append((0..<Kernel.count).map { OperationCounter.operations(of: Kernel.at($0)) })
            for i in 0..<hop { trace.output[t * hop + i] = frame[i] }
        }
        OperationCounter.clear()
        return trace
    }
}

/// Why a simulation could not run.
public enum SimulationError: Error, CustomStringConvertible {
    /// The core was built without REPHASE_COUNT_OPERATIONS.
    case notCounting
    /// `count` magnitudes are not whole frames of `bins`.
    case badShape(Int, Int)

    public var description: String {
        switch self {
        case .notCounting: "this build of RephaseCore does not count operations (REPHASE_COUNT_OPERATIONS is not set)"
        case .badShape(let count, let bins): "\(count) magnitudes are not whole frames of \(bins) bins"
        }
    }
}
