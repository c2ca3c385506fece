import Testing
import RephaseCore

/// Expects a Q15 inverter's Float interface to be its fixed-point one: two copies of `inverter`
/// fed the same frames, one as Floats and one as the block-floating mantissas
/// BlockFloatingMagnitudes makes of them, give the same samples (q / 32768) every frame.
func expectFloatInterfaceIsTheFixedPointOne<I: Q15MagnitudeInverter>(_ inverter: I, frames: ArraySlice<[Float]>) {
    var viaFloat = inverter, viaFixed = inverter
    var floatOut = [Float](repeating: 0, count: 128), fixedOut = [Int16](repeating: 0, count: 128)
    var mantissas = [UInt32](repeating: 0, count: 257)
    for frame in frames {
        var m = mantissas.mutableSpan
        let exponent = BlockFloatingMagnitudes.convert(frame.span, into: &m)
        var f = floatOut.mutableSpan, q = fixedOut.mutableSpan
        viaFloat.process(magnitudes: frame.span, output: &f)
        viaFixed.process(mantissas: mantissas.span, exponent: exponent, output: &q)
        #expect(floatOut == fixedOut.map { Float($0) / 32768 })
    }
}
