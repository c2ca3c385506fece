/// The streaming interface every inverter of the core offers: configured once, then fed one
/// magnitude frame (K = N/2 + 1 values, frame-start STFT of the project; B mel bands for
/// `MelInverter`) at a time, returning H output samples each time. Hosts write generic code against it (never an existential).
public protocol MagnitudeInverter {
    /// Samples from the analysis input to this inverter's output: N - H for the overlap-add,
    /// plus H for every frame of look-ahead.
    var latency: Int { get }

    /// Takes the next magnitude frame and writes the next H output samples. Each magnitude
    /// is read through MagnitudeRange.bounded, so any Float bit pattern gives finite output.
    mutating func process(magnitudes: Span<Float>, output: inout MutableSpan<Float>)

    /// Forgets all past frames, as if newly configured.
    mutating func reset()

    /// Does the one-time set-up that the first frame would otherwise do (the synthesis
    /// window), for callers that must keep every frame within a real-time budget. Outputs do
    /// not change.
    mutating func prepare()
}

extension MagnitudeInverter {
    /// Nothing to set up: the inverter computes everything at init or every frame.
    public mutating func prepare() {}
}
