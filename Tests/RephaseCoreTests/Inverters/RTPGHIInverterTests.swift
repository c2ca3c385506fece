import Testing
@testable import RephaseCore
import RephaseReference

/// RTPGHI on the bundled speech clip, and the heap that orders its integration.
@Suite struct RTPGHIInverterTests {
    static let speech = Array(SpeechFixture.audio.samples)

    /// A regression bound on spectral convergence (dev-split quality: docs/RESULTS.md).
    /// Measured on the bundled clip: -26.3 dB causal, -29.8 dB with one frame of look-ahead.
    @Test(arguments: [0, 1])
    func spectralConvergenceOnSpeech(lookahead: Int) {
        var inverter = RTPGHIInverter<512, 128, 257>(lookahead: lookahead)
        #expect(inverter.latency == 384 + 128 * lookahead)
        let y = invert(&inverter, frames: OracleSpectrogram(Self.speech).floatFrames, length: Self.speech.count)
        let sc = spectralConvergence(reference: Self.speech, estimate: y)
        #expect(sc <= -23, "SC \(sc) dB")
    }

    @Test func resetRestartsIdentically() {
        let frames = OracleSpectrogram(Array(Self.speech[0..<8000])).floatFrames
        var inverter = RTPGHIInverter<512, 128, 257>()
        let first = streamOutput(&inverter, frames: frames)
        inverter.reset()
        #expect(streamOutput(&inverter, frames: frames) == first)
    }

    /// Entries come out strongest first, whatever order they went in, up to the 2K capacity.
    @Test func binHeapPopsInDescendingOrder() {
        var heap = BinHeap<9>()
        var rng = SplitMix64(seed: 5)
        var keys: [Float] = []
        for i in 0..<18 {
            let key = Float(rng.uniform(0, 1))
            keys.append(key)
            heap.push(magnitude: key, bin: i % 9, currentFrame: i >= 9)
        }
        var popped: [(bin: Int, currentFrame: Bool)] = []
        while !heap.isEmpty { popped.append(heap.pop()) }
        let expected = keys.indices.sorted { keys[$0] > keys[$1] }.map { ($0 % 9, $0 >= 9) }
        #expect(popped.map(\.bin) == expected.map(\.0))
        #expect(popped.map(\.currentFrame) == expected.map(\.1))
    }
}
