import Foundation

/// A 16-bit PCM WAV file built byte by byte, so tests can make stereo, empty or damaged files
/// without another library.
func wavBytes(channels: [[Float]], rate: Int) -> [UInt8] {
    let frames = channels.first?.count ?? 0, count = channels.count
    func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    func le16(_ v: Int) -> [UInt8] { (0..<2).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    let dataBytes = frames * count * 2
    var bytes = Array("RIFF".utf8) + le32(36 + dataBytes) + Array("WAVEfmt ".utf8)
    bytes += le32(16) + le16(1) + le16(count) + le32(rate) + le32(rate * count * 2) + le16(count * 2) + le16(16)
    bytes += Array("data".utf8) + le32(dataBytes)
    for i in 0..<frames {
        for c in 0..<count {
            bytes += le16(Int((max(-1, min(1, channels[c][i])) * 32767).rounded()))
        }
    }
    return bytes
}

func writeStereo(_ samples: [Float], rate: Int, to path: String) throws {
    try Data(wavBytes(channels: [samples, samples], rate: rate)).write(to: URL(fileURLWithPath: path))
}
