// Compiled together with RephaseCore by Targets/embedded-check/run. Embedded Swift checks a
// generic type only where it is specialised, so this file instantiates the core's generic
// types at the product sizes (ProductSTFT, through the registry's aliases) and exposes C entry points that use
// them; a core change that is not Embedded-compatible then fails here, not on a board.

var analysis = ProductSTFTAnalysis()
var synthesis = ProductSTFTSynthesis()
var spectrum = InlineArray<512, Float>(repeating: 0)
var hopBuffer = InlineArray<128, Float>(repeating: 0)

/// One hop of analysis followed by synthesis, in place on `hopBuffer`.
@c(rephase_check_stft_round_trip)
public func checkSTFTRoundTrip() {
    var spec = spectrum.mutableSpan
    analysis.analyze(hop: hopBuffer.span, spectrum: &spec)
    var out = hopBuffer.mutableSpan
    synthesis.synthesize(spectrum: &spec, output: &out)
}

var pghiInverter = ProductInverters.pghi(lookahead: 0, integrator: ProductMethod.pghi.integrator())
var magnitudeFrame = InlineArray<257, Float>(repeating: 0)

/// One frame of the PGHI + least-squares inverter: magnitudes in, `hopBuffer` out.
@c(rephase_check_pghi_inverter)
public func checkPGHIInverter() {
    var out = hopBuffer.mutableSpan
    pghiInverter.process(magnitudes: magnitudeFrame.span, output: &out)
}

var q15Analysis = ProductQ15STFTAnalysis()
var q15Synthesis = ProductQ15STFTSynthesis()
var q15Spectrum = InlineArray<512, Int16>(repeating: 0)
var q15HopBuffer = InlineArray<128, Int16>(repeating: 0)

/// The same for the Q15 STFT: one hop of analysis followed by synthesis, in place on
/// `q15HopBuffer`.
@c(rephase_check_q15_stft_round_trip)
public func checkQ15STFTRoundTrip() {
    var spec = q15Spectrum.mutableSpan
    let exponent = q15Analysis.analyze(hop: q15HopBuffer.span, spectrum: &spec)
    var out = q15HopBuffer.mutableSpan
    q15Synthesis.synthesize(spectrum: &spec, exponent: exponent, output: &out)
}

var rtpghiInverter = ProductInverters.rtpghi(lookahead: 0)

/// One frame of the RTPGHI baseline: `magnitudeFrame` in, `hopBuffer` out.
@c(rephase_check_rtpghi_inverter)
public func checkRTPGHIInverter() {
    var out = hopBuffer.mutableSpan
    rtpghiInverter.process(magnitudes: magnitudeFrame.span, output: &out)
}

var spsiInverter = ProductInverters.SPSI()
var q15SPSIInverter = ProductInverters.Q15SPSI()
var mantissaFrame = InlineArray<257, UInt32>(repeating: 0)

/// One frame of SPSI in each format: `magnitudeFrame` in, `hopBuffer` out (Float32);
/// `mantissaFrame` in, `q15HopBuffer` out (Q15).
@c(rephase_check_spsi)
public func checkSPSI() {
    var out = hopBuffer.mutableSpan
    spsiInverter.process(magnitudes: magnitudeFrame.span, output: &out)
    var q15Out = q15HopBuffer.mutableSpan
    q15SPSIInverter.process(mantissas: mantissaFrame.span, exponent: -20, output: &q15Out)
}

var rtisi = ProductInverters.rtisiLA(lookahead: 3, iterations: 5)
var rtisiMagnitudes = InlineArray<257, Float>(repeating: 0)
var rtisiOutput = InlineArray<128, Float>(repeating: 0)

/// One frame through the RTISI-LA inverter (default look-ahead and iterations).
@c(rephase_check_rtisi)
public func checkRTISI() {
    var out = rtisiOutput.mutableSpan
    rtisi.process(magnitudes: rtisiMagnitudes.span, output: &out)
}

var cnnInverter = ProductInverters.cnn(.causal, .float16, integrator: ProductMethod.cnn.integrator())

/// One frame of the CNN + least-squares inverter: `magnitudeFrame` in, `hopBuffer` out.
@c(rephase_check_cnn_inverter)
public func checkCNNInverter() {
    var out = hopBuffer.mutableSpan
    cnnInverter.process(magnitudes: magnitudeFrame.span, output: &out)
}

/// The Q15 CNN inverter (strided: the Cortex-M4 product configuration) through its
/// fixed-point interface: block-floating mantissas in, Q15 samples out.
var q15CNNInverter = ProductInverters.q15StridedCNN(integrator: ProductMethod.cnnStrided.integrator())
var q15Mantissas = InlineArray<257, UInt32>(repeating: 0)

@c(rephase_check_q15_cnn_inverter)
public func checkQ15CNNInverter(exponent: Int) {
    var out = q15HopBuffer.mutableSpan
    q15CNNInverter.process(mantissas: q15Mantissas.span, exponent: exponent, output: &out)
}

var q15PGHIInverter = ProductInverters.q15PGHI(lookahead: 0, integrator: ProductMethod.pghi.integrator())

@c(rephase_check_q15_pghi_inverter)
public func checkQ15PGHIInverter(exponent: Int) {
    var out = q15HopBuffer.mutableSpan
    q15PGHIInverter.process(mantissas: q15Mantissas.span, exponent: exponent, output: &out)
}

/// The integer-only solver (IntegerFloat arithmetic) for cores without an FPU.
var integerSolver = IntegerTridiagonalSolver<257>()
var integerLambda = InlineArray<257, IntegerFloat>(repeating: .zero)
var integerCoupling = InlineArray<256, IntegerFloat>(repeating: .zero)
var integerRe = InlineArray<257, IntegerFloat>(repeating: .zero)
var integerIm = InlineArray<257, IntegerFloat>(repeating: .zero)

@c(rephase_check_integer_solver)
public func checkIntegerSolver() {
    integerSolver.factorPathLaplacian(lambda: integerLambda.span, coupling: integerCoupling.span)
    var re = integerRe.mutableSpan, im = integerIm.mutableSpan
    integerSolver.solve(real: &re, imaginary: &im)
}

var melToLinear = MelToLinear(filterbank: MelFilterbank<257, 80>(), iterations: 4)
var melInverter = MelInverter(
    stage: melToLinear,
    inner: ProductInverters.pghi(lookahead: 0, integrator: ProductMethod.pghi.integrator()),
    encoding: MelEncoding(logarithm: .natural, power: .squared))
var melFrame = InlineArray<80, Float>(repeating: 0)

/// One frame of mel inversion (80 bands of ln power-2 mel, decoded -> linear magnitudes ->
/// PGHI): `melFrame` in, `hopBuffer` out.
@c(rephase_check_mel_inverter)
public func checkMelInverter() {
    var out = hopBuffer.mutableSpan
    melInverter.process(magnitudes: melFrame.span, output: &out)
}

var q15MelToLinear = Q15MelToLinear(melToLinear)
var q15MelFrame = InlineArray<80, Int16>(repeating: 0)
var q15MagnitudeFrame = InlineArray<257, Int16>(repeating: 0)

/// The Q15 mel -> linear kernel: `q15MelFrame` in, `q15MagnitudeFrame` out.
@c(rephase_check_q15_mel_to_linear)
public func checkQ15MelToLinear() {
    var out = q15MagnitudeFrame.mutableSpan
    q15MelToLinear.convert(mel: q15MelFrame.span, into: &out)
}

var cnnLAInverter = ProductInverters.cnnLA(
    .float16, integrator: ProductMethod.cnnLA.integrator(), lookahead: 3, iterations: 2,
    momentum: ProductInverters.CNNLA.defaultMomentum)

/// One frame of the CNN with look-ahead refinement: `magnitudeFrame` in, `hopBuffer` out.
@c(rephase_check_cnn_la_inverter)
public func checkCNNLAInverter() {
    var out = hopBuffer.mutableSpan
    cnnLAInverter.process(magnitudes: magnitudeFrame.span, output: &out)
}

var mcnn = MCNNInverter(precision: .float16)

/// One frame of the MCNN inverter with its Float16 weight table: `magnitudeFrame` in,
/// `hopBuffer` out.
@c(rephase_check_mcnn)
public func checkMCNN() {
    var out = hopBuffer.mutableSpan
    mcnn.process(magnitudes: magnitudeFrame.span, output: &out)
}

var q15MCNN = Q15MCNNInverter()

/// One frame of the Q15 MCNN through its integer interface: `q15MCNNInputs` in, Q15
/// samples out in `q15HopBuffer`.
@c(rephase_check_q15_mcnn)
public func checkQ15MCNN() {
    var out = q15HopBuffer.mutableSpan
    q15MCNN.process(q15Magnitudes: q15MCNNInputs.span, output: &out)
}

var q15MCNNInputs = InlineArray<257, Int16>(repeating: 0)
