import RephaseCore

/// The streaming mel path per frame on real speech (80 mel bands of the bundled clip): the
/// mel -> linear stage alone (Float32 with 0 and 10 projected-gradient steps, Q15), and whole
/// inverters behind it (PGHI behind the 10-step stage, also behind the decoding of ln
/// power-2 mel frames; the CNN behind the pseudo-inverse alone with its mel network, as the
/// CLI runs it), next to the same inverters fed linear magnitudes in the same run.
struct MelBenchmark {
    let rounds: Int
    let style: TableStyle

    /// The inverter benchmark's timing helpers, at the same rounds.
    var inverters: InverterBenchmark { InverterBenchmark(rounds: rounds, style: style) }

    func run(into report: inout BenchmarkReport) {
        let linear = InverterBenchmark.speechMagnitudes()
        let filterbank = MelFilterbank<257, 80>()
        let mels: [[Float]] = linear.map { frame in
            var mel = [Float](repeating: 0, count: 80)
            var out = mel.mutableSpan
            filterbank.apply(frame.span, to: &out)
            return mel
        }
        // The same frames as a TTS model might write them: ln of the power-2 mel spectrogram,
        // which the wrapper decodes first (one exp2 and one square root per band).
        let logPower = MelEncoding(logarithm: .natural, power: .squared)
        let encoded: [[Float]] = linear.map { frame in
            let squared = frame.map { $0 * $0 }
            var mel = [Float](repeating: 0, count: 80)
            var out = mel.mutableSpan
            filterbank.apply(squared.span, to: &out)
            return mel.map { logPower.encode($0, floor: 1e-16) }
        }
        let stage = MelToLinear(filterbank: filterbank, iterations: 10)
        typealias Row = BenchmarkReport.InverterRow
        var rows: [Row] = [
            Row(method: "filterbank F a (linear -> mel)", format: "f32",
                nanoseconds: stageNanoseconds(linear, outputs: 80) { a, out in filterbank.apply(a, to: &out) }),
            Row(method: "mel -> linear, pseudo-inverse only", format: "f32",
                nanoseconds: stageNanoseconds(mels, MelToLinear(filterbank: filterbank, iterations: 0))),
            Row(method: "mel -> linear, pseudo-inverse + 10 steps", format: "f32", nanoseconds: stageNanoseconds(mels, stage)),
            Row(method: "mel -> linear, pseudo-inverse", format: "q15", nanoseconds: q15Nanoseconds(mels, Q15MelToLinear(stage))),
        ]
        rows += [
            Row(method: "pghi (linear input)", format: "f32",
                nanoseconds: inverters.nanosecondsPerFrame(InverterBenchmark.pghi(lookahead: 0), linear)),
            Row(method: "mel + pghi", format: "f32",
                nanoseconds: inverters.nanosecondsPerFrame(MelInverter(stage: stage, inner: InverterBenchmark.pghi(lookahead: 0)), mels)),
            Row(method: "ln power-2 mel + pghi", format: "f32",
                nanoseconds: inverters.nanosecondsPerFrame(
                    MelInverter(stage: stage, inner: InverterBenchmark.pghi(lookahead: 0), encoding: logPower), encoded)),
            Row(method: "cnn (linear input)", format: "f32",
                nanoseconds: inverters.nanosecondsPerFrame(InverterBenchmark.cnn(.causal, .float32), linear)),
            Row(method: "mel + cnn", format: "f32",
                nanoseconds: inverters.nanosecondsPerFrame(MelInverter(stage: MelToLinear(filterbank: filterbank, iterations: 0), inner: InverterBenchmark.cnn(.causal, .float32, input: .mel80)), mels)),
        ]
        // The linear-input rows repeat the inverter section's; the report keeps the mel ones.
        report.inverters += rows.filter { !$0.method.hasSuffix("(linear input)") }
        printTable(
            "Streaming mel path on the bundled speech clip (\(mels.count) frames, 80 mel bands, K = 257): "
                + "median ns per frame, real-time factor at 16 kHz, hop 128",
            header: ["stage", "ns/frame", "RTF"],
            rows: rows.map { [$0.label, format($0.nanoseconds), formatRatio(InverterBenchmark.frameBudgetNanoseconds / $0.nanoseconds)] },
            style: style)
    }

    /// Median ns per frame of `body` over all `frames`, writing `outputs` values per frame.
    func stageNanoseconds(
        _ frames: [[Float]], outputs: Int = 257, _ body: (Span<Float>, inout MutableSpan<Float>) -> Void
    ) -> Double {
        var output = [Float](repeating: 0, count: outputs)
        return inverters.perFrame(frames.count) {
            var out = output.mutableSpan
            for frame in frames { body(frame.span, &out) }
        }
    }

    func stageNanoseconds(_ frames: [[Float]], _ stage: MelToLinear<257, 80>) -> Double {
        var stage = stage
        return stageNanoseconds(frames) { mel, out in stage.convert(mel: mel, into: &out) }
    }

    /// The Q15 kernel on the mel frames scaled to Q15 (peak at 1/64 so the gains of about 31 fit).
    func q15Nanoseconds(_ frames: [[Float]], _ kernel: Q15MelToLinear<257, 80>) -> Double {
        let peak = frames.joined().max() ?? 1
        let q15 = frames.map { $0.map { Q15.fromFloat($0 / peak / 64) } }
        var output = [Int16](repeating: 0, count: 257)
        return inverters.perFrame(q15.count) {
            var out = output.mutableSpan
            for frame in q15 { kernel.convert(mel: frame.span, into: &out) }
        }
    }

}
