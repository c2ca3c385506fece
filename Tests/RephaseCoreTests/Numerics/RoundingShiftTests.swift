import Testing
import RephaseCore
import RephaseReference

@Suite struct RoundingShiftTests {
    @Test func int32MatchesWideReference() {
        var rng = SplitMix64(seed: 1)
        for s in 1...31 {
            var inputs: [Int32] = [.min, .min + 1, -1, 0, 1, .max - 1, .max]
            let half = Int32(truncatingIfNeeded: Int64(1) << (s - 1))
            inputs += [half, half &- 1, 0 &- half, 1 &- half, half &* 3, 0 &- half &* 3]
            for _ in 0..<2000 { inputs.append(rng.nextInt32()) }
            for x in inputs {
                let expected = Int32((Int64(x) + (Int64(1) << (s - 1))) >> s)
                #expect(roundingShiftRight(x, by: s) == expected, "x \(x) s \(s)")
            }
        }
        #expect(roundingShiftRight(Int32(-5), by: 0) == -5)
    }

    @Test func int64MatchesWideReference() {
        var rng = SplitMix64(seed: 2)
        for s in 1...63 {
            var inputs: [Int64] = [.min, .min + 1, -1, 0, 1, .max - 1, .max]
            let half = Int64(truncatingIfNeeded: Int128(1) << (s - 1))
            inputs += [half, half &- 1, 0 &- half, 1 &- half]
            for _ in 0..<1000 { inputs.append(Int64(bitPattern: rng.next())) }
            for x in inputs {
                let expected = Int64((Int128(x) + (Int128(1) << (s - 1))) >> s)
                #expect(roundingShiftRight(x, by: s) == expected, "x \(x) s \(s)")
            }
        }
        #expect(roundingShiftRight(Int64.min, by: 0) == .min)
    }

    @Test func tiesRoundTowardPlusInfinity() {
        #expect(roundingShiftRight(Int32(3), by: 1) == 2)  // 1.5 -> 2
        #expect(roundingShiftRight(Int32(-3), by: 1) == -1)  // -1.5 -> -1
        #expect(roundingShiftRight(Int64(-1), by: 1) == 0)  // -0.5 -> 0
    }
}
