import Foundation

/// Offline Fast Griffin-Lim (Perraudin, Balazs and Sondergaard, "A fast Griffin-Lim
/// algorithm", WASPAA 2013): the whole-utterance baseline the streaming inverters are
/// compared with (docs/ALGORITHMS.md section 7).
///
/// With a the target magnitudes, P_C(c) = STFT(ISTFT(c)) the projection onto consistent
/// spectrograms and P_A(c) = a c / |c| the projection onto spectrograms with magnitude a,
/// each iteration computes
///
///     t_n = P_A(P_C(c_{n-1})),   c_n = t_n + alpha (t_n - t_{n-1}),
///
/// starting from c_0 = t_0 = a e^{i phi_0}, and the result is ISTFT(t_n). alpha = 0 is the
/// original Griffin-Lim; the momentum alpha = 0.99 of the paper converges much faster.
/// librosa.griffinlim writes the momentum on the P_C outputs instead (r_n + alpha (r_n - r_{n-1})
/// before P_A, r_n = P_C(t_{n-1})); P_C is linear, so that is P_C(c_{n-1}) and the two are the
/// same iteration (Tools/eval/fgla_vs_librosa.py: outputs agree to a correlation of 0.9999999).
public struct FastGriffinLim<let N: Int, let H: Int> {
    /// Where the phase starts.
    public enum InitialPhase {
        /// phi_0 = 0 everywhere (librosa's `init=None`).
        case zero
        /// phi_0 in radians, frames x bins, laid out as `MagnitudeSpectrogram.values`.
        case given([Float])

        /// Phases uniform in [-pi, pi) from `generator`: pass a seeded one to reproduce a run.
        public static func random(
            frames: Int, bins: Int, using generator: inout some RandomNumberGenerator
        ) -> InitialPhase {
            .given((0..<frames * bins).map { _ in Float.random(in: -Float.pi..<Float.pi, using: &generator) })
        }
    }

    public var iterations: Int
    /// alpha of the update above; 0 gives plain Griffin-Lim.
    public var momentum: Float

    /// Defaults: 32 iterations (librosa's `n_iter`) and the paper's alpha = 0.99.
    public init(iterations: Int = 32, momentum: Float = 0.99) {
        precondition(iterations >= 0, "FastGriffinLim: iterations must not be negative")
        self.iterations = iterations
        self.momentum = momentum
    }

    /// A signal of `length` samples whose STFT magnitudes approximate `magnitudes`, which must
    /// be `WholeSignalSTFT<N, H>`'s framing of that length.
    ///
    /// - Parameter convergence: if given, called after iteration n (1-based) with the STFT
    ///   magnitudes of the signal that stopping there would return, for convergence plots
    ///   (spectral convergence against the target or, in mel inversion, against a mel
    ///   spectrogram). It costs one more STFT and ISTFT per iteration, so it is opt-in.
    public func reconstruct(
        _ magnitudes: MagnitudeSpectrogram, length: Int, initialPhase: InitialPhase = .zero,
        convergence: ((_ iteration: Int, _ magnitudes: MagnitudeSpectrogram) -> Void)? = nil
    ) -> [Float] {
        typealias STFT = WholeSignalSTFT<N, H>
        precondition(magnitudes.bins == STFT.bins && magnitudes.frames == STFT.frameCount(length: length),
                     "FastGriffinLim: magnitudes do not have the STFT size of a \(length)-sample signal")
        let a = magnitudes.values
        var previous = Self.start(magnitudes, phase: initialPhase)
        var extrapolated = previous
        for n in 0..<iterations {
            var current = STFT.forward(STFT.inverse(extrapolated, length: length))
            Self.imposeMagnitudes(a, on: &current)
            for i in a.indices {
                extrapolated.re[i] = current.re[i] + momentum * (current.re[i] - previous.re[i])
                extrapolated.im[i] = current.im[i] + momentum * (current.im[i] - previous.im[i])
            }
            previous = current
            if let convergence {
                let signal = STFT.inverse(current, length: length)
                convergence(n + 1, STFT.forward(signal).magnitudes)
            }
        }
        return STFT.inverse(previous, length: length)
    }

    /// a e^{i phi_0}: the magnitudes with the initial phase (also MelADMM's start).
    static func start(_ magnitudes: MagnitudeSpectrogram, phase initialPhase: InitialPhase) -> ComplexSpectrogram {
        let a = magnitudes.values
        switch initialPhase {
        case .zero:
            return ComplexSpectrogram(
                frames: magnitudes.frames, bins: magnitudes.bins, re: a, im: [Float](repeating: 0, count: a.count))
        case .given(let phase):
            precondition(phase.count == a.count, "FastGriffinLim: one initial phase per bin")
            return ComplexSpectrogram(
                frames: magnitudes.frames, bins: magnitudes.bins,
                re: a.indices.map { a[$0] * cos(phase[$0]) }, im: a.indices.map { a[$0] * sin(phase[$0]) })
        }
    }

    /// P_A: keeps each bin's phase and sets its magnitude to `a`. A bin that is exactly zero
    /// has no phase; it gets phase 0, as a nonzero target magnitude must point somewhere. (The
    /// core's `imposeMagnitudes` does the same on one packed frame.)
    static func imposeMagnitudes(_ a: [Float], on c: inout ComplexSpectrogram) {
        for i in a.indices {
            let m = (c.re[i] * c.re[i] + c.im[i] * c.im[i]).squareRoot()
            if m > 0 {
                let scale = a[i] / m
                c.re[i] *= scale
                c.im[i] *= scale
            } else {
                c.re[i] = a[i]
                c.im[i] = 0
            }
        }
    }
}
