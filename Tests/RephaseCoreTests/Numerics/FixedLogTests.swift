import Foundation
import Testing
import RephaseCore
import RephaseReference

@Suite struct FixedLogTests {
    @Test func log2ErrorBound() {
        var inputs = Array(UInt32(1)...65536)
        inputs += stride(from: UInt32(65537), to: UInt32.max - 40_000, by: 40_009)
        var rng = SplitMix64(seed: 60)
        for _ in 0..<100_000 { inputs.append(rng.nextUInt32() >> (rng.next() % 32) | 1) }
        inputs.append(.max)
        var maxError = 0.0  // in units of 2^-16
        for x in inputs {
            maxError = max(maxError, (Double(FixedLog.log2(x)) - log2(Double(x)) * 65536).magnitude)
        }
        #expect(maxError <= 0.69, "max error \(maxError) LSB = \(maxError / 65536)")
    }

    @Test func log2ExactCases() {
        #expect(FixedLog.log2(0) == FixedLog.log2OfZero)
        #expect(FixedLog.log2OfZero == -65536)
        for k in 0..<32 {
            #expect(FixedLog.log2(UInt32(1) << k) == Int32(k) << 16, "2^\(k)")
        }
        #expect(FixedLog.log2(.max) == 32 << 16)  // 32 - 3.4e-10 rounds to 32.0
        #expect(FixedLog.log2(3) == 103872)  // log2(3) = 1.5849625 -> 1.5849609 (103872 / 65536)
    }

    @Test func exp2ErrorBound() {
        var maxRelativeError = 0.0  // where the exact result is at least 2^13 LSB
        var maxExcessRelativeError = 0.0  // what is left after half an LSB of rounding
        for x in stride(from: Int32(-18 << 16), to: Int32(16 << 16), by: 7) {
            let got = Double(FixedLog.exp2(x))
            let exact = pow(2, Double(x) / 65536 + 16)
            let error = (got - exact).magnitude
            if exact >= 8192 { maxRelativeError = max(maxRelativeError, error / exact) }
            maxExcessRelativeError = max(maxExcessRelativeError, max(0, error - 0.5) / exact)
        }
        #expect(maxRelativeError <= 1e-4, "max relative error \(maxRelativeError)")
        #expect(maxExcessRelativeError <= 1e-6, "max relative error beyond rounding \(maxExcessRelativeError)")
    }

    @Test func exp2ExactCasesAndSaturation() {
        #expect(FixedLog.exp2(0) == 65536)
        for k in -16...15 {
            #expect(FixedLog.exp2(Int32(k) << 16) == UInt32(1) << (k + 16), "2^\(k)")
        }
        #expect(FixedLog.exp2(-17 << 16) == 1)  // exactly half an LSB rounds up
        #expect(FixedLog.exp2((-17 << 16) - 1) == 0)
        #expect(FixedLog.exp2(-18 << 16) == 0)
        #expect(FixedLog.exp2(.min) == 0)
        #expect(FixedLog.exp2(16 << 16) == .max)
        #expect(FixedLog.exp2(.max) == .max)
        let largest = Double(FixedLog.exp2((16 << 16) - 1))  // 2^(32 - 2^-16), just below 2^32
        #expect((largest / pow(2, 32 - 0x1p-16) - 1).magnitude <= 2e-6)
    }

    @Test func exp2UndoesLog2() {
        var rng = SplitMix64(seed: 61)
        for _ in 0..<10_000 {
            let x = rng.nextUInt32() >> 8 | 1 << 16  // in [2^16, 2^24): 1.0 to 256.0 in Q16.16
            let roundTrip = Double(FixedLog.exp2(FixedLog.log2(x) - (16 << 16)))
            #expect((roundTrip / Double(x) - 1).magnitude <= 1.2e-5, "\(x)")  // log2 rounding: 2^-17 ln 2
        }
    }
}
