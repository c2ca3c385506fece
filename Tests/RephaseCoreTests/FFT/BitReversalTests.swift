import Testing
@testable import RephaseCore

/// The pair-visiting permutation must put every point where the definition says: point i at
/// the reversal of i's `bits` bits, for every size the FFTs take (2 ... 2048 points).
@Suite struct BitReversalTests {
    @Test(arguments: 1...11) func permutationMovesEveryPointToItsReversedIndex(bits: Int) {
        let n = 1 << bits
        var points = (0..<2 * n).map { Int32($0) }
        points.withUnsafeMutableBufferPointer { bitReversePermute($0.baseAddress!, n: n, bits: bits) }
        for i in 0..<n {
            var reversed = 0
            for b in 0..<bits where i & (1 << b) != 0 { reversed |= 1 << (bits - 1 - b) }
            #expect(points[2 * reversed] == Int32(2 * i) && points[2 * reversed + 1] == Int32(2 * i + 1), "n \(n), point \(i)")
        }
    }
}
