import RephaseCore
import RephaseReference

/// One frame's linear algebra of the least-squares phase integrator, fast against direct:
/// the system diag(lambda) + L_g (path Laplacian) with a complex right-hand side, solved
/// - by the core's `TridiagonalSolver` in Float32, O(K): `factorPathLaplacian` once, then
///   `solve(real:imaginary:)` for both right-hand sides at once;
/// - by `DenseSolve.solve`, float64 Gaussian elimination with partial pivoting on the dense
///   K x K matrix, called twice (real and imaginary parts: A is real, and its API takes one
///   right-hand side), each call eliminating anew. The dense matrix is built once, untimed.
///   Its elimination skips zero multipliers and pivoting never swaps rows here (A is
///   diagonally dominant), so on this matrix it costs O(K^2) (row scans, copies), not O(K^3).
/// The ratio tests the claim "several orders of magnitude faster than a direct solve".
/// The right-hand sides are copied into the work rows in each core call (solve overwrites
/// them); the dense solve copies its inputs itself.
///
/// The system is seeded and shaped like the integrator's (LeastSquaresPhaseIntegrator):
/// weights w in (0, 1], lambda_k = w_k w'_k + 1e-6, g_k = 500 w_k w_{k+1}.
struct SolverBenchmark {
    let rounds: Int
    let style: TableStyle

    func run(into report: inout BenchmarkReport) {
        let rows = [row(TridiagonalSolver<257>.self, &report), row(TridiagonalSolver<1025>.self, &report)]
        printTable(
            "Per-frame phase solve (factor + real and imaginary RHS): median ns, "
                + "core f32 tridiagonal vs f64 dense Gaussian elimination (DenseSolve x2)",
            header: ["K", "tridiagonal", "dense f64", "dense/tridiagonal"], rows: rows, style: style)
    }

    func row<let K: Int>(_: TridiagonalSolver<K>.Type, _ report: inout BenchmarkReport) -> [String] {
        var random = SplitMix64(seed: 0x50_1DE5 &+ UInt64(K))
        let weight = (0..<K).map { _ in random.uniform(0.001, 1) }
        let previousWeight = (0..<K).map { _ in random.uniform(0.001, 1) }
        let lambda = (0..<K).map { weight[$0] * previousWeight[$0] + 1e-6 }
        let coupling = (0..<(K - 1)).map { 500 * weight[$0] * weight[$0 + 1] }
        let rhsRe = (0..<K).map { _ in random.signed() }, rhsIm = (0..<K).map { _ in random.signed() }

        let core = coreNanoseconds(TridiagonalSolver<K>.self, lambda: lambda, coupling: coupling, rhsRe: rhsRe, rhsIm: rhsIm)
        let dense = denseNanoseconds(lambda: lambda, coupling: coupling, rhsRe: rhsRe, rhsIm: rhsIm)
        report.solver.append(.init(k: K, tridiagonal: core, dense: dense))
        return ["\(K)", format(core), format(dense), formatRatio(dense / core)]
    }

    func coreNanoseconds<let K: Int>(
        _: TridiagonalSolver<K>.Type, lambda: [Double], coupling: [Double], rhsRe: [Double], rhsIm: [Double]
    ) -> Double {
        let lambda = lambda.map(Float.init), coupling = coupling.map(Float.init)
        let rhsRe = rhsRe.map(Float.init), rhsIm = rhsIm.map(Float.init)
        var solver = TridiagonalSolver<K>()
        var re = rhsRe, im = rhsIm
        let body = {
            copy(rhsRe, into: &re)
            copy(rhsIm, into: &im)
            solver.factorPathLaplacian(lambda: lambda.span, coupling: coupling.span)
            var reSpan = re.mutableSpan, imSpan = im.mutableSpan
            solver.solve(real: &reSpan, imaginary: &imSpan)
        }
        return medianNanoseconds(rounds: rounds, calls: callsPerBatch(body), body)
    }

    func denseNanoseconds(lambda: [Double], coupling: [Double], rhsRe: [Double], rhsIm: [Double]) -> Double {
        let k = lambda.count
        // A_kk = lambda_k + g_{k-1} + g_k, A_{k,k+1} = -g_k (the path Laplacian's form).
        let diagonal = (0..<k).map { i in
            lambda[i] + (i > 0 ? coupling[i - 1] : 0) + (i < k - 1 ? coupling[i] : 0)
        }
        let a = DenseSolve.symmetricTridiagonal(diagonal: diagonal, offDiagonal: coupling.map { -$0 })
        let body = {
            blackHole(DenseSolve.solve(a, n: k, rhsRe))
            blackHole(DenseSolve.solve(a, n: k, rhsIm))
        }
        return medianNanoseconds(rounds: rounds, calls: callsPerBatch(body), body)
    }
}
