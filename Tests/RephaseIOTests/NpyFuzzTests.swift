import Foundation
import Testing
import RephaseIO
import RephaseReference

/// The .npy reader is our own parser of untrusted files: a property test over random and
/// mutated inputs (seeded, so a failure repeats) checks that it never crashes, and never
/// accepts a file whose data does not match its header.
@Suite struct NpyFuzzTests {
    static let valid = NpyMatrix(rows: 5, columns: 7, values: (0..<35).map { Float($0) / 3 }).npyBytes

    @Test func roundTrip() throws {
        let parsed = try NpyMatrix(bytes: Self.valid, path: "valid.npy")
        #expect(parsed == NpyMatrix(rows: 5, columns: 7, values: (0..<35).map { Float($0) / 3 }))
        #expect(Self.valid.count % 4 == 0 && (Self.valid.count - 4 * 35) % 64 == 0)
    }

    /// Anything the parser accepts must be self-consistent: rows * columns values, each of at
    /// least 2 bytes in the file.
    static func check(_ bytes: [UInt8]) {
        if let parsed = try? NpyMatrix(bytes: bytes, path: "fuzz.npy") {
            #expect(parsed.values.count == parsed.rows * parsed.columns)
            #expect(parsed.values.count * 2 <= bytes.count)
        }
    }

    /// A .npy file as NumPy writes it: `header` padded to 64 bytes, then `data`.
    static func npy(_ header: String, _ data: [UInt8]) -> [UInt8] {
        var text = header
        text += String(repeating: " ", count: (64 - (10 + text.utf8.count + 1) % 64) % 64) + "\n"
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(text.utf8.count & 0xFF), UInt8(text.utf8.count >> 8)] + Array(text.utf8) + data
    }

    /// What models save is read as it is: float16, float64 and big-endian float32 (values 0,
    /// 0.5, ..., 2.5 of a 2 x 3 array), a Fortran-order array (`np.save` of a transpose), and
    /// a batch dimension of 1.
    @Test func readsWhatModelsSave() throws {
        let expected = NpyMatrix(rows: 2, columns: 3, values: [0, 0.5, 1, 1.5, 2, 2.5])
        let values = expected.values
        let cases: [(String, [UInt8])] = [
            ("'<f2'", values.flatMap { v in withUnsafeBytes(of: Float16(v).bitPattern.littleEndian, Array.init) }),
            ("'<f8'", values.flatMap { v in withUnsafeBytes(of: Double(v).bitPattern.littleEndian, Array.init) }),
            ("'>f4'", values.flatMap { v in withUnsafeBytes(of: v.bitPattern.bigEndian, Array.init) }),
        ]
        for (descr, data) in cases {
            let bytes = Self.npy("{'descr': \(descr), 'fortran_order': False, 'shape': (2, 3), }", data)
            #expect(try NpyMatrix(bytes: bytes, path: "model.npy") == expected, "\(descr)")
        }
        let columnMajor = [0, 3, 1, 4, 2, 5].flatMap { i in withUnsafeBytes(of: values[i].bitPattern.littleEndian, Array.init) }
        let fortran = Self.npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", columnMajor)
        #expect(try NpyMatrix(bytes: fortran, path: "fortran.npy") == expected)
        let batch = Self.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 2, 3), }", values.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init) })
        #expect(try NpyMatrix(bytes: batch, path: "batch.npy") == expected)
        #expect(expected.transposed.transposed == expected && expected.transposed.values == [0, 1.5, 0.5, 2, 1, 2.5])
    }

    /// Integer data, and a batch of more than one, are refused with what the file holds.
    @Test func refusesWhatIsNotOneSpectrogram() {
        let ints = Self.npy("{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }", [UInt8](repeating: 0, count: 24))
        #expect(throws: NpyError.unsupported(path: "i.npy", reason: "dtype '<i4' is not float16, float32 or float64")) {
            try NpyMatrix(bytes: ints, path: "i.npy")
        }
        let batch = Self.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2, 3), }", [UInt8](repeating: 0, count: 48))
        #expect(throws: NpyError.unsupported(path: "b.npy", reason: "expected a 2-D array (frames, bins), got a 3-D array of shape (2, 2, 3)")) {
            try NpyMatrix(bytes: batch, path: "b.npy")
        }
    }

    @Test func mutatedFilesNeverCrash() {
        var rng = SplitMix64(seed: 2024)
        for _ in 0..<20_000 {
            var bytes = Self.valid
            for _ in 0..<(1 + Int(rng.next() % 4)) where !bytes.isEmpty {
                let at = Int(rng.next() % UInt64(min(bytes.count, 140)))
                switch rng.next() % 4 {
                case 0: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
                case 1: bytes.remove(at: at)
                case 2: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: at)
                default: bytes = Array(bytes[0..<at])
                }
            }
            Self.check(bytes)
        }
    }

    @Test func hostileHeadersAreRefusedWithoutAllocating() {
        let hostile = [
            "{'descr': '<f4', 'fortran_order': False, 'shape': (999999999999, 999999999999), }",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 2), }",
            // Elements that fit an Int, bytes that do not (found by the libFuzzer target).
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2222225022, 2222222227), }",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (-1, 257), }",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (5, 7), 'extra': 1}",
            "{'descr': '<f4', 'descr': '<f4', 'shape': (5, 7), }",
            "{'descr': '<f4', 'fortran_order': Maybe, 'shape': (5, 7), }",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (5, 7, 1, 1, 1, 1, 1, 1, 1, 1), }",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (5, 7)",
            "",
        ]
        for header in hostile {
            var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
            bytes += [UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)] + Array(header.utf8)
            bytes += [UInt8](repeating: 0, count: 140)
            #expect((try? NpyMatrix(bytes: bytes, path: "hostile.npy")) == nil, "accepted \(header)")
        }
        // A header length pointing past the end, in both header-length widths.
        #expect((try? NpyMatrix(bytes: [0x93] + Array("NUMPY".utf8) + [1, 0, 0xFF, 0xFF], path: "x")) == nil)
        #expect((try? NpyMatrix(bytes: [0x93] + Array("NUMPY".utf8) + [2, 0, 0xFF, 0xFF, 0xFF, 0x7F], path: "x")) == nil)
    }

    @Test func randomBytesNeverCrash() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<5_000 {
            var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8)
            bytes += (0..<Int(rng.next() % 200)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            Self.check(bytes)
        }
    }
}
