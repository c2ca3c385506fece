extension LDLTridiagonalSolver {
    /// Overwrites `rhs` (K entries) with the solution x of A x = rhs for the matrix last
    /// factored: L y = b forwards, then x = D^-1 y - L^T x backwards. 4K operations.
    public func solve(_ rhs: inout MutableSpan<Scalar>) {
        precondition(rhs.count == K, "the right-hand side needs K entries")
        guard K > 0 else { return }
        let forward = OperationMix(integer: 1, load: 2, store: 1, branch: 1) + Scalar.multiplyAddOperations
        let backward = OperationMix(integer: 1, load: 3, store: 1, branch: 1) + Scalar.multiplyOperations + Scalar.multiplyAddOperations
        OperationCounter.record(.solver, (forward + backward) * (K - 1))
        for k in 1..<K {
            rhs[k] = rhs[k] - multiplier[k - 1] * rhs[k - 1]
        }
        rhs[K - 1] = rhs[K - 1] * reciprocalPivot[K - 1]
        for k in stride(from: K - 2, through: 0, by: -1) {
            rhs[k] = reciprocalPivot[k] * rhs[k] - multiplier[k] * rhs[k + 1]
        }
    }

    /// Solves for two right-hand sides at once -- the real and imaginary parts of a complex
    /// b, since A is real -- sharing each load of the factor. Same result as two `solve(_:)`.
    public func solve(real: inout MutableSpan<Scalar>, imaginary: inout MutableSpan<Scalar>) {
        precondition(real.count == K && imaginary.count == K,
                     "each right-hand side needs K entries")
        guard K > 0 else { return }
        // The previous row's solution stays in registers; the factor is loaded once per row;
        // each access checks its bounds (38 instructions a row in Float32 on the M4, measured
        // by Targets/cortex-m4/profile-stages).
        let forward = OperationMix(integer: 7, load: 3, store: 2, branch: 1) + Scalar.multiplyAddOperations * 2
        let backward = OperationMix(integer: 7, load: 4, store: 2, branch: 1) + (Scalar.multiplyOperations + Scalar.multiplyAddOperations) * 2
        OperationCounter.record(.solver, (forward + backward) * (K - 1))
        for k in 1..<K {
            let l = multiplier[k - 1]
            real[k] = real[k] - l * real[k - 1]
            imaginary[k] = imaginary[k] - l * imaginary[k - 1]
        }
        real[K - 1] = real[K - 1] * reciprocalPivot[K - 1]
        imaginary[K - 1] = imaginary[K - 1] * reciprocalPivot[K - 1]
        for k in stride(from: K - 2, through: 0, by: -1) {
            let r = reciprocalPivot[k], l = multiplier[k]
            real[k] = r * real[k] - l * real[k + 1]
            imaginary[k] = r * imaginary[k] - l * imaginary[k + 1]
        }
    }
}
