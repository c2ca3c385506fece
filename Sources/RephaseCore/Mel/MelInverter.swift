/// Streaming mel-spectrogram inversion: each mel frame (B values) becomes linear magnitudes
/// (`MelToLinear`) that feed any online inverter of the core, so every phase method works
/// from mel input unchanged. Its `process(magnitudes:output:)` takes mel frames written in
/// `encoding` (a model's logarithm and power, converted to the stage's power-1 values first);
/// latency and output are the inner inverter's (the conversion looks at one frame only).
public struct MelInverter<let K: Int, let B: Int, Inner: MagnitudeInverter>: MagnitudeInverter {
    public var stage: MelToLinear<K, B>
    public var inner: Inner
    public let encoding: MelEncoding
    var linear = Linear()

    /// The frame between the stages, in a struct of its own so that spans of it and the stage
    /// can be passed together (see PhaseGradientInverter.Rows): the decoded mel values, the
    /// band sums the decoding of power-2 values needs, and the linear magnitudes.
    struct Linear {
        var mel = InlineArray<B, Float>(repeating: 0)
        var bandSums = InlineArray<B, Float>(repeating: 0)
        var magnitudes = InlineArray<K, Float>(repeating: 0)
    }

    public init(stage: MelToLinear<K, B>, inner: Inner, encoding: MelEncoding = .linear) {
        self.stage = stage
        self.inner = inner
        self.encoding = encoding
        linear.bandSums = stage.filterbank.bandSums
    }

    public var latency: Int { inner.latency }

    public mutating func reset() { inner.reset() }

    public mutating func prepare() { inner.prepare() }

    /// Takes the next mel frame (B values) and writes the inner inverter's next H samples.
    public mutating func process(magnitudes mel: Span<Float>, output: inout MutableSpan<Float>) {
        precondition(mel.count == B, "MelInverter: a mel frame has B values")
        Self.step(mel, encoding, &stage, &inner, &linear, &output)
    }

    static func step(
        _ mel: Span<Float>, _ encoding: MelEncoding, _ stage: inout MelToLinear<K, B>, _ inner: inout Inner,
        _ linear: inout Linear, _ output: inout MutableSpan<Float>
    ) {
        var a = linear.magnitudes.mutableSpan
        if encoding.isLinear {
            stage.convert(mel: mel, into: &a)
        } else {
            for b in 0..<B { linear.mel[b] = encoding.magnitudeMel(mel[b], bandSum: linear.bandSums[b]) }
            OperationCounter.record(.mel, encoding.decodeOperations * B)
            stage.convert(mel: linear.mel.span, into: &a)
        }
        inner.process(magnitudes: linear.magnitudes.span, output: &output)
    }
}
