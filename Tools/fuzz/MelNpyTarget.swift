/// libFuzzer target: the mel .npy path of `rephase invert --mel B`: the parser, then, for
/// what the tool accepts (B of 40, 64, 80 or 128 bands, values the encoding admits; the
/// encoding, one of the eight, chosen by the frame count), the core's decoding and streaming
/// mel -> linear stage in front of the causal CNN, whose output must be finite.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMelNpy(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let matrix = try? NpyMatrix(bytes: bytes, path: "fuzz.npy"), matrix.rows >= 1 else { return 0 }
    let encoding = MelEncoding(
        logarithm: MelEncoding.Logarithm.allCases[matrix.rows % 4], power: MelEncoding.Power.allCases[matrix.rows / 4 % 2])
    guard matrix.values.allSatisfy(encoding.admits) else { return 0 }
    let inner = PhaseGradientInverter<512, 128, 257, CNNEstimator>(
        estimator: CNNEstimator(variant: .causal, precision: .float32), integrator: .tuned(for: .causal))
    switch matrix.columns {
    case 40: run(MelInverter(stage: MelToLinear(filterbank: MelFilterbank<257, 40>(scale: .slaney), iterations: 1), inner: inner, encoding: encoding), matrix)
    case 64: run(MelInverter(stage: MelToLinear(filterbank: MelFilterbank<257, 64>(scale: .htk), iterations: 0), inner: inner, encoding: encoding), matrix)
    case 80: run(MelInverter(stage: MelToLinear(filterbank: MelFilterbank<257, 80>(scale: .slaney), iterations: 0), inner: inner, encoding: encoding), matrix)
    case 128: run(MelInverter(stage: MelToLinear(filterbank: MelFilterbank<257, 128>(scale: .slaney), iterations: 2), inner: inner, encoding: encoding), matrix)
    default: break
    }
    return 0
}

func run<I: MagnitudeInverter>(_ inverter: I, _ matrix: NpyMatrix) {
    var inverter = inverter
    var output = [Float](repeating: 0, count: 128)
    for t in 0..<min(matrix.rows, 64) {
        let frame = Array(matrix.values[t * matrix.columns..<(t + 1) * matrix.columns])
        var out = output.mutableSpan
        inverter.process(magnitudes: frame.span, output: &out)
        precondition(output.allSatisfy(\.isFinite), "non-finite output at frame \(t)")
    }
}
