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
        // The previous row's solution stays in registers; the factor is loaded once per row,
        // with its bounds check.
        let forward = OperationMix(integer: 3, load: 3, store: 2, branch: 1) + Scalar.multiplyAddOperations * 2
        let backward = OperationMix(integer: 4, load: 4, store: 2, branch: 1) + (Scalar.multiplyOperations + Scalar.multiplyAddOperations) * 2
        OperationCounter.record(.solver, (forward + backward) * (K - 1))
        // The right-hand sides through raw pointers within the counts checked above: the
        // bounds checks of their accesses were a third of the substitution's instructions on
        // the M4. (Spans of the factor's rows here made the M4 build copy them to the stack.)
        real.withUnsafeMutableBufferPointer { re in
            imaginary.withUnsafeMutableBufferPointer { im in
                for k in 1..<K {
                    let l = multiplier[k &- 1]
                    re[k] = re[k] - l * re[k &- 1]
                    im[k] = im[k] - l * im[k &- 1]
                }
                re[K &- 1] = re[K &- 1] * reciprocalPivot[K &- 1]
                im[K &- 1] = im[K &- 1] * reciprocalPivot[K &- 1]
                var k = K &- 2
                while k >= 0 {
                    let r = reciprocalPivot[k], l = multiplier[k]
                    re[k] = r * re[k] - l * re[k &+ 1]
                    im[k] = r * im[k] - l * im[k &+ 1]
                    k &-= 1
                }
            }
        }
    }
}
