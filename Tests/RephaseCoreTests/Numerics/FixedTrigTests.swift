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
    static func atan2Error(y: Int16, x: Int16) -> Double {
        let got = Double(Int32(bitPattern: FixedTrig.atan2(y: y, x: x).raw)) * 2 * Double.pi / 0x1p32
        var error = got - atan2(Double(y), Double(x))
        if error > Double.pi { error -= 2 * Double.pi }
        if error < -Double.pi { error += 2 * Double.pi }
        return error.magnitude
    }

    static func clamped(_ v: Double) -> Int16 { Int16(max(min(v.rounded(), 32767), -32768)) }

    @Test func atan2DenseSweepAtEveryMagnitude() {
        for radius in [8.0, 1000.0, 20000.0, 32767.0, 46000.0] {
            var maxError = 0.0
            for k in 0..<65536 {
                let theta = 2 * Double.pi * Double(k) / 65536
                let y = Self.clamped(radius * sin(theta)), x = Self.clamped(radius * cos(theta))
                maxError = max(maxError, Self.atan2Error(y: y, x: x))
            }
            #expect(maxError <= 9e-6, "radius \(radius): max error \(maxError) rad")
        }
    }

    @Test func atan2SmallVectorsAndRandomPairs() {
        var maxError = 0.0
        for y: Int16 in -64...64 {
            for x: Int16 in -64...64 where x != 0 || y != 0 {
                maxError = max(maxError, Self.atan2Error(y: y, x: x))
            }
        }
        var rng = SplitMix64(seed: 51)
        for _ in 0..<200_000 {
            // Random magnitudes too: shift each component right by 0...15 bits.
            let y = rng.nextInt16() >> (rng.next() % 16), x = rng.nextInt16() >> (rng.next() % 16)
            if x != 0 || y != 0 { maxError = max(maxError, Self.atan2Error(y: y, x: x)) }
        }
        #expect(maxError <= 9e-6, "max error \(maxError) rad")
    }

    @Test func atan2AxesDiagonalsAndExtremes() {
        #expect(FixedTrig.atan2(y: 0, x: 0) == .zero)
        #expect(FixedTrig.atan2(y: 0, x: 5) == .zero)
        #expect(FixedTrig.atan2(y: 5, x: 0) == .quarterTurn)
        #expect(FixedTrig.atan2(y: 0, x: -5) == .halfTurn)
        #expect(FixedTrig.atan2(y: -5, x: 0) == -.quarterTurn)
        #expect(FixedTrig.atan2(y: 0, x: .min) == .halfTurn)
        #expect(FixedTrig.atan2(y: .min, x: 0) == -.quarterTurn)
        #expect(FixedTrig.atan2(y: 7, x: 7).raw == 0x2000_0000)
        #expect(FixedTrig.atan2(y: -7, x: -7).raw == 0xA000_0000)
        for (y, x) in [(Int16.min, Int16.min), (.min, .max), (.max, .min), (.max, .max), (1, .min), (.min, 1), (-1, .max), (.max, -1)] {
            #expect(Self.atan2Error(y: y, x: x) <= 9e-6, "(\(y), \(x))")
        }
    }
}
