import RephaseCore

/// Runs a streaming inverter over a whole magnitude spectrogram (WholeSignalSTFT framing,
/// which is the streaming analysis' framing) and returns the waveform aligned with the
/// original signal: frames are fed in order, then silent frames until the inverter's
/// look-ahead and overlap-add have flushed, and the first `latency` samples are dropped.
/// `length` is the original signal's length in samples; `progress` hears the frames done.
public func invertStreaming<Inverter: MagnitudeInverter>(
    _ inverter: inout Inverter, _ spectrogram: MagnitudeSpectrogram, hop: Int, length: Int,
    progress: ((_ framesDone: Int, _ framesTotal: Int) -> Void)? = nil
) -> [Float] {
    let needed = inverter.latency + length
    let totalFrames = max(spectrogram.frames, (needed + hop - 1) / hop)
    var output = [Float]()
    output.reserveCapacity(totalFrames * hop)
    var frame = [Float](repeating: 0, count: spectrogram.bins)
    var hopSamples = [Float](repeating: 0, count: hop)
    for t in 0..<totalFrames {
        if t < spectrogram.frames {
            frame.replaceSubrange(0..<spectrogram.bins, with: spectrogram.values[t * spectrogram.bins..<(t + 1) * spectrogram.bins])
        } else if t == spectrogram.frames {
            frame = [Float](repeating: 0, count: spectrogram.bins)
        }
        var out = hopSamples.mutableSpan
        inverter.process(magnitudes: frame.span, output: &out)
        output += hopSamples
        if t % 64 == 63 || t == totalFrames - 1 { progress?(t + 1, totalFrames) }
    }
    return Array(output[inverter.latency..<needed])
}
