import Testing
@testable import RephaseCore

/// `imposeMagnitudes` goes four bins at a time; it must give the bits of the one-bin form
/// (a c / |c|, and a with phase 0 where |c| = 0), zero bins and the last odd bins included.
@Suite struct ImposeMagnitudesTests {
    static func plain(_ a: [Float], _ packed: inout [Float]) {
        let k = a.count
        packed[0] = packed[0] < 0 ? -a[0] : a[0]
        packed[1] = packed[1] < 0 ? -a[k - 1] : a[k - 1]
        for i in 1..<(k - 1) {
            let re = packed[2 * i], im = packed[2 * i + 1]
            let norm = (re * re + im * im).squareRoot()
            if norm > 0 {
                packed[2 * i] = re * (a[i] / norm)
                packed[2 * i + 1] = im * (a[i] / norm)
            } else {
                packed[2 * i] = a[i]
                packed[2 * i + 1] = 0
            }
        }
    }

    @Test(arguments: [3, 5, 6, 9, 129, 257])
    func matchesOneBinForm(bins: Int) {
        var state: UInt32 = 7
        func next() -> Float {
            state = state &* 1_664_525 &+ 1_013_904_223
            return Float(Int32(bitPattern: state)) / 2_147_483_648
        }
        let a = (0..<bins).map { _ in abs(next()) }
        // Every fifth bin zero, to take the phase-0 path inside the vector loop too.
        var spectrum = (0..<(2 * (bins - 1))).map { $0 % 10 < 2 && $0 > 1 ? 0 : next() }
        var expected = spectrum
        Self.plain(a, &expected)
        var span = spectrum.mutableSpan
        imposeMagnitudes(a.span, on: &span)
        #expect(spectrum.map(\.bitPattern) == expected.map(\.bitPattern))
    }
}
