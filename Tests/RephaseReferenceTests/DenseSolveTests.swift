import Testing
import RephaseReference

@Suite struct DenseSolveTests {
    @Test func solvesASmallSystemExactly() {
        // [2 1; 1 3] x = [3; 5] has x = [4/5, 7/5].
        let x = DenseSolve.solve([2, 1, 1, 3], n: 2, [3, 5])
        #expect(abs(x[0] - 0.8) < 1e-15 && abs(x[1] - 1.4) < 1e-15)
    }

    @Test func pivotsPastAZeroDiagonal() {
        // Without row exchanges the first pivot would be 0.
        let x = DenseSolve.solve([0, 1, 0, 1, 0, 0, 0, 0, 2], n: 3, [5, 7, 4])
        #expect(x == [7, 5, 2])
    }

    /// Random nonsymmetric matrices with a shifted diagonal (condition number ~10): the
    /// relative residual ||A x - b|| / ||b|| must be at rounding level (measured ~1e-16).
    @Test(arguments: [1, 7, 64, 200]) func randomSystemsHaveTinyResidual(n: Int) {
        var rng = SplitMix64(seed: UInt64(n))
        var a = (0..<n * n).map { _ in rng.uniform(-1, 1) }
        for i in 0..<n { a[i * n + i] += Double(n) }
        let b = (0..<n).map { _ in rng.uniform(-1, 1) }
        let x = DenseSolve.solve(a, n: n, b)
        let r = zip(DenseSolve.multiply(a, n: n, x), b).map { $0 - $1 }
        #expect(norm(r) / norm(b) < 1e-12)
    }

    @Test func buildsTheSymmetricTridiagonalMatrix() {
        let a = DenseSolve.symmetricTridiagonal(diagonal: [1, 2, 3], offDiagonal: [4, 5])
        #expect(a == [1, 4, 0, 4, 2, 5, 0, 5, 3])
    }

    private func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
}
