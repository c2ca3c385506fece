import Foundation
import Testing
@testable import RephaseCore

/// The generated tables must equal what Tools/gen_numerics_tables.py documents, recomputed here
/// in float64 with the same round-half-up; a hand edit or a stale regeneration fails this.
@Suite struct NumericsTableTests {
    private func roundHalfUp(_ v: Double) -> Int { Int((v + 0.5).rounded(.down)) }

    @Test func sineQuarterTable() {
        for i in 0...256 {
            let v = min(roundHalfUp(2147483648 * sin(Double.pi / 2 * Double(i) / 256)), Int(Int32.max))
            #expect(Int(sineQuarterQ31[i]) == v, "entry \(i)")
        }
    }

    @Test func arctanTable() {
        for i in 0...256 {
            let v = roundHalfUp(4294967296 * atan(Double(i) / 256) / (2 * Double.pi))
            #expect(Int(arctanTurns[i]) == v, "entry \(i)")
        }
    }

    @Test func log2MantissaTable() {
        for i in 0...256 {
            #expect(Int(log2MantissaQ30[i]) == roundHalfUp(1073741824 * log2(1 + Double(i) / 256)), "entry \(i)")
        }
    }

    @Test func exp2FractionTable() {
        for i in 0...256 {
            let v = roundHalfUp(1073741824 * (pow(2.0, Double(i) / 256) - 1))
            #expect(Int(exp2FractionQ30[i]) == v, "entry \(i)")
        }
    }

    @Test func reciprocalSeedTable() {
        for i in 0..<32 {
            let v = roundHalfUp(32768 * 2 / (2 + Double(2 * i + 1) / 32))
            #expect(Int(reciprocalSeedQ15[i]) == v, "entry \(i)")
        }
    }
}
