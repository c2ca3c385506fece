import Testing
import RephaseCore
import RephaseReference

@Suite struct Q15Tests {
    /// Every 251st Int16 plus the extremes: 271 values, 73k pairs.
    static let grid: [Int16] = Array(stride(from: Int16.min, through: Int16.max, by: 251))
        + [.min, .min + 1, -2, -1, 0, 1, 2, .max - 1, .max]

    static func clamp(_ x: Int) -> Int16 { Int16(min(max(x, Int(Int16.min)), Int(Int16.max))) }

    /// Q15 product rounded half up, from the exact Double product.
    static func referenceMul(_ a: Int16, _ b: Int16) -> Int16 {
        clamp(Int((Double(a) * Double(b) / 32768 + 0.5).rounded(.down)))
    }

    @Test func saturatingNarrowing() {
        for x in stride(from: Int32.min, to: Int32.max - 65535, by: 65536) {
            #expect(Q15.saturating(x) == Self.clamp(Int(x)))
        }
        for x: Int32 in [.min, -32769, -32768, -32767, 0, 32766, 32767, 32768, .max] {
            #expect(Q15.saturating(x) == Self.clamp(Int(x)), "\(x)")
        }
    }

    @Test func addSubMulOnGridPairs() {
        for a in Self.grid {
            for b in Self.grid {
                #expect(Q15.add(a, b) == Self.clamp(Int(a) + Int(b)))
                #expect(Q15.sub(a, b) == Self.clamp(Int(a) - Int(b)))
                #expect(Q15.mul(a, b) == Self.referenceMul(a, b))
            }
        }
    }

    @Test func addSubMulOnRandomPairs() {
        var rng = SplitMix64(seed: 15)
        for _ in 0..<100_000 {
            let a = rng.nextInt16()
            let b = rng.nextInt16()
            #expect(Q15.add(a, b) == Self.clamp(Int(a) + Int(b)))
            #expect(Q15.sub(a, b) == Self.clamp(Int(a) - Int(b)))
            #expect(Q15.mul(a, b) == Self.referenceMul(a, b))
        }
    }

    @Test func mulEdgeCases() {
        #expect(Q15.mul(.min, .min) == .max)  // -1 * -1 saturates
        #expect(Q15.mul(.min, .max) == -32767)
        #expect(Q15.mul(.max, .max) == 32766)
        #expect(Q15.mul(1, 16384) == 1)  // 0.5 LSB rounds up
        #expect(Q15.mul(-1, 16384) == 0)  // -0.5 LSB rounds up too
    }

    @Test func floatConversions() {
        for q in Int16.min...Int16.max {
            #expect(Q15.fromFloat(Q15.toFloat(q)) == q)
        }
        #expect(Q15.fromFloat(1) == .max)
        #expect(Q15.fromFloat(-1) == .min)
        #expect(Q15.fromFloat(3) == .max)
        #expect(Q15.fromFloat(-3) == .min)
        #expect(Q15.fromFloat(.infinity) == .max)
        #expect(Q15.fromFloat(-.infinity) == .min)
        #expect(Q15.fromFloat(.nan) == 0)
        #expect(Q15.fromFloat(0x1p-16) == 1)  // ties away from zero
        #expect(Q15.fromFloat(-0x1p-16) == -1)
        #expect(Q15.fromFloat(0x1.fffffep-17) == 0)
        var rng = SplitMix64(seed: 16)
        for _ in 0..<100_000 {
            let x = Float(Int32(truncatingIfNeeded: rng.next())) * 0x1p-30  // in [-2, 2)
            let expected = Self.clamp(Int((Double(x) * 32768).rounded(.toNearestOrAwayFromZero)))
            #expect(Q15.fromFloat(x) == expected, "\(x)")
        }
    }
}
