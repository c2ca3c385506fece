import RephaseIO

/// The bundled example clip (RephaseIO.BundledExample), read once per test process. It ships
/// with the repository, so tests that use real speech run without ../shared.
enum SpeechFixture {
    static let audio: MonoAudio = {
        do { return try MonoAudio(contentsOf: BundledExample.path) } catch { fatalError("\(error)") }
    }()

    /// `count` consecutive samples starting at `start`, as Double.
    static func samples(from start: Int, count: Int) -> [Double] {
        audio.samples[start..<start + count].map(Double.init)
    }

    /// The loudest `count`-sample stretch among hops of `count` (a voiced speech frame).
    static func loudestFrame(count: Int) -> [Double] {
        var best = 0, bestEnergy: Float = -1
        var start = 0
        while start + count <= audio.samples.count {
            var e: Float = 0
            for s in audio.samples[start..<start + count] { e += s * s }
            if e > bestEnergy { bestEnergy = e; best = start }
            start += count / 2
        }
        return samples(from: best, count: count)
    }
}
