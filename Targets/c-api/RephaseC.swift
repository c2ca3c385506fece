// The C interface of the core (rephase.h documents it), compiled into the same Embedded Swift
// module as Sources/RephaseCore by the target builds (Targets/cortex-m4, Targets/aarch64-linux).
// Each configuration (Targets/c-api/configurations) is a global in static storage, compiled in
// only when its flag is given (Targets/c-api/flags), so a product image links exactly the
// configurations it uses, with their code and tables, and nothing else.

#if REPHASE_CNN_F32
var cnnF32 = ProductInverters.cnn(.causal, .float32, integrator: ProductMethod.cnn.integrator())
#endif
// The Q15 configurations start with unweighted integrators, so that their whole state is zero
// and lies in .bss instead of being copied from flash; rephase_init gives them their weights
// (`weigh`).
#if REPHASE_CNN_Q15
var cnnQ15 = ProductInverters.q15CNN(integrator: .unweighted)
#endif
#if REPHASE_CNN_STRIDED_F32
var cnnStridedF32 = ProductInverters.cnn(.strided, .float32, integrator: ProductMethod.cnnStrided.integrator())
#endif
#if REPHASE_CNN_STRIDED_Q15
var cnnStridedQ15 = ProductInverters.q15StridedCNN(integrator: .unweighted)
#endif
#if REPHASE_PGHI_F32
var pghiF32 = ProductInverters.pghi(lookahead: 0, integrator: ProductMethod.pghi.integrator())
#endif
#if REPHASE_PGHI_Q15
var pghiQ15 = ProductInverters.q15PGHI(lookahead: 0, integrator: .unweighted)
#endif
#if REPHASE_MCNN_F32
var mcnnF32 = MCNNInverter()
#endif
#if REPHASE_MCNN_Q15
var mcnnQ15 = Q15MCNNInverter()
#endif
#if REPHASE_SPSI_F32
var spsiF32 = ProductInverters.SPSI()
#endif
#if REPHASE_SPSI_Q15
var spsiQ15 = ProductInverters.Q15SPSI()
#endif

/// rephase.h's status codes.
enum Status: Int32 {
    case ok = 0
    case nullPointer = -1
    case unknownConfiguration = -2
    case notInitialised = -3
    case wrongInterface = -4
    case invalidInput = -5
    case invalidSettings = -6
    case badStorage = -7
}

/// The largest magnitude rephase_process accepts (rephase.h: REPHASE_MAX_MAGNITUDE): the
/// core's own bound, so that nothing it would clamp is ever passed.
let maximumMagnitude = MagnitudeRange.largest
/// The exponents rephase_process_q15 accepts (rephase.h: REPHASE_MIN_EXPONENT, REPHASE_MAX_EXPONENT).
let exponents: ClosedRange<Int32> = -192...0

/// The streaming analysis of `rephase_analyze`, for hosts that start from audio.
var analysis = ProductSTFTAnalysis()
var analysisHop = InlineArray<128, Float>(repeating: 0)
var analysisSpectrum = InlineArray<512, Float>(repeating: 0)

/// The selected configuration: method * 2 + format (rephase.h's enums), or -1.
var selected: Int32 = -1
var inputFrame = InlineArray<257, Float>(repeating: 0)

/// Work to do with the selected inverter (generic, so each configuration's loop is its own).
protocol SelectedInverterWork {
    mutating func run<I: MagnitudeInverter>(_ inverter: inout I)
    mutating func runQ15<I: Q15MagnitudeInverter>(_ inverter: inout I)
}

extension SelectedInverterWork {
    mutating func runQ15<I: Q15MagnitudeInverter>(_ inverter: inout I) {
        run(&inverter)
    }
}

/// Runs `work` on configuration `configuration` (method * 2 + format); false when this build
/// does not include it.
func withConfiguration<W: SelectedInverterWork>(_ configuration: Int32, _ work: inout W) -> Bool {
    switch configuration {
    #if REPHASE_CNN_F32
    case 0: work.run(&cnnF32)
    #endif
    #if REPHASE_CNN_Q15
    case 1: work.runQ15(&cnnQ15)
    #endif
    #if REPHASE_CNN_STRIDED_F32
    case 2: work.run(&cnnStridedF32)
    #endif
    #if REPHASE_CNN_STRIDED_Q15
    case 3: work.runQ15(&cnnStridedQ15)
    #endif
    #if REPHASE_PGHI_F32
    case 4: work.run(&pghiF32)
    #endif
    #if REPHASE_PGHI_Q15
    case 5: work.runQ15(&pghiQ15)
    #endif
    #if REPHASE_MCNN_F32
    case 6: work.run(&mcnnF32)
    #endif
    #if REPHASE_MCNN_Q15
    case 7: work.run(&mcnnQ15)
    #endif
    #if REPHASE_SPSI_F32
    case 14: work.run(&spsiF32)
    #endif
    #if REPHASE_SPSI_Q15
    case 15: work.runQ15(&spsiQ15)
    #endif
    default: return false
    }
    return true
}

/// Sets the integrator weights of a Q15 configuration: those its method is tuned with. The
/// other configurations are built with theirs.
func weigh(_ configuration: Int32) {
    func set(_ integrator: inout ProductIntegrator, _ method: ProductMethod) {
        (integrator.exponent, integrator.coupling) = method.weights()
        integrator.epsilon = ProductIntegrator.defaultEpsilon
    }
    switch configuration {
    #if REPHASE_CNN_Q15
    case 1: set(&cnnQ15.integrator, .cnn)
    #endif
    #if REPHASE_CNN_STRIDED_Q15
    case 3: set(&cnnStridedQ15.integrator, .cnnStrided)
    #endif
    #if REPHASE_PGHI_Q15
    case 5: set(&pghiQ15.integrator, .pghi)
    #endif
    default: break
    }
}

struct Reset: SelectedInverterWork {
    mutating func run<I: MagnitudeInverter>(_ inverter: inout I) { inverter.reset() }
}

/// rephase_init's work: forget any past frames, then the one-time set-up
/// (MagnitudeInverter.prepare), so that no frame pays it.
struct Start: SelectedInverterWork {
    mutating func run<I: MagnitudeInverter>(_ inverter: inout I) {
        inverter.reset()
        inverter.prepare()
    }
}

struct Latency: SelectedInverterWork {
    var samples: Int32 = 0
    mutating func run<I: MagnitudeInverter>(_ inverter: inout I) { samples = Int32(inverter.latency) }
}

/// The caller's checked frame in, its samples out, both read and written in place: a copy
/// through a global buffer costs a frame's worth of memcpy on the microcontroller.
struct ProcessFloat: SelectedInverterWork {
    let magnitudes: UnsafePointer<Float>
    let samples: UnsafeMutablePointer<Float>
    mutating func run<I: MagnitudeInverter>(_ inverter: inout I) {
        let input = UnsafeBufferPointer(start: magnitudes, count: ProductSTFT.bins)
        var out = UnsafeMutableBufferPointer(start: samples, count: ProductSTFT.hop).mutableSpan
        inverter.process(magnitudes: input.span, output: &out)
    }
}

struct ProcessQ15: SelectedInverterWork {
    let mantissas: UnsafePointer<UInt32>
    let exponent: Int
    let samples: UnsafeMutablePointer<Int16>
    var done = false
    mutating func run<I: MagnitudeInverter>(_ inverter: inout I) {}
    mutating func runQ15<I: Q15MagnitudeInverter>(_ inverter: inout I) {
        let input = UnsafeBufferPointer(start: mantissas, count: ProductSTFT.bins)
        var out = UnsafeMutableBufferPointer(start: samples, count: ProductSTFT.hop).mutableSpan
        inverter.process(mantissas: input.span, exponent: exponent, output: &out)
        done = true
    }
}

@c(rephase_init)
public func rephaseInit(_ method: Int32, _ format: Int32) -> Int32 {
    let staticMethod = (method >= 0 && method <= 3) || method == ProductMethod.spsi.rawValue
    let configuration = staticMethod && format >= 0 && format <= 1 ? method * 2 + format : -1
    var start = Start()
    guard withConfiguration(configuration, &start) else { return Status.unknownConfiguration.rawValue }
    weigh(configuration)
    selected = configuration
    return Status.ok.rawValue
}

@c(rephase_reset)
public func rephaseReset() -> Int32 {
    var reset = Reset()
    return withConfiguration(selected, &reset) ? Status.ok.rawValue : Status.notInitialised.rawValue
}

@c(rephase_latency)
public func rephaseLatency() -> Int32 {
    var latency = Latency()
    return withConfiguration(selected, &latency) ? latency.samples : Status.notInitialised.rawValue
}

@c(rephase_process)
public func rephaseProcess(_ magnitudes: UnsafePointer<Float>?, _ samples: UnsafeMutablePointer<Float>?) -> Int32 {
    guard let magnitudes, let samples else { return Status.nullPointer.rawValue }
    guard selected >= 0 else { return Status.notInitialised.rawValue }
    for k in 0..<ProductSTFT.bins {
        let a = magnitudes[k]
        // Written so that NaN fails too.
        guard a >= 0 && a <= maximumMagnitude else { return Status.invalidInput.rawValue }
    }
    var process = ProcessFloat(magnitudes: magnitudes, samples: samples)
    _ = withConfiguration(selected, &process)
    return Status.ok.rawValue
}

@c(rephase_process_q15)
public func rephaseProcessQ15(_ mantissas: UnsafePointer<UInt32>?, _ exponent: Int32, _ samples: UnsafeMutablePointer<Int16>?) -> Int32 {
    guard let mantissas, let samples else { return Status.nullPointer.rawValue }
    guard selected >= 0 else { return Status.notInitialised.rawValue }
    guard exponents.contains(exponent) else { return Status.invalidInput.rawValue }
    var process = ProcessQ15(mantissas: mantissas, exponent: Int(exponent), samples: samples)
    guard withConfiguration(selected, &process), process.done else { return Status.wrongInterface.rawValue }
    return Status.ok.rawValue
}

@c(rephase_analyze)
public func rephaseAnalyze(_ samples: UnsafePointer<Float>?, _ magnitudes: UnsafeMutablePointer<Float>?) -> Int32 {
    guard let samples, let magnitudes else { return Status.nullPointer.rawValue }
    for i in 0..<ProductSTFT.hop {
        let x = samples[i]
        guard x >= -1 && x <= 1 else { return Status.invalidInput.rawValue }
        analysisHop[i] = x
    }
    var spectrum = analysisSpectrum.mutableSpan
    analysis.analyze(hop: analysisHop.span, spectrum: &spectrum)
    var frame = inputFrame.mutableSpan
    packedMagnitudes(analysisSpectrum.span, into: &frame)
    for k in 0..<ProductSTFT.bins { magnitudes[k] = inputFrame[k] }
    return Status.ok.rawValue
}

@c(rephase_analyze_reset)
public func rephaseAnalyzeReset() {
    analysis.reset()
}
