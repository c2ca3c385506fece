import RephaseCore
import Testing

/// The mel wrapper is exactly "convert, then the inner inverter", with the inner latency.
@Suite struct MelInverterTests {
    typealias PGHI = PhaseGradientInverter<512, 128, 257, PGHIEstimator<257>>

    static func pghi() -> PGHI { PGHI(estimator: PGHIEstimator(frameLength: 512, hop: 128, lookahead: 1)) }

    @Test func convertsThenInvertsEachFrame() {
        let stage = MelToLinear(filterbank: MelFilterbank<257, 80>(), iterations: 4)
        var wrapped = MelInverter(stage: stage, inner: Self.pghi())
        #expect(wrapped.latency == Self.pghi().latency)
        var separate = Self.pghi(), converter = stage
        var linear = [Float](repeating: 0, count: 257)
        let mels = MelToLinearTests.melFrames
        let viaWrapper = streamOutput(&wrapped, frames: mels)
        let viaStages = streamOutput(&separate, frames: mels.map { mel in
            var out = linear.mutableSpan
            converter.convert(mel: mel.span, into: &out)
            return linear
        })
        #expect(viaWrapper == viaStages)
        wrapped.reset()
        #expect(streamOutput(&wrapped, frames: mels) == viaWrapper)
    }
}
