import Foundation
import Testing
import RephaseCore
import RephaseReference

@Suite struct FixedSqrtTests {
    @Test func floorSqrt32IsExactAtEveryPerfectSquare() {
        for r in UInt32(0)...65535 {
            let square = r * r
            #expect(FixedSqrt.floorSqrt(square) == UInt16(r))
            if r > 0 { #expect(FixedSqrt.floorSqrt(square - 1) == UInt16(r - 1)) }
            #expect(FixedSqrt.floorSqrt(square + 2 * r) == UInt16(r))  // (r+1)^2 - 1
        }
        #expect(FixedSqrt.floorSqrt(UInt32.max) == 65535)
    }

    @Test func floorSqrt64() {
        var inputs: [UInt64] = [0, 1, 2, 3, 4, .max, .max - 1, 1 << 62, (1 << 62) - 1, 0xFFFF_FFFE_0000_0001, 0xFFFF_FFFE_0000_0000]
        var rng = SplitMix64(seed: 70)
        for _ in 0..<20_000 {
            inputs.append(rng.next() >> (rng.next() % 64))
            let r = rng.next() >> 32
            inputs += [r * r, r * r &- 1, r * r &+ 2 * r]
        }
        for x in inputs {
            let r = UInt128(FixedSqrt.floorSqrt(x))
            #expect(r * r <= UInt128(x) && (r + 1) * (r + 1) > UInt128(x), "\(x)")
        }
    }

    @Test func sqrtQ15IsCorrectlyRoundedForEveryInput() {
        var maxError = 0.0
        for x in Int16(0)...Int16.max {
            maxError = max(maxError, (Double(FixedSqrt.sqrtQ15(x)) - (Double(x) * 32768).squareRoot()).magnitude)
        }
        #expect(maxError <= 0.5, "max error \(maxError) LSB")
        #expect(FixedSqrt.sqrtQ15(.max) == .max)
        #expect(FixedSqrt.sqrtQ15(8192) == 16384)  // sqrt(1/4) = 1/2
        #expect(FixedSqrt.sqrtQ15(-1) == 0)
        #expect(FixedSqrt.sqrtQ15(.min) == 0)
    }

    @Test func sqrtQ31IsCorrectlyRounded() {
        var inputs: [Int32] = [0, 1, 2, .max, .max - 1, 1 << 29]
        var rng = SplitMix64(seed: 71)
        for _ in 0..<20_000 { inputs.append(Int32(rng.nextUInt32() >> (1 + rng.next() % 31))) }
        for x in inputs {
            let got = Int128(FixedSqrt.sqrtQ31(x))
            let n = Int128(x) << 31
            // Correct rounding: (got - 1/2)^2 <= n < (got + 1/2)^2, times 4 to stay in integers.
            let below = got == 0 || (2 * got - 1) * (2 * got - 1) <= 4 * n
            #expect(below && 4 * n < (2 * got + 1) * (2 * got + 1), "\(x)")
        }
        #expect(FixedSqrt.sqrtQ31(1 << 29) == 1 << 30)  // sqrt(1/4) = 1/2
        #expect(FixedSqrt.sqrtQ31(.max) == .max)
        #expect(FixedSqrt.sqrtQ31(.min) == 0)
    }
}
