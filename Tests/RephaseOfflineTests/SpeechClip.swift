import RephaseIO

/// The bundled example clip (Tests/Fixtures, CMU ARCTIC clb a0001, 16 kHz), as the core's tests
/// read it (RephaseCoreTests/Support/SpeechFixture.swift); read once per test process.
enum SpeechClip {
    static let samples: [Float] = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(2)  // .../Tests/RephaseOfflineTests/SpeechClip.swift -> .../Tests
        let path = parts.joined(separator: "/") + "/Fixtures/arctic-clb-a0001.flac"
        do { return try MonoAudio(contentsOf: path).samples } catch { fatalError("\(error)") }
    }()
}
