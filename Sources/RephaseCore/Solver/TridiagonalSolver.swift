/// Solves A x = b for a real symmetric positive semidefinite tridiagonal A of size K in O(K)
/// time and O(K) fixed storage, with one factorisation shared by several right-hand sides.
///
/// The phase-retrieval least-squares problem of each STFT frame has the normal matrix
///
///     A = diag(lambda) + L_g,   A_kk = lambda_k + g_{k-1} + g_k,   A_{k,k+1} = A_{k+1,k} = -g_k,
///
/// (g_{-1} = g_{K-1} = 0; L_g is the path Laplacian with edge weights g >= 0, lambda >= 0).
///
/// ## Algorithm: LDL^T, the symmetric Thomas algorithm
/// A = L D L^T with L unit lower bidiagonal (subdiagonal l_k) and D = diag(d) gives
///
///     d_0 = a_0,   l_k = e_k / d_k,   d_{k+1} = a_{k+1} - e_k^2 / d_k,
///
/// after which `solve` does L y = b forwards, then D L^T x = y backwards (the Thomas
/// algorithm in its symmetric form; Golub & Van Loan, "Matrix Computations", 4th ed., section
/// 4.3 on banded and tridiagonal systems). No pivoting is needed: A is symmetric positive
/// semidefinite. Only 1/d and l are stored, so the substitution multiplies and never
/// divides; a factorisation is one division per row.
///
/// ## Pivots without cancellation
/// The pivots are not computed from the recurrence above but from the equivalent one on the
/// excess s_k = d_k - |e_k| over the row's coupling to the right:
///
///     s_k = m_k + |e_{k-1}| s_{k-1} / d_{k-1},   d_k = s_k + |e_k|,
///
/// where m_k = a_k - |e_{k-1}| - |e_k| is the row's diagonal-dominance margin (m = lambda for
/// the path Laplacian). When every m_k >= 0 -- always so for the phase problem -- every term is
/// non-negative, nothing cancels, and each pivot has a small relative error however close A
/// is to singular (the triplet representation of diagonally dominant M-matrices; Alfa, Xue &
/// Ye, Math. Comp. 71 (2002)). The plain recurrence instead subtracts two numbers of size g to
/// get a pivot of size lambda and loses all its digits once lambda < g * 1e-7. For the same
/// reason use ``factorPathLaplacian(lambda:coupling:)`` when you have lambda and g: a Float32
/// diagonal entry of size 1e4 cannot even hold a lambda of 1e-6.
///
/// ## Semidefinite guard
/// A pivot is *dropped* when it is not greater than ``pivotTolerance`` times the matrix scale
/// ||A||_inf (the largest absolute row sum) -- this includes zero, negative and NaN pivots.
/// A dropped pivot gets 1/d_k = 0 and l_k = 0, and the next row is eliminated as if its
/// coupling to row k were cut. Why this is the right thing for a semidefinite A: there, a zero
/// pivot forces the coupling e_k to the next row to vanish too (d_k >= |e_k| above), so
/// setting l_k = 0 changes nothing, and 1/d_k = 0 picks, out of the solutions of a singular
/// system, the one with x_k = 0. Consequences:
/// - an all-zero row k gives x_k = 0 and leaves every other row's solution untouched;
/// - a connected block with lambda = 0 (a silent stretch of bins: a pure path Laplacian, whose
///   null space is the constant vector) has an exactly zero last pivot in the path-Laplacian
///   form; its last component is pinned to 0 and the rest of the block solves its other
///   equations exactly. Phase is only defined up to a constant per block, so this is a valid
///   answer, and when b is consistent (sums to 0 over the block) it solves A x = b exactly;
/// - a nearly singular pivot is either kept, so that dividing by it amplifies by at most
///   1 / (pivotTolerance ||A||_inf) (finite in Float32 for any sane b), or dropped, which
///   changes A by less than pivotTolerance * ||A||_inf;
/// - in the general form, the last pivot of a singular block comes out as rounding noise
///   (~1e-7 ||A||) rather than 0; the guard drops it when negative and keeps it when
///   positive, and then the result is finite but carries a large null-space component. The
///   path-Laplacian form has no such noise.
///
/// ## Arithmetic
/// Written once for any SolverScalar: `TridiagonalSolver<K>` is the Float32 solver (cores with
/// an FPU), `IntegerTridiagonalSolver<K>` the same algorithm in IntegerFloat, integer
/// instructions only (cores without one: Cortex-M0/M3 class). Both are checked against
/// float64 solves (TridiagonalSolverTests).
///
/// Storage: two `InlineArray<K, Scalar>`, no heap, so this compiles as Embedded Swift. Inputs
/// are borrowed as `Span<Scalar>` and right-hand sides are overwritten through
/// `MutableSpan<Scalar>`; get them from an `InlineArray` or `Array` with `.span` and
/// `.mutableSpan`.
public typealias TridiagonalSolver<let K: Int> = LDLTridiagonalSolver<K, Float>
public typealias IntegerTridiagonalSolver<let K: Int> = LDLTridiagonalSolver<K, IntegerFloat>

/// The solver, generic over its arithmetic (see above; use the two aliases).
public struct LDLTridiagonalSolver<let K: Int, Scalar: SolverScalar> {
    /// Pivots at or below this fraction of ||A||_inf are treated as zero; see the type's doc.
    /// Small enough to keep the smallest pivots of the phase problem (d_k >= lambda_k, and
    /// lambda ~ 1e-6 against g ~ 1e4 gives pivots down to ~2e-11 ||A||), large enough that
    /// 1/d stays far from overflow. (SolverScalar.pivotTolerance: 1e-12 in each arithmetic.)
    public static var pivotTolerance: Scalar { Scalar.pivotTolerance }

    /// 1/d_k, or 0 where the pivot was dropped.
    var reciprocalPivot: InlineArray<K, Scalar>
    /// l_k = e_k / d_k, the subdiagonal of L; entry K-1 is always 0.
    var multiplier: InlineArray<K, Scalar>
    /// How many pivots the last factorisation dropped: 0 for a positive definite matrix with
    /// a healthy condition number, the number of singular blocks for the path Laplacian.
    public var droppedPivotCount: Int { K - keptPivotCount }
    /// The pivots kept, stored rather than the dropped ones so that a new solver (every pivot
    /// dropped) is all zero bytes, which an embedded image keeps in .bss, not in flash.
    var keptPivotCount: Int

    /// A solver holding the factorisation of the zero matrix (every pivot dropped), so that
    /// `solve` before any `factor` returns zeros rather than garbage.
    public init() {
        reciprocalPivot = InlineArray(repeating: .zero)
        multiplier = InlineArray(repeating: .zero)
        keptPivotCount = 0
    }

    /// Factors the symmetric tridiagonal matrix with main diagonal `diagonal` (K entries) and
    /// off-diagonal `offDiagonal` (K-1 entries, A_{k,k+1} = A_{k+1,k} = offDiagonal[k]).
    /// Intended for positive semidefinite A; see the type's doc for the guard applied.
    public mutating func factor(diagonal: Span<Scalar>, offDiagonal: Span<Scalar>) {
        precondition(diagonal.count == K && offDiagonal.count == max(K - 1, 0),
                     "diagonal needs K entries and offDiagonal K-1")
        // |e_k| with the convention e_{-1} = e_{K-1} = 0.
        func coupling(_ k: Int) -> Scalar { k >= 0 && k < K - 1 ? offDiagonal[k].magnitude : .zero }

        var scale = Scalar.zero
        for k in 0..<K {
            scale = max(scale, diagonal[k].magnitude + coupling(k - 1) + coupling(k))
        }
        OperationCounter.record(.solver, Self.factorOperations(marginOperations: Scalar.addOperations * 3))
        let threshold = Self.pivotTolerance * scale
        var carried = Scalar.zero
        keptPivotCount = K
        for k in 0..<K {
            eliminate(
                row: k, margin: diagonal[k] - coupling(k - 1) - coupling(k),
                offDiagonal: k < K - 1 ? offDiagonal[k] : .zero,
                carried: &carried, threshold: threshold)
        }
    }

    /// Factors A = diag(lambda) + L_g (see the type's doc) from `lambda` (K entries, >= 0) and
    /// the edge weights `coupling` (K-1 entries, g_k >= 0 couples bins k and k+1). Signs are not
    /// checked. Prefer this to ``factor(diagonal:offDiagonal:)``: lambda enters the pivots
    /// directly instead of as the small difference of large diagonal and off-diagonal entries.
    public mutating func factorPathLaplacian(lambda: Span<Scalar>, coupling: Span<Scalar>) {
        precondition(lambda.count == K && coupling.count == max(K - 1, 0),
                     "lambda needs K entries and coupling K-1")
        func g(_ k: Int) -> Scalar { k >= 0 && k < K - 1 ? coupling[k] : .zero }

        var scale = Scalar.zero
        for k in 0..<K {
            let edges = g(k - 1) + g(k)
            scale = max(scale, lambda[k] + edges + edges)
        }
        OperationCounter.record(.solver, Self.factorOperations(marginOperations: Scalar.addOperations))
        let threshold = Self.pivotTolerance * scale
        var carried = Scalar.zero
        keptPivotCount = K
        for k in 0..<K {
            eliminate(row: k, margin: lambda[k], offDiagonal: -g(k),
                      carried: &carried, threshold: threshold)
        }
    }

    /// What a factorisation executes, for the simulator (OperationCounter): per row, the scale
    /// pass (two loads, the row sum and a max) and the elimination (one division, three
    /// products, two stores, and the bounds checks of its accesses: 37 instructions a row in
    /// Float32 on the M4, measured by Targets/cortex-m4/profile-stages), plus
    /// `marginOperations` to form the row's margin and coupling.
    static func factorOperations(marginOperations: OperationMix) -> OperationMix {
        let scale = OperationMix(integer: 4, load: 2, branch: 1) + Scalar.addOperations * 4 + Scalar.multiplyOperations
        let eliminate = OperationMix(integer: 11, load: 2, store: 2, branch: 1) + Scalar.addOperations * 4
            + Scalar.multiplyOperations * 3 + Scalar.reciprocalOperations
        return (scale + eliminate + marginOperations) * K
    }

    /// One step of the excess recurrence (type doc): forms the pivot d_k of row k from its
    /// margin m_k and `carried` = |e_{k-1}| s_{k-1} / d_{k-1}, stores 1/d_k and l_k, and
    /// replaces `carried` with the share of row k passed on to row k+1.
    @inline(__always)
    private mutating func eliminate(
        row k: Int, margin: Scalar, offDiagonal e: Scalar, carried: inout Scalar, threshold: Scalar
    ) {
        let c = e.magnitude
        let excess = margin + carried
        let pivot = excess + c
        if pivot > threshold {
            let r = pivot.reciprocal
            reciprocalPivot[k] = r
            multiplier[k] = e * r
            carried = c * (excess * r)
        } else {
            // Dropped (also catches NaN): x_k = 0, and row k+1 keeps its full diagonal.
            reciprocalPivot[k] = .zero
            multiplier[k] = .zero
            carried = c
            keptPivotCount -= 1
        }
    }
}
