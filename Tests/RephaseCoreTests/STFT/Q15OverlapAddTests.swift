import Testing
@testable import RephaseCore
import RephaseReference

/// The Q15 synthesis' overlap-add kernel against its definition (Q15STFTSynthesis
/// overlapAddPlain), bit for bit, over every shift a frame can bring (left shifts included,
/// and right shifts past the products' 31 bits), with extreme samples, a window of the full
/// Int16 range, and accumulators near both saturation limits.
@Suite struct Q15OverlapAddTests {
    @Test(arguments: Array(-45...6))
    func optimisedMatchesDefinition(shift: Int) {
        var rng = SplitMix64(seed: UInt64(shift + 100))
        let n = 512, h = 128
        func sample(_ i: Int) -> Int16 { i % 13 == 0 ? .min : i % 17 == 0 ? .max : rng.nextInt16() }
        let frame = (0..<n).map(sample)
        let window = (0..<n).map { i in i % 11 == 0 ? Int16.max : Int16(truncatingIfNeeded: rng.nextUInt32() & 0x7FFF) }
        func sum(_ i: Int) -> Int32 {
            if i % 7 == 0 { return Int32.max - Int32(i) }
            if i % 5 == 0 { return Int32.min + Int32(i) }
            return rng.nextInt32()
        }
        let accumulator = (0..<n).map(sum)
        var fastSums = accumulator, plainSums = accumulator
        var fastOut = [Int16](repeating: 0, count: h), plainOut = fastOut
        var fs = fastSums.mutableSpan, ps = plainSums.mutableSpan, fo = fastOut.mutableSpan, po = plainOut.mutableSpan
        Q15STFTSynthesis<512, 128>.overlapAdd(frame: frame.span, window: window.span, shift: shift, accumulator: &fs, output: &fo)
        Q15STFTSynthesis<512, 128>.overlapAddPlain(frame: frame.span, window: window.span, shift: shift, accumulator: &ps, output: &po)
        #expect(fastSums == plainSums && fastOut == plainOut, "shift \(shift)")
    }
}
