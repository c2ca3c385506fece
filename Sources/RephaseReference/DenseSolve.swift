/// Float64 dense linear algebra: the O(n^3) "direct solve" the fast solvers are measured
/// against, sharing no code or algorithm with them. Matrices are flat row-major arrays,
/// entry (i, j) at index i * n + j.
public enum DenseSolve {
    /// Solves A x = b by Gaussian elimination with partial (row) pivoting (Golub & Van Loan,
    /// "Matrix Computations", 4th ed., section 3.4). `a` is n x n; A must be nonsingular.
    public static func solve(_ a: [Double], n: Int, _ b: [Double]) -> [Double] {
        precondition(a.count == n * n && b.count == n)
        var m = a, x = b
        for col in 0..<n {
            // Bring the largest entry of the column up: bounds the multipliers by 1.
            var pivotRow = col
            for row in col + 1..<n where abs(m[row * n + col]) > abs(m[pivotRow * n + col]) {
                pivotRow = row
            }
            precondition(m[pivotRow * n + col] != 0, "singular matrix")
            if pivotRow != col {
                for j in 0..<n { m.swapAt(col * n + j, pivotRow * n + j) }
                x.swapAt(col, pivotRow)
            }
            let pivot = m[col * n + col]
            for row in col + 1..<n {
                let factor = m[row * n + col] / pivot
                if factor == 0 { continue }
                for j in col..<n { m[row * n + j] -= factor * m[col * n + j] }
                x[row] -= factor * x[col]
            }
        }
        for row in stride(from: n - 1, through: 0, by: -1) {
            var sum = x[row]
            for j in row + 1..<n { sum -= m[row * n + j] * x[j] }
            x[row] = sum / m[row * n + row]
        }
        return x
    }

    /// The dense n x n matrix with main diagonal `diagonal` (n entries) and both first
    /// off-diagonals equal to `offDiagonal` (n-1 entries).
    public static func symmetricTridiagonal(diagonal: [Double], offDiagonal: [Double]) -> [Double] {
        let n = diagonal.count
        precondition(offDiagonal.count == max(n - 1, 0))
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n { a[i * n + i] = diagonal[i] }
        for i in 0..<max(n - 1, 0) {
            a[i * n + i + 1] = offDiagonal[i]
            a[(i + 1) * n + i] = offDiagonal[i]
        }
        return a
    }

    /// A x for the n x n row-major `a`.
    public static func multiply(_ a: [Double], n: Int, _ x: [Double]) -> [Double] {
        precondition(a.count == n * n && x.count == n)
        return (0..<n).map { i in (0..<n).reduce(0) { $0 + a[i * n + $1] * x[$1] } }
    }
}
