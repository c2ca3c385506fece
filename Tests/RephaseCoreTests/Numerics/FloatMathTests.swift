import Foundation
import Testing
@testable import RephaseCore
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

    /// Against nearestInteger (its checked conversion) for every 61st Float below 2^31 (each
    /// exponent's mantissas, both signs), every tie k + 1/2 below 2^23 in steps of 9, the sums
    /// x + 1/2 that round up, and the edges of the shift ways.
    @Test func int32MatchesNearestInteger() {
        func check(_ x: Float) -> Bool {
            let got = FloatMath.nearestInt32(x), want = Int32(FloatMath.nearestInteger(x))
            guard got == want else {
                Issue.record("\(x): \(got), want \(want)")
                return false
            }
            return true
        }
        for bits in stride(from: UInt32(0), to: Float(2_147_483_648).bitPattern, by: 61) {
            guard check(Float(bitPattern: bits)), check(-Float(bitPattern: bits)) else { return }
        }
        for k in stride(from: 0, to: 1 << 23, by: 9) {
            guard check(Float(k) + 0.5), check(-Float(k) - 0.5) else { return }
        }
        for x: Float in [0.5 - 0x1p-25, -0.5 + 0x1p-25, 8_388_607.5, 8_388_608, 8_388_609, 16_777_215, 16_777_216,
                         2_147_483_520, -2_147_483_520, -2_147_483_648] {
            #expect(check(x))
        }
    }
}

/// The branch-free reductions give the bits of the formulas they replaced, which rounded by
/// nearestInteger and its checked conversions.
@Suite struct BranchFreeReductionTests {
    /// sinCos: the quarter turns by nearestSmallInteger against nearestInteger, and the
    /// quadrants' selects against the rotation they stand for.
    @Test func sinCosMatchesCheckedReduction() {
        func reference(_ x: Float) -> (sin: Float, cos: Float) {
            guard abs(x) <= 4_194_304 else { return (.nan, .nan) }
            let q = FloatMath.nearestInteger(x * 0.636_619_77)
            var r = x - q * 1.570_312_5
            r -= q * 4.837_512_969_970_703e-4
            r -= q * 7.549_789_954_891_882e-8
            let (s, c) = FloatMath.sinCos(reduced: r, quadrant: 0)
            switch Int(q) & 3 {
            case 0: return (s, c)
            case 1: return (c, -s)
            case 2: return (-s, -c)
            default: return (-c, s)
            }
        }
        var rng = SplitMix64(seed: 11)
        var samples: [Float] = (0..<200_000).map { _ in Float(rng.uniform(-40, 40)) }
        samples += (0..<20_000).map { _ in Float(rng.uniform(-4_194_304, 4_194_304)) }
        samples += [0, -0.0, .pi / 4, -.pi / 4, 3 * .pi / 4, 4_194_304, -4_194_304]
        for x in samples {
            let (s, c) = FloatMath.sinCos(x), (rs, rc) = reference(x)
            #expect(s.bitPattern == rs.bitPattern && c.bitPattern == rc.bitPattern, "\(x)")
        }
        for x: Float in [4_194_305, .infinity, -.infinity, .nan] {
            let (s, c) = FloatMath.sinCos(x)
            #expect(s.isNaN && c.isNaN, "\(x)")
        }
    }

    /// BinaryAngle(singlePrecisionRadians:) against the same formula with nearestInteger.
    @Test func radiansToBinaryAngleMatchesCheckedReduction() {
        func reference(_ radians: Float) -> UInt32 {
            guard abs(radians) <= 4_194_304 else { return 0 }
            let wholeTurns = FloatMath.nearestInteger(radians * 0.159_154_94)
            let reduced = radians - wholeTurns * 6.281_25 - wholeTurns * 1.935_307_2e-3
            let turns = reduced * 0.159_154_94
            return UInt32(bitPattern: Int32(FloatMath.nearestInteger(turns * 2_147_483_648))) << 1
        }
        var rng = SplitMix64(seed: 13)
        var samples: [Float] = (0..<200_000).map { _ in Float(rng.uniform(-40, 40)) }
        samples += (0..<20_000).map { _ in Float(rng.uniform(-4_194_304, 4_194_304)) }
        samples += [0, -0.0, .pi, -.pi, 4_194_304, -4_194_304, 4_194_305, .infinity, -.infinity, .nan]
        for x in samples {
            #expect(BinaryAngle(singlePrecisionRadians: x).raw == reference(x), "\(x)")
        }
    }

    /// Power, scalar and row, against the square-and-multiply loop it unrolled (for 2p a whole
    /// number up to 16) or exp(p log x), bit for bit, at zero too.
    @Test(arguments: [Float(0), 0.5, 1, 1.5, 2.5, 4, 7.5, 8, 0.3, 3.7])
    func powerMatchesSquareAndMultiply(p: Float) {
        func reference(_ x: Float) -> Float {
            let twice = 2 * p
            guard twice == twice.rounded(), twice <= 16 else {
                return x == 0 ? 0 : FloatMath.exp(p * FloatMath.log(x))
            }
            var base = abs(x).squareRoot(), result: Float = 1, n = Int(twice)
            while n > 0 {
                if n & 1 == 1 { result *= base }
                base *= base
                n >>= 1
            }
            return result
        }
        var rng = SplitMix64(seed: 17)
        let x: [Float] = [0, 1, 1e-30] + (0..<1000).map { _ in Float(rng.uniform(0, 3)) }
        var row = [Float](repeating: .nan, count: x.count)
        var out = row.mutableSpan
        let power = FloatMath.Power(p)
        power.of(x.span, times: 0.7, into: &out)
        for k in x.indices {
            let want = reference(x[k] * 0.7).bitPattern
            #expect(row[k].bitPattern == want && power.of(x[k] * 0.7).bitPattern == want, "p \(p), x \(x[k])")
        }
    }
}
