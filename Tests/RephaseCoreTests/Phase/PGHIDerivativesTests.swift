import Testing
@testable import RephaseCore
import RephaseReference

/// PGHIDerivatives against the formulas of its doc comment written out plainly (a history of
/// whole frames, differences with the edge cases inline), bit for bit: both look-aheads,
/// the frames while the history fills, silent and clamped bins, and after a reset.
@Suite struct PGHIDerivativesTests {
    static let n = 16, hop = 4, k = n / 2 + 1

    /// omega, tau and the delayed magnitudes of frame t - lookahead, from the bounded
    /// magnitudes of every frame so far (newest last), as the doc comment defines them.
    static func reference(_ frames: [[Float]], lookahead: Int) -> (omega: [Float], tau: [Float], delayed: [Float]) {
        let tiny: Float = 1e-9
        let logFloor = FloatMath.log(tiny)
        func logs(_ back: Int) -> [Float] {
            let i = frames.count - 1 - back
            guard i >= 0 else { return [Float](repeating: logFloor, count: k) }
            return frames[i].map { FloatMath.log(normal: MagnitudeRange.bounded($0) + tiny) }
        }
        let s0 = logs(0), s1 = logs(1), s2 = logs(2), s = lookahead == 1 ? s1 : s0
        let nf = Float(n), h = Float(hop), gamma: Float = 0.25645 * nf * nf
        let omegaScale = h * nf / gamma, tauScale = -gamma / (h * nf), nominal = 2 * Float.pi * h / nf
        var omega = [Float](), tau = [Float]()
        for b in 0..<k {
            let below = s[max(b - 1, 0)], above = s[min(b + 1, k - 1)]
            let spacing: Float = (b == 0 || b == k - 1) ? 1 : 2
            omega.append(omegaScale * (above - below) / spacing + nominal * Float(b))
            let dsdt = lookahead == 1 ? 0.5 * (s0[b] - s2[b]) : 0.5 * (3 * s0[b] - 4 * s1[b] + s2[b])
            tau.append(tauScale * dsdt - Float.pi)
        }
        let delayed = frames[frames.count - 1 - lookahead].map { MagnitudeRange.bounded($0) }
        return (omega, tau, delayed)
    }

    @Test(arguments: [0, 1])
    func matchesTheFormulasBitForBit(lookahead: Int) {
        var rng = SplitMix64(seed: UInt64(23 + lookahead))
        var derivatives = PGHIDerivatives<9>(frameLength: Self.n, hop: Self.hop, lookahead: lookahead)
        var frames = [[Float]]()
        for t in 0..<12 {
            if t == 7 {  // a reset starts the history afresh
                derivatives.reset()
                frames = []
            }
            var frame = (0..<Self.k).map { _ in Float(rng.uniform(0, 2)) }
            frame[t % Self.k] = 0  // a silent bin
            if t == 3 { frame[1] = .nan; frame[2] = 1e30 }  // bounded to 0 and to the largest magnitude
            frames.append(frame)
            var omega = [Float](repeating: .nan, count: Self.k), tau = omega, delayed = omega
            var o = omega.mutableSpan, u = tau.mutableSpan, d = delayed.mutableSpan
            let ready = derivatives.push(magnitudes: frame.span, delayedMagnitudes: &d, omega: &o, tau: &u)
            #expect(ready == (frames.count > lookahead), "frame \(t)")
            guard ready else { continue }
            let want = Self.reference(frames, lookahead: lookahead)
            #expect(omega.map(\.bitPattern) == want.omega.map(\.bitPattern), "omega, frame \(t)")
            #expect(tau.map(\.bitPattern) == want.tau.map(\.bitPattern), "tau, frame \(t)")
            #expect(delayed.map(\.bitPattern) == want.delayed.map(\.bitPattern), "delayed magnitudes, frame \(t)")
        }
    }
}
