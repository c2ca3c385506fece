import Foundation
import Testing
import RephaseCore
import RephaseReference

/// FloatMath against Double (Foundation) over dense sweeps; the bounds are the ones the doc
/// comments state.
@Suite struct FloatMathTests {
    @Test func sinCosAbsoluteError() {
        var worst = 0.0
        var x: Float = -10_000
        while x <= 10_000 {
            let (s, c) = FloatMath.sinCos(x)
            worst = max(worst, abs(Double(s) - sin(Double(x))), abs(Double(c) - cos(Double(x))))
            x += 0.0137
        }
        #expect(worst <= 1.2e-7, "max abs error \(worst)")
        for x: Float in [.nan, .infinity, -.infinity, 1e30] {
            #expect(FloatMath.sinCos(x).sin.isNaN && FloatMath.sinCos(x).cos.isNaN)
        }
    }

    /// Every quarter turn's edges and a stride that visits all of them, against the exact angle.
    @Test func binaryAngleSinCosAbsoluteError() {
        var worst = 0.0
        func check(_ raw: UInt32) {
            let (s, c) = FloatMath.sinCos(BinaryAngle(raw: raw))
            let x = Double(raw) * (2 * Double.pi / 4_294_967_296)
            worst = max(worst, abs(Double(s) - sin(x)), abs(Double(c) - cos(x)))
        }
        for q: UInt32 in 0..<8 {
            for offset: UInt32 in [0, 1, 2, 1 << 12] {
                check((q << 29) &+ offset)
                check((q << 29) &- offset)
            }
        }
        var raw: UInt32 = 0
        for _ in 0..<200_000 {
            check(raw)
            raw &+= 21_474_837  // about 1/200 turn, odd: every residue class in time
        }
        #expect(worst <= 1.2e-7, "max abs error \(worst)")
    }

    @Test func logRelativeError() {
        var worst = 0.0
        var x: Float = 1e-38
        while x < 1e38 {
            let want = Foundation.log(Double(x))
            worst = max(worst, abs(Double(FloatMath.log(x)) - want) / max(abs(want), 1))
            x *= 1.0007
        }
        #expect(worst <= 1.5e-7, "max rel error \(worst)")
        #expect(FloatMath.log(0) == -.infinity)
        #expect(FloatMath.log(-1).isNaN)
        #expect(abs(FloatMath.log(1e-44) - Float(Foundation.log(Double(Float(1e-44))))) < 1e-5)
    }

    @Test func exp2RelativeError() {
        var worst = 0.0
        var x: Float = -125.9
        while x < 127.9 {
            let want = Foundation.exp2(Double(x))
            worst = max(worst, abs(Double(FloatMath.exp2(x)) - want) / want)
            x += 0.00731
        }
        #expect(worst <= 2.5e-7, "max rel error \(worst)")
        #expect(FloatMath.exp2(200) == .infinity)
        #expect(FloatMath.exp2(-200) == 0)
    }

    /// e^x as exp2(x log2 e): exp2's error plus the rounding of x log2 e (and of log2 e), which
    /// grows with |x|: bound 2.5e-7 + 8e-8 |x|, over [-16, 16] (the mel networks' clamped
    /// correction, MCNN's ELU).
    @Test func expRelativeError() {
        var x: Float = -16
        while x <= 16 {
            let want = Foundation.exp(Double(x))
            let error = abs(Double(FloatMath.exp(x)) - want) / want
            #expect(error <= 2.5e-7 + 8e-8 * Double(abs(x)), "x \(x): rel error \(error)")
            x += 0.00373
        }
    }

    /// Both paths: half-integer exponents (square root and squaring, bound 1e-6, 1.5e-6 at p = 8) and the
    /// general one (bound 1e-5), over results in Float's normal range.
    @Test(arguments: [(Float(0.5), 1e-6), (1, 1e-6), (1.5, 1e-6), (2, 1e-6), (2.5, 1e-6), (8, 1.5e-6), (0.3, 1e-5), (3.7, 1e-5)])
    func powRelativeError(p: Float, bound: Double) {
        var worst = 0.0
        var x: Float = 1e-6
        while x < 1e6 {
            let want = Foundation.pow(Double(x), Double(p))
            if want < Double(Float.greatestFiniteMagnitude) && want > Double(Float.leastNormalMagnitude) {
                worst = max(worst, abs(Double(FloatMath.pow(x, p)) - want) / want)
            }
            x *= 1.01
        }
        #expect(worst <= bound, "p = \(p): max rel error \(worst)")
        #expect(FloatMath.pow(0, 2.5) == 0)
    }

    @Test func atan2AbsoluteError() {
        var worst = 0.0
        for i in 0..<100_000 {
            let angle = Double(i) / 100_000 * 2 * Double.pi - Double.pi
            for r in [1e-30, 1e-3, 1.0, 1e20] {
                let y = Float(r * sin(angle)), x = Float(r * cos(angle))
                worst = max(worst, abs(Double(FloatMath.atan2(y, x)) - Foundation.atan2(Double(y), Double(x))))
            }
        }
        #expect(worst <= 4e-7, "max abs error \(worst)")
        #expect(FloatMath.atan2(0, 0) == 0)
        #expect(FloatMath.atan2(0, -1) == Float(Double.pi))
    }
}

@Suite struct NearestIntegerTests {
    @Test func matchesRoundingAwayFromZero() {
        var rng = SplitMix64(seed: 3)
        for _ in 0..<100_000 {
            let x = Float(rng.uniform(-1e6, 1e6))
            #expect(FloatMath.nearestInteger(x) == x.rounded(.toNearestOrAwayFromZero), "\(x)")
        }
        for x: Float in [0, -0.5, 0.5, 1.5, -2.5, 8_388_607.5, 1e30, -1e30] {
            #expect(FloatMath.nearestInteger(x) == x.rounded(.toNearestOrAwayFromZero), "\(x)")
        }
    }

    /// Against Float.rounded for every Float of magnitude below 2^15 that is a multiple of
    /// 2^-9 (every such value whose halves can tie, both signs), and random values below 2^22.
    @Test func smallIntegersMatchRoundingAwayFromZero() {
        for i in -(1 << 24)...(1 << 24) {
            let x = Float(i) * 0x1p-9
            guard FloatMath.nearestSmallInteger(x) == Int32(x.rounded(.toNearestOrAwayFromZero)) else {
                Issue.record("\(x)")
                return
            }
        }
        var rng = SplitMix64(seed: 5)
        for _ in 0..<100_000 {
            let x = Float(rng.uniform(-4_194_303, 4_194_303))
            #expect(FloatMath.nearestSmallInteger(x) == Int32(x.rounded(.toNearestOrAwayFromZero)), "\(x)")
        }
        for x: Float in [0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 32766.5, -32766.5, 4_194_302.5, -4_194_302.5] {
            #expect(FloatMath.nearestSmallInteger(x) == Int32(x.rounded(.toNearestOrAwayFromZero)), "\(x)")
        }
    }
}
