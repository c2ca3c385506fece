import Testing
import RephaseCore

/// The core's conversions of data-dependent Floats to integers saturate instead of trapping
/// (the core has no test target of its own that the host shells' hostile-input work may
/// extend, and the offline methods feed it the same frames).
@Suite struct CoreSaturationTests {
    @Test func blockFloatingMagnitudesSaturateNonFiniteValues() {
        var frame = [Float](repeating: 1, count: 257)
        frame[3] = .infinity
        frame[4] = .nan
        frame[5] = -2
        var mantissas = [UInt32](repeating: 7, count: 257)
        var span = mantissas.mutableSpan
        let exponent = BlockFloatingMagnitudes.convert(frame.span, into: &span)
        // +infinity saturates to MagnitudeRange.largest, as every inverter's Float entry reads it.
        #expect(exponent == Int(MagnitudeRange.largest.exponent) - 31)
        #expect(mantissas[3] == UInt32(MagnitudeRange.largest.significand * 2_147_483_648))
        #expect(mantissas[4] == 0 && mantissas[5] == 0)
    }

    @Test func blockFloatingMagnitudesOfFiniteFramesAreUnchanged() {
        let frame = (0..<257).map { Float($0) * 0.37 }
        var mantissas = [UInt32](repeating: 0, count: 257)
        var span = mantissas.mutableSpan
        let exponent = BlockFloatingMagnitudes.convert(frame.span, into: &span)
        #expect(exponent == Int(frame.max()!.exponent) - 31)
        for k in 1..<257 {
            #expect(BlockFloatingMagnitudes.value(mantissas[k], exponent: exponent) == frame[k])
        }
    }

    @Test func q15MCNNTakesNonFiniteMagnitudes() {
        var inverter = Q15MCNNInverter()
        var output = [Float](repeating: 0, count: 128)
        for value in [Float.nan, .infinity, -.infinity, 3e38] {
            let frame = [Float](repeating: value, count: 257)
            var span = output.mutableSpan
            inverter.process(magnitudes: frame.span, output: &span)
            #expect(output.allSatisfy { $0.isFinite })
        }
    }
}
