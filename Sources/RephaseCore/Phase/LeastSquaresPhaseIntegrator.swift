/// Phases of one frame from phase-derivative estimates, by least squares (docs/ALGORITHMS.md
/// section 3): over unit phasors u in C^K,
///   minimise  sum_k lambda_k |u_k - u_prev,k e^{j tpd_k}|^2 + sum_{k<K-1} g_k |u_{k+1} - e^{j fpd_k} u_k|^2
/// with lambda_k = (a_k a_prev,k)^p + epsilon and g_k = gamma (a_{k+1} a_k)^p on magnitudes
/// normalised by their frame's maximum (so the weights do not depend on the signal level).
///
/// Linear time through the substitution u_k = e^{j theta_k} v_k, theta_0 = 0,
/// theta_{k+1} = theta_k + fpd_k: the coupling terms become |v_{k+1} - v_k|^2, so the normal
/// matrix is the REAL symmetric tridiagonal diag(lambda) + (path Laplacian weighted by g), and
/// one LDL^T factorisation (TridiagonalSolver) serves the real and imaginary right-hand sides
///   b_k = lambda_k e^{-j theta_k} u_prev,k e^{j tpd_k}.
/// The result u_k = e^{j theta_k} v_k is scaled to unit length. theta is accumulated as a
/// BinaryAngle, so the running sum over K bins adds no rounding (no drift).
/// First frame (or after a silent one): no previous phase to follow, so u = e^{j theta}, the
/// frequency-direction integral alone.
///
/// State: previous phasors, the previous frame's weights a^p, scratch rows and the solver's
/// factor: 10K Floats.
public struct LeastSquaresPhaseIntegrator<let K: Int> {
    /// Exponent p of the weights.
    public var exponent: Float
    /// Weight gamma of the frequency-direction terms against the time-direction ones.
    public var coupling: Float
    /// Floor epsilon added to lambda so silent frames stay well posed.
    public var epsilon: Float

    var solver = TridiagonalSolver<K>()
    var previousRe: InlineArray<K, Float>
    var previousIm: InlineArray<K, Float>
    /// (a_prev / max a_prev)^p of the previous frame.
    var previousWeight: InlineArray<K, Float>
    var hasPrevious = false
    // Scratch rows, kept here so `integrate` needs no caller-provided buffers.
    var weight: InlineArray<K, Float>
    /// lambda_k; before the right-hand sides, theta_k's binary angle (its bits as a Float's: a
    /// row of its own would cost a microcontroller 1 KB of RAM, and a larger state than the
    /// compiler initialises statically, built on the stack at startup instead).
    var lambda: InlineArray<K, Float>
    var edges: InlineArray<K, Float>
    var thetaRe: InlineArray<K, Float>
    var thetaIm: InlineArray<K, Float>

    /// Defaults p = 1.5, gamma = 5, epsilon = 1e-6, tuned on the dev split for the causal PGHI
    /// estimator (a grid over p in 1...3.5 and gamma in 0.5...3000 on 20 dev files, scored by
    /// WB-PESQ: 3.56 here against 3.25 at the earlier work's p = 2.5, gamma = 500; the command
    /// is Tools/eval/tune_weights.py). Other estimators may want their own values.
    public init(exponent: Float = defaultExponent, coupling: Float = defaultCoupling, epsilon: Float = defaultEpsilon) {
        self.exponent = exponent
        self.coupling = coupling
        self.epsilon = epsilon
        // Zeros: every row is written before it is read (the previous phasors only once a
        // frame has been integrated), so an integrator with zero weights is all zero bytes.
        previousRe = .init(repeating: 0)
        previousIm = .init(repeating: 0)
        previousWeight = .init(repeating: 0)
        weight = .init(repeating: 0)
        lambda = .init(repeating: 0)
        edges = .init(repeating: 0)
        thetaRe = .init(repeating: 0)
        thetaIm = .init(repeating: 0)
    }

    public static var defaultExponent: Float { 1.5 }
    public static var defaultCoupling: Float { 5 }
    public static var defaultEpsilon: Float { 1e-6 }

    /// An integrator whose weights are all zero, to be given its weights (`exponent`,
    /// `coupling`, `epsilon`) before its first frame: its whole state is then zero bytes, which
    /// a microcontroller image keeps in .bss rather than copying from flash (the C API's
    /// static configurations start so, and rephase_init sets the weights).
    public static var unweighted: Self { Self(exponent: 0, coupling: 0, epsilon: 0) }

    /// Forgets the previous frame: the next frame is integrated as a first frame.
    public mutating func reset() {
        hasPrevious = false
    }

    /// Computes the unit phasors (re, im) of the next frame from its magnitudes (K) and its
    /// derivative estimates (see PhaseDerivativeEstimator; radians or binary angles), and
    /// remembers them.
    public mutating func integrate<Angle: PhaseAngle>(
        magnitudes: Span<Float>, timeDerivative tpd: Span<Angle>, frequencyDerivative fpd: Span<Angle>,
        real: inout MutableSpan<Float>, imaginary: inout MutableSpan<Float>
    ) {
        precondition(magnitudes.count == K && tpd.count == K && fpd.count == K && real.count == K && imaginary.count == K)
        // Six passes over the bins: theta's steps as binary angles; the peak and theta
        // (running sums); the weights; e^{j theta}; lambda, g and the right-hand sides; after
        // the solver, the normalisation and what the next frame keeps. The running sums are
        // serial, so they have a pass of their own, and the other passes, which have no
        // branch, vectorise where the target has SIMD registers.
        for k in 0..<K { lambda[k] = Float(bitPattern: fpd[k].binaryAngle.raw) }
        var peak: Float = 0
        // theta_k accumulated exactly as a binary angle (2^32 = one turn), over the steps.
        var theta = BinaryAngle.zero
        for k in 0..<K {
            peak = max(peak, magnitudes[k])
            let step = BinaryAngle(raw: lambda[k].bitPattern)
            lambda[k] = Float(bitPattern: theta.raw)
            theta += step
        }
        let inversePeak: Float = peak > 0 ? 1 / peak : 0
        var weights = weight.mutableSpan
        FloatMath.Power(exponent).of(magnitudes, times: inversePeak, into: &weights)
        for k in 0..<K { (thetaIm[k], thetaRe[k]) = BinaryAngle(raw: lambda[k].bitPattern).sinCos }

        // Locals only in the recorded expression: capturing self would copy the whole struct.
        let p = exponent, solving = hasPrevious && peak != 0
        OperationCounter.record(.integrator, Self.operations(exponent: p, solving: solving, angle: Angle.self))
        if !solving {
            for k in 0..<K {
                real[k] = thetaRe[k]
                imaginary[k] = thetaIm[k]
                remember(k, thetaRe[k], thetaIm[k])
            }
        } else {
            // b = lambda e^{-j theta} u_prev e^{j tpd}, with lambda_k = w_k w_prev,k + epsilon.
            @inline(__always)
            func rightHandSide(_ k: Int, _ real: inout MutableSpan<Float>, _ imaginary: inout MutableSpan<Float>) {
                let l = weight[k] * previousWeight[k] + epsilon
                lambda[k] = l
                let (s, c) = tpd[k].sinCos
                let pr = previousRe[k] * c - previousIm[k] * s, pi = previousRe[k] * s + previousIm[k] * c
                real[k] = l * (thetaRe[k] * pr + thetaIm[k] * pi)
                imaginary[k] = l * (thetaRe[k] * pi - thetaIm[k] * pr)
            }
            for k in 0..<(K - 1) {
                edges[k] = coupling * weight[k] * weight[k + 1]
                rightHandSide(k, &real, &imaginary)
            }
            rightHandSide(K - 1, &real, &imaginary)
            solver.factorPathLaplacian(lambda: lambda.span, coupling: edges.span.extracting(0..<(K - 1)))
            solver.solve(real: &real, imaginary: &imaginary)
            for k in 0..<K {
                let vr = real[k], vi = imaginary[k]
                let ur = thetaRe[k] * vr - thetaIm[k] * vi, ui = thetaRe[k] * vi + thetaIm[k] * vr
                let norm = (ur * ur + ui * ui).squareRoot()
                // One division and two products (a division costs 14 cycles on a Cortex-M4F);
                // a zero solution keeps e^{j theta}. Selects, not a branch, so the pass vectorises.
                let inverse = 1 / norm, solved = norm > 0
                let re = solved ? ur * inverse : thetaRe[k], im = solved ? ui * inverse : thetaIm[k]
                real[k] = re
                imaginary[k] = im
                remember(k, re, im)
            }
        }
        hasPrevious = peak > 0
    }

    /// Keeps bin k's phasor and weight for the next frame.
    @inline(__always)
    mutating func remember(_ k: Int, _ re: Float, _ im: Float) {
        previousRe[k] = re
        previousIm[k] = im
        previousWeight[k] = weight[k]
    }

    /// Bytes of the rows `integrate` recomputes every frame (weights, lambda, edges, e^{j theta}
    /// and the solver's factor): scratch that need not survive between frames.
    public static var scratchBytes: Int {
        5 * MemoryLayout<InlineArray<K, Float>>.size + MemoryLayout<TridiagonalSolver<K>>.size
    }

    /// What `integrate` executes around its solver, for the simulator (OperationCounter), per
    /// bin: theta's step as a binary angle (free when the derivatives are binary angles
    /// already); the peak and theta; the weights a^p; e^{j theta}; then either the first
    /// frame's copy or lambda, g and the right-hand sides (one sinCos of the time derivative)
    /// and the normalisation (a square root, a division); in both the rows kept for the next
    /// frame.
    static func operations<Angle: PhaseAngle>(exponent: Float, solving: Bool, angle: Angle.Type) -> OperationMix {
        let loop = OperationMix(integer: 1, branch: 1)
        let keep = OperationMix(load: 1, store: 3)
        var bin = loop + OperationMix(load: 1, store: 1) + Angle.binaryAngleOperations
            + loop + OperationMix(integer: 1, load: 2, store: 1, floatAdd: 1)
            + loop + OperationMix(load: 1, store: 1, floatMultiply: 1) + FloatMath.powOperations(exponent: exponent)
            + loop + OperationMix(load: 1, store: 2) + FloatMath.binaryAngleSinCosOperations
        if solving {
            bin = bin + loop + OperationMix(load: 7, store: 4, floatAdd: 1, floatMultiply: 9, floatMultiplyAdd: 4) + Angle.sinCosOperations
                + loop + OperationMix(load: 4, store: 2, floatAdd: 1, floatMultiply: 5, floatMultiplyAdd: 3, floatDivide: 1, floatSquareRoot: 1) + keep
        } else {
            bin = bin + loop + OperationMix(load: 2, store: 2) + keep
        }
        return bin * K + OperationMix(floatAdd: 1, floatDivide: 1)
    }

    /// Replaces the remembered phasors of the last frame by the phases of `spectrum`, a packed
    /// spectrum (N = 2 (K - 1) Floats, FFT's layout) of that frame: an inverter that
    /// refines frames after integrating them (LookaheadRefinementInverter) integrates the next
    /// frame from the refined phases rather than from its own first estimate. Bins of zero
    /// magnitude keep the integrated phasor.
    public mutating func continueFrom(packedSpectrum spectrum: Span<Float>) {
        precondition(spectrum.count == 2 * (K - 1), "LeastSquaresPhaseIntegrator: packed spectrum of 2 (K - 1) Floats")
        if spectrum[0] != 0 { (previousRe[0], previousIm[0]) = (spectrum[0] < 0 ? -1 : 1, 0) }
        if spectrum[1] != 0 { (previousRe[K - 1], previousIm[K - 1]) = (spectrum[1] < 0 ? -1 : 1, 0) }
        for k in 1..<(K - 1) {
            let re = spectrum[2 * k], im = spectrum[2 * k + 1]
            let norm = (re * re + im * im).squareRoot()
            guard norm > 0 else { continue }
            previousRe[k] = re / norm
            previousIm[k] = im / norm
        }
        OperationCounter.record(
            .integrator, OperationMix(integer: 1, load: 2, store: 2, branch: 2, floatAdd: 2, floatMultiply: 2, floatDivide: 2, floatSquareRoot: 1) * K)
    }
}
