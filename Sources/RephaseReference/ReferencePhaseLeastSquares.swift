import Foundation

/// The per-frame phase least-squares problem of docs/ALGORITHMS.md section 3, solved the slow,
/// obvious way in float64: the complex Hermitian normal equations A u = b written out as the real
/// 2K x 2K system [[Re A, -Im A], [Im A, Re A]] [Re u; Im u] = [Re b; Im b] and handed to
/// DenseSolve. It uses neither the substitution u = e^{j theta} v nor a tridiagonal solver,
/// so it checks the core's fast integrator independently.
public enum ReferencePhaseLeastSquares {
    /// Phases (radians) of the frame, given magnitudes of this and the previous frame, the
    /// previous frame's phases and the time/frequency phase derivatives (radians).
    /// Weights: lambda_k = (a_k a_prev,k)^p + epsilon, g_k = gamma (a_{k+1} a_k)^p on magnitudes
    /// divided by their frame's maximum.
    public static func phases(
        magnitudes: [Double], previousMagnitudes: [Double], previousPhases: [Double],
        timeDerivative: [Double], frequencyDerivative: [Double],
        exponent p: Double, coupling gamma: Double, epsilon: Double
    ) -> [Double] {
        let k = magnitudes.count
        let peak = magnitudes.max()!, previousPeak = previousMagnitudes.max()!
        let a = magnitudes.map { pow($0 / peak, p) }
        let aPrev = previousMagnitudes.map { pow($0 / previousPeak, p) }
        let lambda = (0..<k).map { a[$0] * aPrev[$0] + epsilon }
        let g = (0..<(k - 1)).map { gamma * a[$0] * a[$0 + 1] }

        // A = diag(lambda) + sum_k g_k (e_{k+1} - w_k e_k)(e_{k+1} - w_k e_k)^H, w_k = e^{j fpd_k}.
        let n = 2 * k
        var system = [Double](repeating: 0, count: n * n)
        func add(_ row: Int, _ col: Int, re: Double, im: Double) {
            system[row * n + col] += re
            system[row * n + col + k] -= im
            system[(row + k) * n + col] += im
            system[(row + k) * n + col + k] += re
        }
        for i in 0..<k { add(i, i, re: lambda[i], im: 0) }
        for i in 0..<(k - 1) {
            let wr = cos(frequencyDerivative[i]), wi = sin(frequencyDerivative[i])
            add(i, i, re: g[i], im: 0)
            add(i + 1, i + 1, re: g[i], im: 0)
            add(i + 1, i, re: -g[i] * wr, im: -g[i] * wi)  // -g w
            add(i, i + 1, re: -g[i] * wr, im: g[i] * wi)  // -g conj(w)
        }
        var rhs = [Double](repeating: 0, count: n)
        for i in 0..<k {
            let target = previousPhases[i] + timeDerivative[i]
            rhs[i] = lambda[i] * cos(target)
            rhs[i + k] = lambda[i] * sin(target)
        }
        let u = DenseSolve.solve(system, n: n, rhs)
        return (0..<k).map { atan2(u[$0 + k], u[$0]) }
    }
}
