import RephaseIO

/// The bundled example clip (16 kHz speech), read once per test process.
enum SpeechClip {
    static let samples: [Float] = {
        do { return try MonoAudio(contentsOf: BundledExample.path).samples } catch { fatalError("\(error)") }
    }()
}
