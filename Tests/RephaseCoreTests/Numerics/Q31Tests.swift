import Testing
import RephaseCore
import RephaseReference

@Suite struct Q31Tests {
    /// 301 values evenly spread over Int32 plus the extremes and small values.
    static let grid: [Int32] = (0...300).map { Int32(truncatingIfNeeded: Int64(Int32.min) + Int64($0) * 14_316_557) }
        + [.min, .min + 1, -2, -1, 0, 1, 2, .max - 1, .max]

    static func clamp(_ x: Int128) -> Int32 { Int32(min(max(x, Int128(Int32.min)), Int128(Int32.max))) }

    static func referenceMul(_ a: Int32, _ b: Int32) -> Int32 {
        clamp((Int128(a) * Int128(b) + (Int128(1) << 30)) >> 31)
    }

    @Test func saturatingNarrowing() {
        for x: Int64 in [.min, -(1 << 40), -(1 << 31) - 1, -(1 << 31), 0, (1 << 31) - 1, 1 << 31, 1 << 40, .max] {
            #expect(Q31.saturating(x) == Self.clamp(Int128(x)), "\(x)")
        }
        var rng = SplitMix64(seed: 30)
        for _ in 0..<10_000 {
            let x = Int64(bitPattern: rng.next()) >> (rng.next() % 40)
            #expect(Q31.saturating(x) == Self.clamp(Int128(x)))
        }
    }

    @Test func addSubMulOnGridPairs() {
        for a in Self.grid {
            for b in Self.grid {
                #expect(Q31.add(a, b) == Self.clamp(Int128(a) + Int128(b)))
                #expect(Q31.sub(a, b) == Self.clamp(Int128(a) - Int128(b)))
                #expect(Q31.mul(a, b) == Self.referenceMul(a, b))
            }
        }
    }

    @Test func addSubMulOnRandomPairs() {
        var rng = SplitMix64(seed: 31)
        for _ in 0..<100_000 {
            let a = rng.nextInt32()
            let b = rng.nextInt32()
            #expect(Q31.add(a, b) == Self.clamp(Int128(a) + Int128(b)))
            #expect(Q31.sub(a, b) == Self.clamp(Int128(a) - Int128(b)))
            #expect(Q31.mul(a, b) == Self.referenceMul(a, b))
        }
    }

    @Test func mulEdgeCases() {
        #expect(Q31.mul(.min, .min) == .max)
        #expect(Q31.mul(.min, .max) == -.max)
        #expect(Q31.mul(1, 1 << 30) == 1)  // 0.5 LSB rounds up
        #expect(Q31.mul(-1, 1 << 30) == 0)
    }

    @Test func floatConversions() {
        #expect(Q31.fromFloat(1) == .max)
        #expect(Q31.fromFloat(-1) == .min)
        #expect(Q31.fromFloat(.infinity) == .max)
        #expect(Q31.fromFloat(-.infinity) == .min)
        #expect(Q31.fromFloat(.nan) == 0)
        #expect(Q31.fromFloat(0x1p-32) == 1)  // ties away from zero
        #expect(Q31.fromFloat(-0x1p-32) == -1)
        #expect(Q31.toFloat(.min) == -1)
        #expect(Q31.toFloat(1 << 30) == 0.5)
        var rng = SplitMix64(seed: 32)
        for _ in 0..<100_000 {
            let x = Float(rng.nextInt32()) * 0x1p-30  // in [-2, 2)
            let expected = Self.clamp(Int128((Double(x) * 0x1p31).rounded(.toNearestOrAwayFromZero)))
            #expect(Q31.fromFloat(x) == expected, "\(x)")
            let q = rng.nextInt32()
            #expect(Q31.toFloat(q) == Float(Double(q) * 0x1p-31))
        }
    }
}
