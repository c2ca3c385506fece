/// libFuzzer target: every streaming inverter's frame input. The first byte picks the
/// inverter; the rest are frames of 257 arbitrary Float bit patterns (or, for the Q15
/// integer interface, an exponent byte and 257 arbitrary UInt32 mantissas). The core promises
/// finite output or a clean status, never a trap, so non-finite output is a finding too.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFrames(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let bytes = UnsafeBufferPointer(start: data + 1, count: size - 1)
    let cnn = CNNEstimator(variant: .causal, precision: .float32)
    switch data[0] % 18 {
    case 0: floats(PhaseGradientInverter<512, 128, 257, CNNEstimator>(estimator: cnn, integrator: .tuned(for: .causal)), bytes)
    case 1: floats(PhaseGradientInverter<512, 128, 257, CNNEstimator>(
        estimator: CNNEstimator(variant: .strided, precision: .float16), integrator: .tuned(for: .strided)), bytes)
    case 2: floats(Q15PhaseGradientInverter<512, 128, 257, Q15CausalCNNEstimator>(
        estimator: Q15CausalCNNEstimator(variant: .causal), integrator: .tuned(for: .causal)), bytes)
    case 3: floats(PhaseGradientInverter<512, 128, 257, PGHIEstimator<257>>(
        estimator: PGHIEstimator(frameLength: 512, hop: 128, lookahead: 1), integrator: .init()), bytes)
    case 4: floats(Q15PhaseGradientInverter<512, 128, 257, Q15PGHIEstimator<257>>(
        estimator: Q15PGHIEstimator(frameLength: 512, hop: 128, lookahead: 0), integrator: .init()), bytes)
    case 5: floats(RTPGHIInverter<512, 128, 257>(lookahead: 1), bytes)
    case 6: floats(RTISILAInverter<512, 128, 257, 8>(lookahead: 3, iterations: 2), bytes)
    case 7: floats(LookaheadRefinementInverter<512, 128, 257, 7, CNNEstimator>(
        estimator: cnn, integrator: .tuned(for: .causal), lookahead: 1, iterations: 1, momentum: 0.7), bytes)
    case 8: floats(MCNNInverter(precision: .float32), bytes)
    case 9: floats(Q15MCNNInverter(), bytes)
    case 10: mantissas(Q15PhaseGradientInverter<512, 128, 257, Q15CausalCNNEstimator>(
        estimator: Q15CausalCNNEstimator(variant: .causal), integrator: .tuned(for: .causal)), bytes)
    case 11: mantissas(Q15PhaseGradientInverter<512, 128, 257, Q15PGHIEstimator<257>>(
        estimator: Q15PGHIEstimator(frameLength: 512, hop: 128, lookahead: 1), integrator: .init()), bytes)
    case 12: floats(SPSIInverter<512, 128, 257>(), bytes)
    case 13: mantissas(Q15SPSIInverter<512, 128, 257>(), bytes)
    case 14: floats(Q15PhaseGradientInverter<512, 128, 257, Q15StridedCNNEstimator>(
        estimator: Q15StridedCNNEstimator(variant: .strided), integrator: .tuned(for: .strided)), bytes)
    case 15: mantissas(Q15PhaseGradientInverter<512, 128, 257, Q15StridedCNNEstimator>(
        estimator: Q15StridedCNNEstimator(variant: .strided), integrator: .tuned(for: .strided)), bytes)
    // The mel networks' integer magnitude correction on arbitrary block-floating frames.
    case 16: mantissas(Q15PhaseGradientInverter<512, 128, 257, Q15CausalCNNEstimator>(
        estimator: Q15CausalCNNEstimator(variant: .causal, input: .mel80), integrator: .tuned(for: .causal)), bytes)
    default: mantissas(Q15PhaseGradientInverter<512, 128, 257, Q15StridedCNNEstimator>(
        estimator: Q15StridedCNNEstimator(variant: .strided, input: .mel80), integrator: .tuned(for: .strided)), bytes)
    }
    return 0
}

/// Little-endian 32-bit words of `bytes` from `offset`, zero past the end.
func word(_ bytes: UnsafeBufferPointer<UInt8>, _ offset: Int) -> UInt32 {
    (0..<4).reduce(UInt32(0)) { $0 | UInt32(offset + $1 < bytes.count ? bytes[offset + $1] : 0) << (8 * UInt32($1)) }
}

func floats<I: MagnitudeInverter>(_ inverter: I, _ bytes: UnsafeBufferPointer<UInt8>) {
    var inverter = inverter
    var frame = [Float](repeating: 0, count: 257), output = [Float](repeating: 0, count: 128)
    let frames = min(max(1, bytes.count / (4 * 257) + 1), 16)
    for t in 0..<frames {
        for k in 0..<257 { frame[k] = Float(bitPattern: word(bytes, 4 * (t * 257 + k))) }
        var out = output.mutableSpan
        inverter.process(magnitudes: frame.span, output: &out)
        precondition(output.allSatisfy(\.isFinite), "non-finite output at frame \(t)")
    }
}

func mantissas<I: Q15MagnitudeInverter>(_ inverter: I, _ bytes: UnsafeBufferPointer<UInt8>) {
    var inverter = inverter
    var frame = [UInt32](repeating: 0, count: 257), output = [Int16](repeating: 0, count: 128)
    let stride = 1 + 4 * 257
    for t in 0..<min(max(1, bytes.count / stride + 1), 16) {
        let exponent = Int(Int8(bitPattern: t * stride < bytes.count ? bytes[t * stride] : 0))
        for k in 0..<257 { frame[k] = word(bytes, t * stride + 1 + 4 * k) }
        var out = output.mutableSpan
        inverter.process(mantissas: frame.span, exponent: exponent, output: &out)
    }
}
