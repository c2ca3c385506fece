import Testing
import RephaseOffline
import RephaseReference

/// Offline Fast Griffin-Lim on the bundled clip: output length, convergence, and the gain of
/// the momentum over plain Griffin-Lim.
@Suite struct FastGriffinLimTests {
    typealias STFT = WholeSignalSTFT<512, 128>

    /// One second of speech from the clip (keeps the debug-build test short), cut to a length
    /// that is not a whole number of hops.
    static let signal = Array(SpeechClip.samples[4_000..<20_037])
    static let magnitudes = STFT.forward(signal).magnitudes

    /// Spectral convergence in dB of `output` against the clip's magnitudes.
    static func spectralConvergence(_ output: [Float]) -> Double {
        magnitudes.spectralConvergence(of: STFT.forward(output).magnitudes)
    }

    @Test func convergesAndBeatsPlainGriffinLim() {
        var history = [Double]()
        let fast = FastGriffinLim<512, 128>(iterations: 32)
            .reconstruct(Self.magnitudes, length: Self.signal.count) { _, estimate in
                history.append(Self.magnitudes.spectralConvergence(of: estimate))
            }
        let plain = FastGriffinLim<512, 128>(iterations: 32, momentum: 0)
            .reconstruct(Self.magnitudes, length: Self.signal.count)
        #expect(fast.count == Self.signal.count && plain.count == Self.signal.count)
        #expect(history.count == 32)
        // The callback reports the signal that is returned.
        let fastSC = Self.spectralConvergence(fast), plainSC = Self.spectralConvergence(plain)
        #expect(abs(fastSC - history[31]) < 1e-9)
        // Monotone up to small momentum overshoots: never more than 0.5 dB above the best so far.
        var best = Double.infinity
        for (n, sc) in history.enumerated() {
            #expect(sc <= best + 0.5, "iteration \(n + 1): \(sc) dB after a best of \(best) dB")
            best = min(best, sc)
        }
        print("FGLA spectral convergence after 1, 8, 32 iterations: \(history[0]), \(history[7]), \(fastSC) dB; GLA after 32: \(plainSC) dB")
        #expect(fastSC <= -25, "FGLA-32: \(fastSC) dB")
        #expect(fastSC <= plainSC - 8, "FGLA-32 \(fastSC) dB, GLA-32 \(plainSC) dB")
    }

    @Test func seededRandomInitialPhaseIsReproducible() {
        func run() -> [Float] {
            var generator = SplitMix64(seed: 7)
            let phase = FastGriffinLim<512, 128>.InitialPhase.random(
                frames: Self.magnitudes.frames, bins: Self.magnitudes.bins, using: &generator)
            return FastGriffinLim<512, 128>(iterations: 4)
                .reconstruct(Self.magnitudes, length: Self.signal.count, initialPhase: phase)
        }
        let first = run()
        #expect(first.count == Self.signal.count)
        #expect(first == run())
        #expect(first.allSatisfy { $0.isFinite })
    }
}
