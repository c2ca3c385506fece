import CSndFile

/// A byte buffer libsndfile reads from or writes into through its virtual I/O, so audio is
/// decoded from bytes already read (standard input, a fuzzer's input) and encoded before any
/// file is touched (OutputFile then writes it safely).
final class SndfileMemoryStream {
    private(set) var bytes: [UInt8]
    private var position = 0
    private var io = SF_VIRTUAL_IO(
        get_filelen: { SndfileMemoryStream.stream($0).fileLength },
        seek: { offset, whence, user in SndfileMemoryStream.stream(user).seek(offset, whence: whence) },
        read: { pointer, count, user in SndfileMemoryStream.stream(user).read(into: pointer, count: count) },
        write: { pointer, count, user in SndfileMemoryStream.stream(user).write(from: pointer, count: count) },
        tell: { sf_count_t(SndfileMemoryStream.stream($0).position) })

    init(bytes: [UInt8] = []) { self.bytes = bytes }

    /// Opens the buffer with libsndfile; the stream must outlive the handle.
    func open(mode: Int32, info: inout SF_INFO) -> OpaquePointer? {
        sf_open_virtual(&io, mode, &info, Unmanaged.passUnretained(self).toOpaque())
    }

    private static func stream(_ user: UnsafeMutableRawPointer?) -> SndfileMemoryStream {
        Unmanaged<SndfileMemoryStream>.fromOpaque(user!).takeUnretainedValue()
    }

    private var fileLength: sf_count_t { sf_count_t(bytes.count) }

    private func seek(_ offset: sf_count_t, whence: Int32) -> sf_count_t {
        let base: Int
        switch whence {
        case SEEK_SET: base = 0
        case SEEK_CUR: base = position
        case SEEK_END: base = bytes.count
        default: return -1
        }
        let (target, overflow) = base.addingReportingOverflow(Int(offset))
        guard !overflow, target >= 0 else { return -1 }
        position = target
        return sf_count_t(target)
    }

    private func read(into pointer: UnsafeMutableRawPointer?, count: sf_count_t) -> sf_count_t {
        guard let pointer, count > 0, position < bytes.count else { return 0 }
        let n = min(Int(count), bytes.count - position)
        bytes.withUnsafeBytes { pointer.copyMemory(from: $0.baseAddress! + position, byteCount: n) }
        position += n
        return sf_count_t(n)
    }

    private func write(from pointer: UnsafeRawPointer?, count: sf_count_t) -> sf_count_t {
        guard let pointer, count > 0 else { return 0 }
        let n = Int(count)
        if bytes.count < position + n { bytes += [UInt8](repeating: 0, count: position + n - bytes.count) }
        bytes.withUnsafeMutableBytes { ($0.baseAddress! + position).copyMemory(from: pointer, byteCount: n) }
        position += n
        return count
    }
}
