/// Which network the streaming mel stage's magnitudes go to (in Mel/, beside MelBands: a
/// configuration without the mel stage compiles Network/ without it).
extension CNNInput {
    /// The input of the magnitudes the streaming mel stage makes from mel frames of `bands`
    /// with `steps` projected-gradient steps: `.mel80` for exactly the frames the mel networks
    /// are trained on, `.linear` for any other (the linear network then sees them, as it
    /// would any magnitudes).
    public static func streamingMel(_ bands: MelBands, steps: Int) -> CNNInput {
        let trained = MelBands(count: CNNArchitecture.melBands, fftSize: CNNArchitecture.frameLength, sampleRate: 16_000)
        return bands == trained && steps == 0 ? .mel80 : .linear
    }
}
