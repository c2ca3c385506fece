/// The Cholesky factor L (A = L L^T) of a dense symmetric positive definite matrix, in Double,
/// factored once and then used for many right-hand sides (ADMM solves the same K x K system
/// for every frame of every iteration). The mel normal matrices are banded, and a Cholesky
/// factor keeps the profile of its matrix (no fill-in left of each row's first non-zero), so
/// both the factorisation and the solves skip the zeros before `start[i]`.
public struct CholeskyFactor: Sendable {
    public let size: Int
    /// L row-major; entries above the diagonal and left of `start` are 0.
    var lower: [Double]
    /// First non-zero column of each row.
    var start: [Int]

    /// Factors the `size` x `size` row-major matrix `a`; nil when it is not positive definite.
    public init?(_ a: [Double], size n: Int) {
        precondition(a.count == n * n, "CholeskyFactor: need n * n entries")
        size = n
        start = (0..<n).map { i in (0..<i).first { a[i * n + $0] != 0 } ?? i }
        lower = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in start[i]...i {
                var sum = a[i * n + j]
                for k in max(start[i], start[j])..<j { sum -= lower[i * n + k] * lower[j * n + k] }
                if i == j {
                    guard sum > 0 else { return nil }
                    lower[i * n + i] = sum.squareRoot()
                } else {
                    lower[i * n + j] = sum / lower[j * n + j]
                }
            }
        }
    }

    /// Solves A x = b in place (forward then backward substitution).
    public func solve(_ x: inout [Double]) {
        let n = size
        precondition(x.count == n, "CholeskyFactor.solve: need \(n) values")
        for i in 0..<n {
            var sum = x[i]
            for k in start[i]..<i { sum -= lower[i * n + k] * x[k] }
            x[i] = sum / lower[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            x[i] /= lower[i * n + i]
            let xi = x[i]
            for k in start[i]..<i { x[k] -= lower[i * n + k] * xi }
        }
    }
}
