// The C interface of the core (rephase.h documents it), compiled into the same Embedded Swift
// module as Sources/RephaseCore by the target builds (Targets/cortex-m4, Targets/aarch64-linux).
// Every inverter is a global in static storage; REPHASE_ALL_METHODS adds the configurations
// beyond the strided CNN and MCNN, which a microcontroller build leaves out to save RAM.

var stridedF32 = PhaseGradientInverter<512, 128, 257, CNNEstimator>(
    estimator: CNNEstimator(variant: .strided), integrator: .tuned(for: .strided))
var stridedQ15 = Q15PhaseGradientInverter<512, 128, 257, Q15CNNEstimator>(
    estimator: Q15CNNEstimator(variant: .strided), integrator: .tuned(for: .strided))
var mcnnF32 = MCNNInverter()
var mcnnQ15 = Q15MCNNInverter()
#if REPHASE_ALL_METHODS
var causalF32 = PhaseGradientInverter<512, 128, 257, CNNEstimator>(
    estimator: CNNEstimator(variant: .causal), integrator: .tuned(for: .causal))
var causalQ15 = Q15PhaseGradientInverter<512, 128, 257, Q15CNNEstimator>(
    estimator: Q15CNNEstimator(variant: .causal), integrator: .tuned(for: .causal))
var pghiF32 = PhaseGradientInverter<512, 128, 257, PGHIEstimator<257>>(
    estimator: PGHIEstimator(frameLength: 512, hop: 128))
var pghiQ15 = Q15PhaseGradientInverter<512, 128, 257, Q15PGHIEstimator<257>>(
    estimator: Q15PGHIEstimator(frameLength: 512, hop: 128))
#endif

/// The streaming analysis of `rephase_analyze`, for hosts that start from audio.
var analysis = STFTAnalysis<512, 128>()
var analysisHop = InlineArray<128, Float>(repeating: 0)
var analysisSpectrum = InlineArray<512, Float>(repeating: 0)

/// The selected configuration: method * 2 + format (rephase.h's enums), or -1.
var selected: Int32 = -1
var inputFrame = InlineArray<257, Float>(repeating: 0)
var inputMantissas = InlineArray<257, UInt32>(repeating: 0)
var outputFloat = InlineArray<128, Float>(repeating: 0)
var outputQ15 = InlineArray<128, Int16>(repeating: 0)

/// Work to do with the selected inverter (generic, so each configuration's loop is its own).
protocol SelectedInverterWork {
    mutating func run<I: MagnitudeInverter>(_ inverter: inout I)
    mutating func runQ15<E: Q15PhaseDerivativeEstimator>(_ inverter: inout Q15PhaseGradientInverter<512, 128, 257, E>)
}

extension SelectedInverterWork {
    mutating func runQ15<E: Q15PhaseDerivativeEstimator>(_ inverter: inout Q15PhaseGradientInverter<512, 128, 257, E>) {
        run(&inverter)
    }
}

/// Runs `work` on the selected inverter; false when none (or one this build lacks) is selected.
func withSelected<W: SelectedInverterWork>(_ work: inout W) -> Bool {
    switch selected {
    case 2: work.run(&stridedF32)
    case 3: work.runQ15(&stridedQ15)
    case 6: work.run(&mcnnF32)
    case 7: work.run(&mcnnQ15)
    #if REPHASE_ALL_METHODS
    case 0: work.run(&causalF32)
    case 1: work.runQ15(&causalQ15)
    case 4: work.run(&pghiF32)
    case 5: work.runQ15(&pghiQ15)
    #endif
    default: return false
    }
    return true
}

struct Reset: SelectedInverterWork {
    mutating func run<I: MagnitudeInverter>(_ inverter: inout I) { inverter.reset() }
}

struct Latency: SelectedInverterWork {
    var samples: Int32 = -1
    mutating func run<I: MagnitudeInverter>(_ inverter: inout I) { samples = Int32(inverter.latency) }
}

struct ProcessFloat: SelectedInverterWork {
    mutating func run<I: MagnitudeInverter>(_ inverter: inout I) {
        var out = outputFloat.mutableSpan
        inverter.process(magnitudes: inputFrame.span, output: &out)
    }
}

struct ProcessQ15: SelectedInverterWork {
    let exponent: Int
    var done = false
    mutating func run<I: MagnitudeInverter>(_ inverter: inout I) {}
    mutating func runQ15<E: Q15PhaseDerivativeEstimator>(_ inverter: inout Q15PhaseGradientInverter<512, 128, 257, E>) {
        var out = outputQ15.mutableSpan
        inverter.process(mantissas: inputMantissas.span, exponent: exponent, output: &out)
        done = true
    }
}

@c(rephase_init)
public func rephaseInit(_ method: Int32, _ format: Int32) -> Int32 {
    selected = method >= 0 && method <= 3 && format >= 0 && format <= 1 ? method * 2 + format : -1
    var reset = Reset()
    guard withSelected(&reset) else {
        selected = -1
        return -1
    }
    return 0
}

@c(rephase_reset)
public func rephaseReset() {
    var reset = Reset()
    _ = withSelected(&reset)
}

@c(rephase_latency)
public func rephaseLatency() -> Int32 {
    var latency = Latency()
    _ = withSelected(&latency)
    return latency.samples
}

@c(rephase_process)
public func rephaseProcess(_ magnitudes: UnsafePointer<Float>, _ samples: UnsafeMutablePointer<Float>) -> Int32 {
    for k in 0..<257 { inputFrame[k] = magnitudes[k] }
    var process = ProcessFloat()
    guard withSelected(&process) else { return -1 }
    for i in 0..<128 { samples[i] = outputFloat[i] }
    return 0
}

@c(rephase_process_q15)
public func rephaseProcessQ15(_ mantissas: UnsafePointer<UInt32>, _ exponent: Int32, _ samples: UnsafeMutablePointer<Int16>) -> Int32 {
    for k in 0..<257 { inputMantissas[k] = mantissas[k] }
    var process = ProcessQ15(exponent: Int(exponent))
    guard withSelected(&process), process.done else { return -1 }
    for i in 0..<128 { samples[i] = outputQ15[i] }
    return 0
}

@c(rephase_analyze)
public func rephaseAnalyze(_ samples: UnsafePointer<Float>, _ magnitudes: UnsafeMutablePointer<Float>) {
    for i in 0..<128 { analysisHop[i] = samples[i] }
    var spectrum = analysisSpectrum.mutableSpan
    analysis.analyze(hop: analysisHop.span, spectrum: &spectrum)
    var frame = inputFrame.mutableSpan
    packedMagnitudes(analysisSpectrum.span, into: &frame)
    for k in 0..<257 { magnitudes[k] = inputFrame[k] }
}

@c(rephase_analyze_reset)
public func rephaseAnalyzeReset() {
    analysis.reset()
}
