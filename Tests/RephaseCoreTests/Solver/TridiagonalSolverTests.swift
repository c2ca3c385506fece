import Foundation
import Testing
import RephaseCore
import RephaseReference


/// A symmetric tridiagonal system in the general form, in float64 (entries are the exact
/// values of the Float32 inputs the solver sees, so residuals are of the system it solved).
private struct Tridiagonal {
    var diagonal: [Double], offDiagonal: [Double]
    var n: Int { diagonal.count }

    /// diag(lambda) + path Laplacian with weights g, as in the solver's doc.
    init(lambda: [Float], g: [Float]) {
        diagonal = lambda.indices.map { k in
            Double(lambda[k]) + (k > 0 ? Double(g[k - 1]) : 0) + (k < g.count ? Double(g[k]) : 0)
        }
        offDiagonal = g.map { -Double($0) }
    }
    init(diagonal: [Float], offDiagonal: [Float]) {
        self.diagonal = diagonal.map(Double.init)
        self.offDiagonal = offDiagonal.map(Double.init)
    }

    /// The principal submatrix on rows and columns `range`.
    func block(_ range: Range<Int>) -> Tridiagonal {
        var sub = self
        sub.diagonal = Array(diagonal[range])
        sub.offDiagonal = Array(offDiagonal[range.dropLast()])
        return sub
    }

    func times(_ x: [Double]) -> [Double] {
        (0..<n).map { k in
            diagonal[k] * x[k] + (k > 0 ? offDiagonal[k - 1] * x[k - 1] : 0)
                + (k < n - 1 ? offDiagonal[k] * x[k + 1] : 0)
        }
    }

    /// Float64 Gaussian elimination with partial pivoting on the band (LAPACK dgtsv's
    /// algorithm): O(n), independent of the solver's LDL^T, for sizes where the dense
    /// O(n^3) reference is too slow in a debug build.
    func bandedSolve(_ rhs: [Double]) -> [Double] {
        var sub = offDiagonal, d = diagonal, sup = offDiagonal, b = rhs
        var sup2 = [Double](repeating: 0, count: n)
        for i in 0..<n - 1 {
            if abs(d[i]) >= abs(sub[i]) {
                let f = sub[i] / d[i]
                d[i + 1] -= f * sup[i]
                b[i + 1] -= f * b[i]
            } else {  // swap rows i and i+1, then eliminate
                let f = d[i] / sub[i], oldD = d[i + 1], oldB = b[i]
                d[i] = sub[i]
                d[i + 1] = sup[i] - f * oldD
                if i < n - 2 {
                    sup2[i] = sup[i + 1]
                    sup[i + 1] = -f * sup[i + 1]
                }
                sup[i] = oldD
                b[i] = b[i + 1]
                b[i + 1] = oldB - f * b[i + 1]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            let right = (i < n - 1 ? sup[i] * x[i + 1] : 0) + (i < n - 2 ? sup2[i] * x[i + 2] : 0)
            x[i] = (b[i] - right) / d[i]
        }
        return x
    }

    func denseSolve(_ rhs: [Double]) -> [Double] {
        let a = DenseSolve.symmetricTridiagonal(diagonal: diagonal, offDiagonal: offDiagonal)
        return DenseSolve.solve(a, n: n, rhs)
    }
}

private func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
private func relativeError(_ x: [Float], _ reference: [Double]) -> Double {
    norm(zip(x, reference).map { Double($0) - $1 }) / norm(reference)
}
private func relativeResidual(_ a: Tridiagonal, _ x: [Float], _ b: [Float]) -> Double {
    let bd = b.map(Double.init)
    return norm(zip(a.times(x.map(Double.init)), bd).map { $0 - $1 }) / norm(bd)
}
/// Normwise backward error ||A x - b|| / (||A|| ||x|| + ||b||) (Rigal & Gaches 1967; Higham,
/// "Accuracy and Stability of Numerical Algorithms", thm. 7.1), 2-norms with ||A|| bounded by
/// ||A||_inf: the smallest relative change of A and b that x solves exactly. Unlike the
/// residual relative to ||b|| it is O(eps) for any backward-stable Float32 solve however
/// ill-conditioned A is -- when ||A|| ||x|| >> ||b||, merely rounding the exact solution to
/// Float32 already gives a residual larger than ||b||.
private func backwardError(_ a: Tridiagonal, _ x: [Float], _ b: [Float]) -> Double {
    let xd = x.map(Double.init), bd = b.map(Double.init)
    let normA = (0..<a.n).map { k in
        abs(a.diagonal[k]) + (k > 0 ? abs(a.offDiagonal[k - 1]) : 0) + (k < a.n - 1 ? abs(a.offDiagonal[k]) : 0)
    }.max()!
    return norm(zip(a.times(xd), bd).map { $0 - $1 }) / (normA * norm(xd) + norm(bd))
}

private func pathSolver<let K: Int>(lambda: [Float], g: [Float]) -> TridiagonalSolver<K> {
    var solver = TridiagonalSolver<K>()
    solver.factorPathLaplacian(lambda: lambda.span, coupling: g.span)
    return solver
}
private func generalSolver<let K: Int>(diagonal: [Float], offDiagonal: [Float]) -> TridiagonalSolver<K> {
    var solver = TridiagonalSolver<K>()
    solver.factor(diagonal: diagonal.span, offDiagonal: offDiagonal.span)
    return solver
}
private func solve<let K: Int>(_ solver: borrowing TridiagonalSolver<K>, _ b: [Float]) -> [Float] {
    var x = b
    var span = x.mutableSpan
    solver.solve(&span)
    return x
}

@Suite struct TridiagonalSolverTests {
    /// The phase problem's well-conditioned case, lambda ~ U(0.1, 1), g ~ U(0, 500), K = 257,
    /// against the dense float64 solve. Measured relative errors: path form <= 3.0e-7 (bound
    /// 1e-6), general form <= 1.8e-6 (bound 1e-5; it loses digits forming the margins
    /// a_k - |e_{k-1}| - |e_k| ~ 0.1 from entries ~ 1000).
    @Test(arguments: [1, 2, 3] as [UInt64]) func wellConditionedMatchesDenseSolve(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let lambda = rng.floats(257, 0.1, 1), g = rng.floats(256, 0, 500)
        let b = rng.floats(257, -1, 1)
        let a = Tridiagonal(lambda: lambda, g: g)
        let reference = a.denseSolve(b.map(Double.init))

        let solver: TridiagonalSolver<257> = pathSolver(lambda: lambda, g: g)
        #expect(solver.droppedPivotCount == 0)
        #expect(relativeError(solve(solver, b), reference) < 1e-6)

        // The general form of the same matrix: its Float32 diagonal rounds lambda + 2g, so
        // compare with the float64 solve of exactly that rounded matrix.
        let diagonal = a.diagonal.map { Float($0) }, offDiagonal = g.map { -$0 }
        let general: TridiagonalSolver<257> = generalSolver(diagonal: diagonal, offDiagonal: offDiagonal)
        let roundedReference = Tridiagonal(diagonal: diagonal, offDiagonal: offDiagonal)
            .denseSolve(b.map(Double.init))
        #expect(relativeError(solve(general, b), roundedReference) < 1e-5)
    }

    /// K = 1025 against the banded float64 reference (the dense one takes too long in debug);
    /// the banded reference itself is checked against the dense one below. Measured 2.4e-7.
    @Test func wellConditionedAtLargestSize() {
        var rng = SplitMix64(seed: 1025)
        let lambda = rng.floats(1025, 0.1, 1), g = rng.floats(1024, 0, 500)
        let b = rng.floats(1025, -1, 1)
        let reference = Tridiagonal(lambda: lambda, g: g).bandedSolve(b.map(Double.init))
        let solver: TridiagonalSolver<1025> = pathSolver(lambda: lambda, g: g)
        #expect(relativeError(solve(solver, b), reference) < 1e-6)
    }

    @Test func bandedReferenceAgreesWithDenseSolve() {
        var rng = SplitMix64(seed: 7)
        // Indefinite and not diagonally dominant, so the banded solve has to exchange rows.
        let a = Tridiagonal(diagonal: rng.floats(100, -1, 1), offDiagonal: rng.floats(99, -1, 1))
        let b = (0..<100).map { _ in rng.uniform(-1, 1) }
        let banded = a.bandedSolve(b), dense = a.denseSolve(b)
        #expect(norm(zip(banded, dense).map { $0 - $1 }) / norm(dense) < 1e-10)
    }

    /// An SPD matrix that is not diagonally dominant (negative margins), built as L D L^T
    /// with d ~ U(0.5, 2) and |l| < 0.9, in the general form. Measured error 1.0e-7.
    @Test func generalFormSolvesNonDominantPositiveDefinite() {
        var rng = SplitMix64(seed: 11)
        let d = (0..<257).map { _ in rng.uniform(0.5, 2) }, l = (0..<256).map { _ in rng.uniform(-0.9, 0.9) }
        let diagonal: [Float] = (0..<257).map { k in
            let fromAbove: Double = k > 0 ? l[k - 1] * l[k - 1] * d[k - 1] : 0
            return Float(d[k] + fromAbove)
        }
        let offDiagonal = (0..<256).map { k in Float(l[k] * d[k]) }
        let b = rng.floats(257, -1, 1)
        let reference = Tridiagonal(diagonal: diagonal, offDiagonal: offDiagonal).denseSolve(b.map(Double.init))
        let solver: TridiagonalSolver<257> = generalSolver(diagonal: diagonal, offDiagonal: offDiagonal)
        #expect(solver.droppedPivotCount == 0)
        #expect(relativeError(solve(solver, b), reference) < 1e-6)
    }

    /// lambda = 10^U(-6, -5), g ~ U(0, 1e4) at K = 1025: condition number ~1e9-1e10. Here
    /// ||A|| ||x|| / ||b|| ~ 1e8, so no Float32 vector has a small residual relative to ||b||:
    /// the float64 solution rounded to Float32 has 0.4-5.7 (measured). What is asserted:
    /// - the backward error (see `backwardError`) is at rounding level: measured <= 1.1e-8,
    ///   bound 1e-7;
    /// - the residual is no worse than twice that of the rounded float64 solution (measured
    ///   ratio <= 1.32);
    /// - thanks to the cancellation-free pivots even the forward error against the float64
    ///   banded solve is small: measured <= 1.7e-6, bound 1e-5.
    @Test(arguments: [21, 22, 23] as [UInt64]) func illConditionedIsBackwardStable(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let lambda = rng.logFloats(1025, decades: -6, -5), g = rng.floats(1024, 0, 1e4)
        let b = rng.floats(1025, -1, 1)
        let a = Tridiagonal(lambda: lambda, g: g)
        let solver: TridiagonalSolver<1025> = pathSolver(lambda: lambda, g: g)
        let x = solve(solver, b)
        let reference = a.bandedSolve(b.map(Double.init))
        #expect(solver.droppedPivotCount == 0)
        #expect(backwardError(a, x, b) < 1e-7)
        #expect(relativeResidual(a, x, b) < 2 * relativeResidual(a, reference.map { Float($0) }, b))
        #expect(relativeError(x, reference) < 1e-5)
    }

    /// One factorisation, two right-hand sides: identical, bit for bit, to two separate solves.
    @Test func realAndImaginaryPartsShareOneFactorisation() {
        var rng = SplitMix64(seed: 5)
        let solver: TridiagonalSolver<257> = pathSolver(lambda: rng.floats(257, 0.1, 1), g: rng.floats(256, 0, 500))
        let re = rng.floats(257, -1, 1), im = rng.floats(257, -1, 1)
        var bothRe = re, bothIm = im
        do {
            var r = bothRe.mutableSpan, i = bothIm.mutableSpan
            solver.solve(real: &r, imaginary: &i)
        }
        #expect(bothRe == solve(solver, re))
        #expect(bothIm == solve(solver, im))
    }

    // MARK: Semidefinite input

    @Test func zeroMatrixGivesZeroSolution() {
        let zeros = [Float](repeating: 0, count: 64)
        var rng = SplitMix64(seed: 3)
        let b = rng.floats(64, -1, 1)
        let path: TridiagonalSolver<64> = pathSolver(lambda: zeros, g: Array(zeros.dropLast()))
        let general: TridiagonalSolver<64> = generalSolver(diagonal: zeros, offDiagonal: Array(zeros.dropLast()))
        #expect(path.droppedPivotCount == 64 && general.droppedPivotCount == 64)
        #expect(solve(path, b).allSatisfy { $0 == 0 })
        #expect(solve(general, b).allSatisfy { $0 == 0 })
        // A fresh solver holds the zero matrix too.
        #expect(solve(TridiagonalSolver<64>(), b).allSatisfy { $0 == 0 })
    }

    /// lambda = 0 everywhere: a pure path Laplacian, singular with the constants as null
    /// space. The path form drops exactly the last pivot, pins x[K-1] = 0, and for a
    /// consistent b (summing to 0) solves the system: backward error measured 1.1e-8, bound
    /// 1e-7 (the residual relative to ||b|| is 1.8e-4, see `backwardError` for why). The general
    /// form only has to stay finite: its last pivot is rounding noise.
    @Test func pureLaplacianStaysFinite() {
        var rng = SplitMix64(seed: 9)
        let lambda = [Float](repeating: 0, count: 257), g = rng.floats(256, 1, 500)
        var b = rng.floats(257, -1, 1)
        let mean = b.reduce(0, +) / Float(b.count)
        b = b.map { $0 - mean }  // now sums to 0 up to rounding
        let a = Tridiagonal(lambda: lambda, g: g)

        let path: TridiagonalSolver<257> = pathSolver(lambda: lambda, g: g)
        let x = solve(path, b)
        #expect(path.droppedPivotCount == 1)
        #expect(x.allSatisfy { $0.isFinite } && x[256] == 0)
        #expect(backwardError(a, x, b) < 1e-7)

        let general: TridiagonalSolver<257> = generalSolver(
            diagonal: a.diagonal.map { Float($0) }, offDiagonal: g.map { -$0 })
        #expect(solve(general, b).allSatisfy { $0.isFinite })
        // Same with an inconsistent right-hand side, which has no solution at all.
        #expect(solve(path, rng.floats(257, -1, 1)).allSatisfy { $0.isFinite })
        #expect(solve(general, rng.floats(257, -1, 1)).allSatisfy { $0.isFinite })
    }

    /// Rows 100..<120 are all zero (lambda = 0, and no coupling into or inside the block):
    /// they give x = 0, and the two well-posed outer parts are solved as accurately as if
    /// they stood alone.
    @Test func zeroBlockInTheMiddleLeavesTheRestIntact() {
        var rng = SplitMix64(seed: 13)
        var lambda = rng.floats(257, 0.1, 1), g = rng.floats(256, 0, 500)
        for k in 100..<120 { lambda[k] = 0 }
        for k in 99..<120 { g[k] = 0 }
        let b = rng.floats(257, -1, 1)
        let a = Tridiagonal(lambda: lambda, g: g)

        let diagonal = a.diagonal.map { Float($0) }, offDiagonal = g.map { -$0 }
        let path: TridiagonalSolver<257> = pathSolver(lambda: lambda, g: g)
        let general: TridiagonalSolver<257> = generalSolver(diagonal: diagonal, offDiagonal: offDiagonal)
        // Each form against its own matrix (the general one has a rounded diagonal), with the
        // two outer blocks solved on their own in float64 and zeros between. Measured
        // errors 2.1e-7 (path) and 1.4e-6 (general, as in the well-conditioned test).
        let cases = [
            (path, a, 1e-6, "path"),
            (general, Tridiagonal(diagonal: diagonal, offDiagonal: offDiagonal), 1e-5, "general"),
        ]
        for (solver, matrix, bound, name) in cases {
            func blockSolve(_ range: Range<Int>) -> [Double] {
                matrix.block(range).denseSolve(b[range].map(Double.init))
            }
            let reference = blockSolve(0..<100) + [Double](repeating: 0, count: 20) + blockSolve(120..<257)
            let x = solve(solver, b)
            #expect(solver.droppedPivotCount == 20, "\(name)")
            #expect(x[100..<120].allSatisfy { $0 == 0 }, "\(name)")
            #expect(relativeError(x, reference) < bound, "\(name)")
        }
    }

    /// A silent stretch still coupled inside (lambda = 0 on 100..<120, g > 0 there but 0 at
    /// its edges): a singular block. Only its last pivot is dropped; everything stays finite,
    /// the block's other equations hold, and the outer parts are untouched.
    @Test func singularBlockInTheMiddleIsPinned() {
        var rng = SplitMix64(seed: 17)
        var lambda = rng.floats(257, 0.1, 1), g = rng.floats(256, 0, 500)
        for k in 100..<120 { lambda[k] = 0 }
        g[99] = 0
        g[119] = 0
        let b = rng.floats(257, -1, 1)
        let a = Tridiagonal(lambda: lambda, g: g)

        let solver: TridiagonalSolver<257> = pathSolver(lambda: lambda, g: g)
        let x = solve(solver, b)
        #expect(solver.droppedPivotCount == 1)
        #expect(x.allSatisfy { $0.isFinite } && x[119] == 0)
        let residual = zip(a.times(x.map(Double.init)), b).map { $0 - Double($1) }
        // Every equation but the block's last (whose pivot was dropped) is satisfied.
        let others = residual.indices.filter { $0 != 119 }.map { residual[$0] }
        #expect(norm(others) / norm(b.map(Double.init)) < 5e-5)  // measured 5.9e-6
    }
}

/// The integer-only solver (IntegerFloat arithmetic, for cores without an FPU) on the phase
/// problem's matrices, against float64: the same algorithm as the Float32 solver with 31-bit
/// mantissas, so at least as accurate.
@Suite struct IntegerTridiagonalSolverTests {
    static func value(_ x: IntegerFloat) -> Double { Double(x.mantissa) * pow(2, Double(x.exponent)) }

    /// Random Floats of both signs over 2^-30 ... 2^30.
    static func randomFloats(_ count: Int, seed: UInt64) -> [Float] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            let m = Float(Double(rng.next() % 1_000_000) / 1e6 + 0.001)
            let sign: Float = rng.next() % 2 == 0 ? 1 : -1
            return sign * m * Float(sign: .plus, exponent: Int(rng.next() % 60) - 30, significand: 1)
        }
    }

    /// IntegerFloat's own operations against Double: each result within half a unit in the
    /// 31st bit (relative 2^-30), the reciprocal within FixedReciprocal's 6.1e-8.
    @Test func arithmeticRoundsTo31Bits() {
        let values = Self.randomFloats(40_000, seed: 11)
        var worstSum = 0.0, worstProduct = 0.0, worstReciprocal = 0.0, orderErrors = 0, unnormalised = 0
        for i in stride(from: 0, to: values.count, by: 2) {
            let a = values[i], b = values[i + 1]
            let x = IntegerFloat(a), y = IntegerFloat(b)
            let sum = Double(a) + Double(b), product = Double(a) * Double(b)
            worstSum = max(worstSum, abs(Self.value(x + y) - sum) / max(abs(Double(a)), abs(Double(b))))
            worstProduct = max(worstProduct, abs(Self.value(x * y) - product) / abs(product))
            worstReciprocal = max(worstReciprocal, abs(Self.value(x.reciprocal) * Double(a) - 1))
            if (x < y) != (a < b) { orderErrors += 1 }
            let m = x.mantissa.magnitude
            if m < 1 << 30 || m >= 1 << 31 || Self.value(x) != Double(a) { unnormalised += 1 }
        }
        #expect(worstSum <= 0x1p-30, "sum \(worstSum)")
        #expect(worstProduct <= 0x1p-30, "product \(worstProduct)")
        #expect(worstReciprocal <= 6.2e-8, "reciprocal \(worstReciprocal)")
        #expect(orderErrors == 0 && unnormalised == 0)
    }

    /// lambda in [1e-6, 1] (a third of them 1e5 times smaller, floored at 1e-6) and g in [0, 10],
    /// like the integrator's weights: relative error against a float64 banded solve, both
    /// right-hand sides; and no worse than the Float32 solver on the same system. Measured:
    /// 1.2e-8 to 3.1e-8 (Float32: 5.6e-8 to 9.2e-8).
    @Test(arguments: [UInt64(1), 2, 3])
    func matchesFloat64OnPhaseProblems(seed: UInt64) {
        let u = Self.randomFloats(4 * 257, seed: seed).map { abs($0) / (1 + abs($0)) }  // in (0, 1)
        let lambda = (0..<257).map { max(u[$0] * ($0 % 3 == 0 ? 1e-5 : 1), 1e-6) }
        let g = (0..<256).map { 10 * u[257 + $0] * u[514 + $0] }
        let re = (0..<257).map { u[771 + $0] - 0.5 }, im = (0..<257).map { 0.5 - u[$0] }
        let lambdaFixed = lambda.map(IntegerFloat.init), gFixed = g.map(IntegerFloat.init)
        var solver = IntegerTridiagonalSolver<257>()
        solver.factorPathLaplacian(lambda: lambdaFixed.span, coupling: gFixed.span)
        var x = re.map(IntegerFloat.init)
        var y = im.map(IntegerFloat.init)
        do {
            var xs = x.mutableSpan
            var ys = y.mutableSpan
            solver.solve(real: &xs, imaginary: &ys)
        }
        let a = Tridiagonal(lambda: lambda, g: g)
        let errorRe = relativeError(x.map(\.floatValue), a.bandedSolve(re.map(Double.init)))
        let errorIm = relativeError(y.map(\.floatValue), a.bandedSolve(im.map(Double.init)))
        var float = TridiagonalSolver<257>()
        float.factorPathLaplacian(lambda: lambda.span, coupling: g.span)
        var fx = re
        do {
            var span = fx.mutableSpan
            float.solve(&span)
        }
        let floatError = relativeError(fx, a.bandedSolve(re.map(Double.init)))
        #expect(errorRe <= 1e-7 && errorIm <= 1e-7, "\(errorRe), \(errorIm)")
        #expect(errorRe <= floatError, "integer \(errorRe), Float32 \(floatError)")
    }
}
