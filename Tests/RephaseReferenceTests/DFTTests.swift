import Testing
import Foundation
import RephaseReference

@Test func dftOfImpulseIsFlat() {
    var x = [Double](repeating: 0, count: 16)
    x[0] = 1
    let X = ReferenceDFT.real(x)
    #expect(X.re.count == 9)
    for k in 0..<9 {
        #expect(abs(X.re[k] - 1) < 1e-15)
        #expect(abs(X.im[k]) < 1e-15)
    }
}

@Test func dftOfCosineHasTwoBins() {
    let n = 32
    let x = (0..<n).map { cos(2 * Double.pi * 3 * Double($0) / Double(n)) }
    let X = ReferenceDFT.real(x)
    for k in 0...n / 2 {
        let expected = k == 3 ? Double(n) / 2 : 0
        #expect(abs(X.re[k] - expected) < 1e-12)
        #expect(abs(X.im[k]) < 1e-12)
    }
}

@Test func inverseUndoesForwardUpToN() {
    let n = 64
    let re = (0..<n).map { sin(Double($0) * 0.37) }, im = (0..<n).map { cos(Double($0) * 1.3) }
    let X = ReferenceDFT.complex(re: re, im: im)
    let y = ReferenceDFT.complex(re: X.re, im: X.im, inverse: true)
    for i in 0..<n {
        #expect(abs(y.re[i] / Double(n) - re[i]) < 1e-12)
        #expect(abs(y.im[i] / Double(n) - im[i]) < 1e-12)
    }
}
