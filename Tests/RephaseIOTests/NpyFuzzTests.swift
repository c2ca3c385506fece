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

    /// Anything the parser accepts must be self-consistent: data size = rows * columns * 4.
    static func check(_ bytes: [UInt8]) {
        if let parsed = try? NpyMatrix(bytes: bytes, path: "fuzz.npy") {
            #expect(parsed.values.count == parsed.rows * parsed.columns)
            #expect(parsed.values.count * 4 <= bytes.count)
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
