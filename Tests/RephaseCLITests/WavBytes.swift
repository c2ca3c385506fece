import Foundation

/// A 16-bit PCM WAV file built byte by byte, so tests can make stereo, empty or damaged files
/// without another library.
func wavBytes(channels: [[Float]], rate: Int) -> [UInt8] {
    let frames = channels.first?.count ?? 0, count = channels.count
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

/// A mono 32-bit float WAV file holding `samples` as they are (no clipping: tests feed it
/// huge or non-finite values), with the data chunk's size field set to `declaredDataBytes`
/// when given (0xFFFFFFFF as ffmpeg and sox write to pipes, or a promise the file breaks).
func floatWavBytes(_ samples: [Float], rate: Int, declaredDataBytes: UInt32? = nil) -> [UInt8] {
    let dataBytes = samples.count * 4
    let declared = declaredDataBytes.map(Int.init) ?? dataBytes
    var bytes = Array("RIFF".utf8) + le32(declaredDataBytes == 0xFFFF_FFFF ? declared : 36 + declared) + Array("WAVEfmt ".utf8)
    bytes += le32(16) + le16(3) + le16(1) + le32(rate) + le32(rate * 4) + le16(4) + le16(32)
    bytes += Array("data".utf8) + le32(declared)
    for s in samples { bytes += le32(Int(s.bitPattern)) }
    return bytes
}

private func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
private func le16(_ v: Int) -> [UInt8] { (0..<2).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
