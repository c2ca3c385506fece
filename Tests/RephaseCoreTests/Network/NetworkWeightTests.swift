import RephaseCore
import Testing

/// The Float16 weights' conversion (which moves bits itself on x86-64) must be the standard one.
@Suite struct NetworkWeightTests {
    /// Every one of the 65,536 halves: the same Float32 bits as `Float(_: Float16)`, and for
    /// NaNs a NaN of the same sign.
    @Test func float16ConvertsAsTheStandardLibraryDoes() {
        for bits in UInt16.min...UInt16.max {
            let half = Float16(bitPattern: bits)
            let expected = Float(half), got = half.float
            if half.isNaN {
                #expect(got.isNaN && got.sign == expected.sign, "\(bits)")
            } else {
                #expect(got.bitPattern == expected.bitPattern, "half \(bits): \(got) against \(expected)")
            }
        }
    }
}
