/// The data chunk of a RIFF/WAVE file as its header declares it, so a file cut short is
/// reported as truncated instead of being read as the shorter signal libsndfile quietly makes
/// of it, and a streamed file's "unknown" size is read as "up to the end".
struct WavDataChunk {
    /// Where the chunk's 32-bit size field is, and what it says.
    var sizeOffset: Int
    var declaredSize: UInt32
    var blockAlign: Int

    /// Streamed WAVs (ffmpeg or sox writing to a pipe) say "unknown" with one of these sizes.
    static let unknownSizes: Set<UInt32> = [0, 0xFFFF_FFFF]

    /// The data chunk of `bytes`, or nil when they are not a WAVE file with fmt and data chunks.
    init?(_ bytes: [UInt8]) {
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
                guard blockAlign > 0 else { return nil }
                (sizeOffset, declaredSize, self.blockAlign) = (offset + 4, UInt32(size), blockAlign)
                return
            default:
                break
            }
            offset += 8 + size + (size & 1)
        }
        return nil
    }

    /// The frames the header promises, or nil for an unknown size.
    var promisedFrames: Int? { Self.unknownSizes.contains(declaredSize) ? nil : Int(declaredSize) / blockAlign }

    /// `bytes` with an unknown size of 0 replaced by what follows the field, which libsndfile
    /// would otherwise read as no frames at all (0xFFFFFFFF it already reads to the end).
    func resolvingUnknownSize(of bytes: [UInt8]) -> [UInt8] {
        guard declaredSize == 0 else { return bytes }
        let remaining = UInt32(clamping: bytes.count - sizeOffset - 4)
        var patched = bytes
        for i in 0..<4 { patched[sizeOffset + i] = UInt8(truncatingIfNeeded: remaining >> (8 * UInt32(i))) }
        return patched
    }
}
