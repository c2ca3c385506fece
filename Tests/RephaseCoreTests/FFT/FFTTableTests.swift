import Foundation
import Testing
@testable import RephaseCore

/// The generated tables must equal what Tools/gen_fft_tables.py documents, recomputed here in
/// float64; a hand edit or a stale regeneration fails this.
@Suite struct FFTTableTests {
    @Test func quarterSineTablesMatchFloat64() {
        for i in 0...512 {
            let s = sin(2 * Double.pi * Double(i) / 2048)
            #expect(quarterSine[i] == Float(s), "F32 entry \(i)")
            #expect(q15QuarterSine[i] == Int16((32767 * s).rounded()), "Q15 entry \(i)")
        }
    }

    @Test func bitReverseTableReversesFiveBits() {
        for i in 0..<32 {
            var r = 0
            for b in 0..<5 where i & (1 << b) != 0 { r |= 1 << (4 - b) }
            #expect(Int(bitReverse5[i]) == r, "entry \(i)")
        }
    }
}
