// Compiled together with RephaseCore by Targets/embedded-check/run. Embedded Swift checks a
// generic type only where it is specialised, so this file instantiates the core's generic
// types at the default configuration (N = 512, H = 128) and exposes C entry points that use
// them; a core change that is not Embedded-compatible then fails here, not on a board.

var analysis = STFTAnalysis<512, 128>()
var synthesis = STFTSynthesis<512, 128>()
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

var rtisi = RTISILAInverter<512, 128, 257, 4>()
var rtisiMagnitudes = InlineArray<257, Float>(repeating: 0)
var rtisiOutput = InlineArray<128, Float>(repeating: 0)

/// One frame through the RTISI-LA inverter (default look-ahead and iterations).
@c(rephase_check_rtisi)
public func checkRTISI() {
    var out = rtisiOutput.mutableSpan
    rtisi.process(magnitudes: rtisiMagnitudes.span, output: &out)
}
