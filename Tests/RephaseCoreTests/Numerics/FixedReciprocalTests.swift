import Foundation
import Testing
import RephaseCore
import RephaseReference

@Suite struct FixedReciprocalTests {
    @Test func reciprocalErrorBound() {
        var inputs = Array(UInt32(1)...65536)
        for k in 0..<32 { inputs += [UInt32(1) << k, (UInt32(1) << k) &- 1, (UInt32(1) << k) &+ 1] }
        inputs += stride(from: UInt32(65537), to: UInt32.max - 40_000, by: 40_009)
        var rng = SplitMix64(seed: 80)
        for _ in 0..<100_000 { inputs.append(rng.nextUInt32() >> (rng.next() % 32)) }
        inputs.append(.max)
        var maxRelativeError = 0.0
        for x in inputs where x != 0 {
            let (mantissa, shift) = FixedReciprocal.reciprocal(x)
            #expect(mantissa >= (1 << 30) - 128 && mantissa <= 1 << 31 && (31...62).contains(shift), "\(x)")
            let relativeError = (Double(mantissa) * Double(x) / pow(2, Double(shift)) - 1).magnitude
            maxRelativeError = max(maxRelativeError, relativeError)
        }
        #expect(maxRelativeError <= 6.1e-8, "max relative error \(maxRelativeError)")
    }

    @Test func reciprocalOfZeroSaturates() {
        let (mantissa, shift) = FixedReciprocal.reciprocal(0)
        #expect(mantissa == 1 << 31 && shift == 0)
    }

    @Test func reciprocalQ16() {
        #expect(FixedReciprocal.reciprocalQ16(0) == .max)
        #expect(FixedReciprocal.reciprocalQ16(1) == .max)
        #expect(FixedReciprocal.reciprocalQ16(65536) == 65536)  // 1/1
        #expect(FixedReciprocal.reciprocalQ16(.max) == 1)  // 1/65536 -> 1.0000000002 LSB
        var inputs = Array(UInt32(2)...70_000)
        var rng = SplitMix64(seed: 81)
        for _ in 0..<50_000 { inputs.append(max(2, rng.nextUInt32() >> (rng.next() % 32))) }
        for x in inputs {
            let exact = 0x1p32 / Double(x)
            let error = (Double(FixedReciprocal.reciprocalQ16(x)) - exact).magnitude
            #expect(error <= 0.5 + 6.1e-8 * exact, "\(x)")
        }
    }
}
