import Foundation
import Testing
import RephaseCore
import RephaseReference

@Suite struct FixedTrigTests {
    static func radians(_ raw: UInt32) -> Double { Double(raw) * 2 * Double.pi / 0x1p32 }

    /// 65536 evenly spaced angles plus 100000 random ones.
    static func sweepAngles() -> [UInt32] {
        var rng = SplitMix64(seed: 50)
        return (0..<65536).map { UInt32($0) << 16 } + (0..<100_000).map { _ in rng.nextUInt32() }
    }

    @Test func sinAndCosErrorBounds() {
        var maxError = 0.0  // in Q15 LSB, where the exact value fits in Q15
        var maxErrorAtPeak = 0.0  // where the exact value rounds to +32768
        for raw in Self.sweepAngles() {
            let angle = BinaryAngle(raw: raw)
            for (got, exact) in [(FixedTrig.sin(angle), sin(Self.radians(raw))), (FixedTrig.cos(angle), cos(Self.radians(raw)))] {
                let scaled = exact * 32768
                let error = (Double(got) - scaled).magnitude
                if scaled < 32767.5 { maxError = max(maxError, error) } else { maxErrorAtPeak = max(maxErrorAtPeak, error) }
            }
        }
        #expect(maxError <= 0.67, "max error \(maxError) LSB")
        #expect(maxErrorAtPeak <= 1.0, "max error at the peak \(maxErrorAtPeak) LSB")
    }

    @Test func sinAndCosOnTheAxes() {
        #expect(FixedTrig.sin(.zero) == 0)
        #expect(FixedTrig.sin(.quarterTurn) == .max)
        #expect(FixedTrig.sin(.halfTurn) == 0)
        #expect(FixedTrig.sin(-.quarterTurn) == .min)
        #expect(FixedTrig.cos(.zero) == .max)
        #expect(FixedTrig.cos(.quarterTurn) == 0)
        #expect(FixedTrig.cos(.halfTurn) == .min)
        #expect(FixedTrig.cos(-.quarterTurn) == 0)
    }

    /// Angle error in radians of `got` against atan2 of the same integers, wrapped to (-pi, pi].
    static func atan2Error(y: Int32, x: Int32) -> Double {
        let got = Double(Int32(bitPattern: FixedTrig.atan2(y: y, x: x).raw)) * 2 * Double.pi / 0x1p32
        var error = got - atan2(Double(y), Double(x))
        if error > Double.pi { error -= 2 * Double.pi }
        if error < -Double.pi { error += 2 * Double.pi }
        return error.magnitude
    }

    @Test func atan2DenseSweepAtEveryMagnitude() {
        for radius in [8.0, 1000.0, 0x1p20, 0x1p31] {
            var maxError = 0.0
            for k in 0..<16384 {
                let theta = 2 * Double.pi * Double(k) / 16384
                let x = Int32(max(min((radius * cos(theta)).rounded(), 0x1p31 - 1), -0x1p31))
                let y = Int32(max(min((radius * sin(theta)).rounded(), 0x1p31 - 1), -0x1p31))
                maxError = max(maxError, Self.atan2Error(y: y, x: x))
            }
            #expect(maxError <= 2e-6, "radius \(radius): max error \(maxError) rad")
        }
    }

    @Test func atan2SmallVectorsAndRandomPairs() {
        var maxError = 0.0
        for y: Int32 in -64...64 {
            for x: Int32 in -64...64 where x != 0 || y != 0 {
                maxError = max(maxError, Self.atan2Error(y: y, x: x))
            }
        }
        var rng = SplitMix64(seed: 51)
        for _ in 0..<50_000 {
            // Random magnitudes too: shift each component right by 0...31 bits.
            let y = rng.nextInt32() >> (rng.next() % 32)
            let x = rng.nextInt32() >> (rng.next() % 32)
            if x != 0 || y != 0 { maxError = max(maxError, Self.atan2Error(y: y, x: x)) }
        }
        #expect(maxError <= 2e-6, "max error \(maxError) rad")
    }

    @Test func atan2AxesAndExtremes() {
        #expect(FixedTrig.atan2(y: 0, x: 0) == .zero)
        #expect(FixedTrig.atan2(y: 0, x: 5) == .zero)
        #expect(FixedTrig.atan2(y: 5, x: 0) == .quarterTurn)
        #expect(FixedTrig.atan2(y: 0, x: -5) == .halfTurn)
        #expect(FixedTrig.atan2(y: -5, x: 0) == -.quarterTurn)
        #expect(FixedTrig.atan2(y: 0, x: .min) == .halfTurn)
        #expect(FixedTrig.atan2(y: .min, x: 0) == -.quarterTurn)
        for (y, x) in [(Int32.min, Int32.min), (.min, .max), (.max, .min), (.max, .max), (1, .min), (.min, 1), (-1, .max), (.max, -1)] {
            #expect(Self.atan2Error(y: y, x: x) <= 2e-6, "(\(y), \(x))")
        }
    }
}
