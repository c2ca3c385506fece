/// libFuzzer target: the audio reader, libsndfile decoding fuzzer bytes through its virtual
/// I/O (SndfileMemoryStream), and the WAV header check. Accepted audio must have samples and a rate.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAudio(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let audio = try? MonoAudio(bytes: bytes, path: "fuzz.wav") {
        precondition(!audio.samples.isEmpty && audio.sampleRate > 0 && audio.sourceChannels > 0)
    }
    return 0
}
