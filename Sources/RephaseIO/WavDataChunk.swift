/// The frames a RIFF/WAVE header promises in its data chunk, so a file cut short is reported
/// as truncated instead of being read as the shorter signal libsndfile quietly makes of it.
enum WavDataChunk {
    /// Streamed WAVs (ffmpeg or sox writing to a pipe) say "unknown" with one of these sizes.
    static let unknownSizes: Set<UInt32> = [0, 0xFFFF_FFFF]

    /// The promised frame count, or nil when the bytes are not a WAVE file or the size is unknown.
    static func promisedFrames(_ bytes: [UInt8]) -> Int? {
        func tag(_ at: Int) -> String { String(decoding: bytes[at..<at + 4], as: UTF8.self) }
        func le(_ at: Int, _ width: Int) -> Int { (0..<width).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) } }
        guard bytes.count >= 12, tag(0) == "RIFF", tag(8) == "WAVE" else { return nil }
        var offset = 12, blockAlign = 0
        while offset + 8 <= bytes.count {
            let size = le(offset + 4, 4)
            switch tag(offset) {
            case "fmt " where size >= 14 && offset + 22 <= bytes.count:
                blockAlign = le(offset + 20, 2)
            case "data":
                guard blockAlign > 0, !unknownSizes.contains(UInt32(size)) else { return nil }
                return size / blockAlign
            default:
                break
            }
            offset += 8 + size + (size & 1)
        }
        return nil
    }
}
