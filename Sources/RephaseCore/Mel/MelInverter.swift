/// Streaming mel-spectrogram inversion: each mel frame (B values) becomes linear magnitudes
/// (`MelToLinear`) that feed any online inverter of the core, so every phase method works
/// from mel input unchanged. Its `process(magnitudes:output:)` takes mel frames; latency and
/// output are the inner inverter's (the conversion looks at one frame only).
public struct MelInverter<let K: Int, let B: Int, Inner: MagnitudeInverter>: MagnitudeInverter {
    public var stage: MelToLinear<K, B>
    public var inner: Inner
    var linear = Linear()

    /// The linear frame, in a struct of its own so that a span of it and the stage can be
    /// passed together (see PhaseGradientInverter.Rows).
    struct Linear {
        var magnitudes = InlineArray<K, Float>(repeating: 0)
    }

    public init(stage: MelToLinear<K, B>, inner: Inner) {
        self.stage = stage
        self.inner = inner
    }

    public var latency: Int { inner.latency }

    public mutating func reset() { inner.reset() }

    public mutating func prepare() { inner.prepare() }

    /// Takes the next mel frame (B values) and writes the inner inverter's next H samples.
    public mutating func process(magnitudes mel: Span<Float>, output: inout MutableSpan<Float>) {
        precondition(mel.count == B, "MelInverter: a mel frame has B values")
        Self.step(mel, &stage, &inner, &linear, &output)
    }

    static func step(
        _ mel: Span<Float>, _ stage: inout MelToLinear<K, B>, _ inner: inout Inner, _ linear: inout Linear,
        _ output: inout MutableSpan<Float>
    ) {
        var a = linear.magnitudes.mutableSpan
        stage.convert(mel: mel, into: &a)
        inner.process(magnitudes: linear.magnitudes.span, output: &output)
    }
}
