import RephaseCore
import RephaseIO

/// Streaming inversion speed per method on real speech: median ns per frame of
/// `MagnitudeInverter.process`, and the real-time factor at 16 kHz with hop 128 (one frame
/// per 8 ms of audio): RTF = 8e6 ns / (ns per frame), how many times faster than real time
/// one core runs it.
///
/// The magnitude frames of the bundled speech clip (ProductSTFTAnalysis, K = 257) are
/// computed once; each timed call streams the whole clip through the inverter, and the
/// per-frame cost is that pass's time over its frame count. An inverter is not reset between
/// passes, so it sees the clip as one looping stream (its look-ahead is filled after the
/// warm-up pass). The last row times `LeastSquaresPhaseIntegrator.integrate` alone, on the
/// magnitudes and derivatives the PGHI estimator produces for the same clip.
struct InverterBenchmark {
    static let frameLength = ProductSTFT.frameLength, hop = ProductSTFT.hop, bins = ProductSTFT.bins, sampleRate = 16_000
    /// The real-time budget of one frame: one hop of audio, in ns.
    static let frameBudgetNanoseconds = 1e9 * Double(hop) / Double(sampleRate)

    let rounds: Int
    let style: TableStyle

    func run(into report: inout BenchmarkReport) {
        let frames = Self.speechMagnitudes()
        typealias Row = BenchmarkReport.InverterRow
        let measured: [Row] = [
            Row(method: "pghi", format: "f32", nanoseconds: nanosecondsPerFrame(Self.pghi(lookahead: 0), frames)),
            Row(method: "pghi-la1", format: "f32", nanoseconds: nanosecondsPerFrame(Self.pghi(lookahead: 1), frames)),
            Row(method: "cnn", format: "f32", nanoseconds: nanosecondsPerFrame(Self.cnn(.causal, .float32), frames)),
            Row(method: "cnn", format: "f16", nanoseconds: nanosecondsPerFrame(Self.cnn(.causal, .float16), frames)),
            Row(method: "cnn-strided", format: "f32", nanoseconds: nanosecondsPerFrame(Self.cnn(.strided, .float32), frames)),
            Row(method: "cnn", format: "q15", nanoseconds: nanosecondsPerFrame(ProductInverters.q15CNN(integrator: .tuned(for: .causal)), frames)),
            Row(method: "cnn-strided", format: "q15", nanoseconds: nanosecondsPerFrame(ProductInverters.q15StridedCNN(integrator: .tuned(for: .strided)), frames)),
            Row(method: "cnn-la (L=1, I=1)", format: "f32", nanoseconds: nanosecondsPerFrame(Self.cnnLA(lookahead: 1, iterations: 1), frames)),
            Row(method: "cnn-la (L=3, I=2)", format: "f32", nanoseconds: nanosecondsPerFrame(Self.cnnLA(lookahead: 3, iterations: 2), frames)),
            Row(method: "cnn-la (L=6, I=5)", format: "f32", nanoseconds: nanosecondsPerFrame(Self.cnnLA(lookahead: 6, iterations: 5), frames)),
            Row(method: "rtpghi", format: "f32", nanoseconds: nanosecondsPerFrame(ProductInverters.rtpghi(lookahead: 0), frames)),
            Row(method: "rtisi-la (L=3, I=5)", format: "f32",
                nanoseconds: nanosecondsPerFrame(ProductInverters.rtisiLA(lookahead: 3, iterations: 5), frames)),
            Row(method: "spsi", format: "f32", nanoseconds: nanosecondsPerFrame(ProductInverters.SPSI(), frames)),
            Row(method: "spsi", format: "q15", nanoseconds: nanosecondsPerFrame(ProductInverters.Q15SPSI(), frames)),
            Row(method: "mcnn", format: "f32", nanoseconds: nanosecondsPerFrame(MCNNInverter(precision: .float32), frames)),
            Row(method: "mcnn", format: "f16", nanoseconds: nanosecondsPerFrame(MCNNInverter(precision: .float16), frames)),
            Row(method: "least-squares integrate only", format: "f32", nanoseconds: integratorNanosecondsPerFrame(frames)),
        ]
        report.inverters += measured
        printTable(
            "Streaming inversion of the bundled speech clip (\(frames.count) frames of K = \(Self.bins)): "
                + "median ns per frame, real-time factor at \(Self.sampleRate / 1000) kHz, hop \(Self.hop)",
            header: ["method", "ns/frame", "RTF"],
            rows: measured.map { [$0.label, format($0.nanoseconds), formatRatio(Self.frameBudgetNanoseconds / $0.nanoseconds)] },
            style: style)
        guard style != .json else { return }
        for (label, target) in Self.goals {
            guard let row = measured.first(where: { $0.label == label }) else {
                print("Goal: \(label): no such row in this run")
                continue
            }
            let (met, wanted): (Bool, String) = switch target {
            case .realTimeFactor(let least): (Self.frameBudgetNanoseconds / row.nanoseconds >= least, ">= \(Int(least))x real time")
            case .microseconds(let most): (row.nanoseconds <= most * 1000, "<= \(Int(most)) us a frame")
            }
            print("Goal: \(label) \(wanted) on one core: \(format(row.nanoseconds)) ns, "
                + "\(formatRatio(Self.frameBudgetNanoseconds / row.nanoseconds)), \(met ? "met" : "NOT met")")
        }
    }

    /// A speed target: a real-time factor at least, or a time a frame at most.
    enum Target {
        case realTimeFactor(Double)
        case microseconds(Double)
    }

    /// The host speed the project holds itself to, one core, synthesis included: pghi and cnn
    /// as real-time factors; rtpghi and rtisi-la no slower than phaseret's own C library
    /// (RTPGHI 37 us, RTISI-LA with 3 look-ahead frames and 5 iterations 68 us a frame, phase
    /// only, as measured side by side with Rephase when these targets were set).
    static let goals: [(label: String, target: Target)] = [
        ("pghi", .realTimeFactor(1000)), ("cnn", .realTimeFactor(200)),
        ("rtpghi", .microseconds(37)), ("rtisi-la (L=3, I=5)", .microseconds(68)),
    ]

    /// The phase-gradient inverter with the analytic PGHI estimator (the "pghi" rows).
    static func pghi(lookahead: Int) -> ProductInverters.PGHI {
        ProductInverters.pghi(lookahead: lookahead, integrator: ProductMethod.pghi.integrator())
    }

    /// The phase-gradient inverter with the trained CNN estimator (the "cnn" rows; the mel
    /// network for the "mel + cnn" row).
    static func cnn(_ variant: CNNVariant, _ precision: CNNPrecision, input: CNNInput = .linear) -> ProductInverters.CNN {
        ProductInverters.cnn(variant, precision, input: input, integrator: .tuned(for: variant, input: input))
    }

    /// The Q15 phase-gradient inverter with the Q15 CNN (the "(Q15)" rows), through its Float
    /// interface as the CLI runs it; on x86_64 its SMLALD kernels run their C fallbacks.
    /// The causal CNN with look-ahead refinement (the "cnn-la" rows), default momentum.
    static func cnnLA(lookahead: Int, iterations: Int) -> ProductInverters.CNNLA {
        ProductInverters.cnnLA(
            .float32, integrator: ProductMethod.cnnLA.integrator(), lookahead: lookahead, iterations: iterations,
            momentum: ProductInverters.CNNLA.defaultMomentum)
    }

    /// The magnitude frames of the bundled clip, one after another (K values each): the clip
    /// is fed hop by hop through the streaming analysis, as a live input would be.
    static func speechMagnitudes() -> [[Float]] {
        let audio: MonoAudio
        do { audio = try MonoAudio(contentsOf: BundledExample.path) } catch { fatalError("\(error)") }
        var analysis = ProductSTFTAnalysis()
        var spectrum = [Float](repeating: 0, count: frameLength)
        return stride(from: 0, through: audio.samples.count - hop, by: hop).map { start in
            do {
                var packed = spectrum.mutableSpan
                analysis.analyze(hop: audio.samples[start..<(start + hop)].span, spectrum: &packed)
            }
            var magnitudes = [Float](repeating: 0, count: bins)
            var out = magnitudes.mutableSpan
            packedMagnitudes(spectrum.span, into: &out)
            return magnitudes
        }
    }

    /// Median ns per frame of streaming all of `frames` through `inverter`.
    func nanosecondsPerFrame(_ inverter: some MagnitudeInverter, _ frames: [[Float]]) -> Double {
        var inverter = inverter
        var output = [Float](repeating: 0, count: Self.hop)
        return perFrame(frames.count) {
            var out = output.mutableSpan
            for frame in frames { inverter.process(magnitudes: frame.span, output: &out) }
        }
    }

    /// Median ns per frame of `LeastSquaresPhaseIntegrator<257>.integrate` alone, on the
    /// delayed magnitudes and derivatives `PGHIEstimator` (look-ahead 0) yields for `frames`.
    func integratorNanosecondsPerFrame(_ frames: [[Float]]) -> Double {
        var estimator = ProductPGHIEstimator(frameLength: Self.frameLength, hop: Self.hop)
        var inputs = [(magnitudes: [Float], tpd: [Float], fpd: [Float])]()
        for frame in frames {
            var magnitudes = [Float](repeating: 0, count: Self.bins), tpd = magnitudes, fpd = magnitudes
            var a = magnitudes.mutableSpan, t = tpd.mutableSpan, f = fpd.mutableSpan
            if estimator.push(magnitudes: frame.span, delayedMagnitudes: &a, timeDerivative: &t, frequencyDerivative: &f) {
                inputs.append((magnitudes, tpd, fpd))
            }
        }
        var integrator = ProductIntegrator()
        var re = [Float](repeating: 0, count: Self.bins), im = re
        return perFrame(inputs.count) {
            var reSpan = re.mutableSpan, imSpan = im.mutableSpan
            for row in inputs {
                integrator.integrate(
                    magnitudes: row.magnitudes.span, timeDerivative: row.tpd.span,
                    frequencyDerivative: row.fpd.span, real: &reSpan, imaginary: &imSpan)
            }
        }
    }

    /// Median ns of one `pass` over `count` frames, divided by `count`.
    func perFrame(_ count: Int, pass: () -> Void) -> Double {
        medianNanoseconds(rounds: rounds, calls: 1, pass) / Double(count)
    }
}
