import Foundation

/// Why a .npy file could not be read or written; `description` is the one line the user sees.
public enum NpyError: Error, CustomStringConvertible, Equatable {
    case cannotOpen(path: String, reason: String)
    case malformed(path: String, reason: String)
    case unsupported(path: String, reason: String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): return "cannot read '\(path)': \(reason)"
        case .malformed(let path, let reason): return "'\(path)' is not a valid .npy file: \(reason)"
        case .unsupported(let path, let reason): return "'\(path)': \(reason)"
        case .cannotWrite(let path, let reason): return "cannot write '\(path)': \(reason)"
        }
    }
}

/// A 2-D float32 array in NumPy's .npy format (version 1.0 to 3.0): what `rephase` exchanges
/// spectrograms in, shape (frames, bins), and what models write with `np.save`.
///
/// The writer writes float32, C order. The reader takes what a model saves as it is: float16,
/// float32 or float64 of either byte order, C or Fortran order (`np.save` of a transposed
/// array writes Fortran order), and leading dimensions of size 1 (a batch of one); the values
/// become Float32 in row-major order of the last two dimensions.
///
/// The reader is our own and treats its input as hostile: the header must be a well-formed
/// Python dict literal with exactly the keys 'descr', 'fortran_order' and 'shape', the header
/// length is bounded, and the data size implied by the shape must equal what the file holds
/// before anything is allocated, so a forged shape cannot make it allocate or read past the end.
public struct NpyMatrix: Equatable, Sendable {
    public var rows: Int
    public var columns: Int
    /// Row-major values, rows * columns of them.
    public var values: [Float]

    public init(rows: Int, columns: Int, values: [Float]) {
        precondition(values.count == rows * columns)
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// The matrix with rows and columns swapped.
    public var transposed: NpyMatrix {
        var out = [Float](repeating: 0, count: values.count)
        for r in 0..<rows {
            for c in 0..<columns { out[c * rows + r] = values[r * columns + c] }
        }
        return NpyMatrix(rows: columns, columns: rows, values: out)
    }

    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
    /// Headers longer than this are refused (NumPy itself writes ~128 bytes for a 2-D array).
    static let maximumHeaderLength = 65_536

    /// Reads `path`. The header is read and checked against the file's size first, then the
    /// data is read once: a forged shape costs neither memory nor time.
    public init(contentsOf path: String) throws(NpyError) {
        do {
            let file = try InputFile(path)
            guard let size = file.regularSize else {
                try self.init(bytes: file.readToEnd(), path: path)
                return
            }
            let prefix = try file.read(upTo: min(size, 12 + Self.maximumHeaderLength))
            let layout = try Self.layout(prefix: prefix, fileSize: size, path: path)
            var data = [UInt8](repeating: 0, count: layout.dataBytes)
            let inPrefix = prefix.count - layout.dataStart
            let got = try data.withUnsafeMutableBytes { buffer in
                prefix[layout.dataStart...].withUnsafeBytes { buffer.copyMemory(from: $0) }
                return Result { () throws(InputFileError) in
                    try inPrefix + file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[inPrefix...]))
                }
            }.get()
            guard got == data.count else {
                throw NpyError.malformed(path: path, reason: "the file shrank while it was read (\(got) of \(data.count) data bytes)")
            }
            self = layout.matrix(data, from: 0)
        } catch let error as NpyError {
            throw error
        } catch let error as InputFileError {
            throw .cannotOpen(path: path, reason: error.reason)
        } catch {
            throw .cannotOpen(path: path, reason: "\(error)")
        }
    }

    /// Parses the bytes of a .npy file (`path` only names it in errors).
    public init(bytes: [UInt8], path: String) throws(NpyError) {
        let layout = try Self.layout(prefix: bytes, fileSize: bytes.count, path: path)
        self = layout.matrix(bytes, from: layout.dataStart)
    }

    /// What a header declares: the element type, the order and the shape of the data.
    struct Layout {
        enum Element: Int {
            case float16 = 2, float32 = 4, float64 = 8
        }
        var element: Element
        var bigEndian: Bool
        var fortranOrder: Bool
        var rows: Int
        var columns: Int
        var dataStart: Int

        var dataBytes: Int { rows * columns * element.rawValue }

        /// The matrix in `bytes` from `start`: each element read in its byte order and
        /// converted to Float (float64 beyond Float's range becomes infinite, which the
        /// callers' range checks refuse), Fortran order transposed to row-major.
        func matrix(_ bytes: [UInt8], from start: Int) -> NpyMatrix {
            let count = rows * columns, size = element.rawValue
            var values = [Float](repeating: 0, count: count)
            for i in 0..<count {
                var bits: UInt64 = 0
                for j in 0..<size {
                    let byte = UInt64(bytes[start + i * size + j])
                    bits |= byte << (8 * (bigEndian ? size - 1 - j : j))
                }
                switch element {
                case .float16: values[i] = Float(Float16(bitPattern: UInt16(bits)))
                case .float32: values[i] = Float(bitPattern: UInt32(bits))
                case .float64: values[i] = Float(Double(bitPattern: bits))
                }
            }
            guard fortranOrder else { return NpyMatrix(rows: rows, columns: columns, values: values) }
            return NpyMatrix(rows: columns, columns: rows, values: values).transposed
        }
    }

    /// The layout the header in `prefix` (the file's first bytes, the whole header included
    /// when the file holds it) declares, checked against `fileSize`.
    static func layout(prefix bytes: [UInt8], fileSize: Int, path: String) throws(NpyError) -> Layout {
        guard bytes.count >= 10, Array(bytes[0..<6]) == Self.magic else {
            throw .malformed(path: path, reason: "missing the \\x93NUMPY magic")
        }
        let major = bytes[6]
        let headerStart: Int, headerLength: Int
        switch major {
        case 1:
            headerStart = 10
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        case 2, 3:
            guard bytes.count >= 12 else { throw .malformed(path: path, reason: "truncated header") }
            headerStart = 12
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
        default:
            throw .unsupported(path: path, reason: "unknown .npy format version \(major)")
        }
        guard headerLength <= Self.maximumHeaderLength, headerStart + headerLength <= bytes.count else {
            throw .malformed(path: path, reason: "header length \(headerLength) does not fit the file")
        }
        guard let text = String(bytes: bytes[headerStart..<headerStart + headerLength], encoding: .ascii) else {
            throw .malformed(path: path, reason: "header is not ASCII")
        }
        let header: NpyHeader
        do { header = try NpyHeader(parsing: text) } catch { throw .malformed(path: path, reason: error.reason) }
        let descr = Array(header.descr.utf8)
        guard descr.count == 3, [UInt8(ascii: "<"), UInt8(ascii: ">")].contains(descr[0]), descr[1] == UInt8(ascii: "f"),
            let element = Layout.Element(rawValue: Int(descr[2]) - 0x30)
        else {
            throw .unsupported(path: path, reason: "dtype '\(header.descr)' is not float16, float32 or float64")
        }
        let shape = header.shape
        guard shape.count >= 2, shape.dropLast(2).allSatisfy({ $0 == 1 }) else {
            let dimensions = shape.map(String.init).joined(separator: ", ")
            throw .unsupported(path: path, reason: "expected a 2-D array (frames, bins), got a \(shape.count)-D array of shape (\(dimensions))")
        }
        let (rows, columns) = (shape[shape.count - 2], shape[shape.count - 1])
        let dataStart = headerStart + headerLength
        // Sizes in overflow-reporting arithmetic: a hostile shape's byte count may not fit an
        // Int even when its element count does.
        let (count, countOverflow) = rows.multipliedReportingOverflow(by: columns)
        let size = element.rawValue
        let (dataBytes, bytesOverflow) = count.multipliedReportingOverflow(by: size)
        guard !countOverflow, !bytesOverflow, dataBytes == fileSize - dataStart else {
            let needed = countOverflow || bytesOverflow ? "too many" : String(dataBytes)
            throw .malformed(path: path, reason: "shape (\(rows), \(columns)) needs \(needed) data bytes, the file has \(fileSize - dataStart)")
        }
        return Layout(
            element: element, bigEndian: descr[0] == UInt8(ascii: ">"), fortranOrder: header.fortranOrder,
            rows: rows, columns: columns, dataStart: dataStart)
    }

    /// The file's bytes: format 1.0, '<f4', C order, header padded to 64 bytes as NumPy does.
    public var npyBytes: [UInt8] {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(rows), \(columns)), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var bytes = Self.magic + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)]
        bytes += Array(header.utf8)
        bytes.reserveCapacity(bytes.count + 4 * values.count)
        for v in values {
            let b = v.bitPattern
            bytes += [UInt8(b & 0xFF), UInt8(b >> 8 & 0xFF), UInt8(b >> 16 & 0xFF), UInt8(b >> 24)]
        }
        return bytes
    }

    /// Writes the array to `path` through OutputFile (never a partial or clobbered file).
    public func write(to path: String) throws(NpyError) {
        do { try OutputFile.write(npyBytes, to: path) } catch { throw .cannotWrite(path: path, reason: error.reason) }
    }
}

/// The dict literal of a .npy header, e.g. `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 257), }`.
struct NpyHeader {
    struct ParseError: Error { let reason: String }

    var descr = ""
    var fortranOrder = false
    var shape: [Int] = []

    /// A small recursive-descent parser for exactly the literals NumPy writes: a dict of
    /// quoted string keys to a quoted string, True/False, or a tuple of non-negative integers.
    init(parsing text: String) throws(ParseError) {
        var scanner = Scanner(Array(text.utf8))
        try scanner.expect(UInt8(ascii: "{"))
        var seen = Set<String>()
        while true {
            scanner.skipSpaces()
            if scanner.take(UInt8(ascii: "}")) { break }
            let key = try scanner.quoted()
            guard seen.insert(key).inserted else { throw ParseError(reason: "key '\(key)' appears twice") }
            try scanner.expect(UInt8(ascii: ":"))
            switch key {
            case "descr": descr = try scanner.quoted()
            case "fortran_order": fortranOrder = try scanner.boolean()
            case "shape": shape = try scanner.tuple()
            default: throw ParseError(reason: "unexpected header key '\(key)'")
            }
            scanner.skipSpaces()
            if scanner.take(UInt8(ascii: ",")) { continue }
            try scanner.expect(UInt8(ascii: "}"))
            break
        }
        guard seen == ["descr", "fortran_order", "shape"] else {
            throw ParseError(reason: "header needs 'descr', 'fortran_order' and 'shape'")
        }
        scanner.skipSpaces()
        guard scanner.atEnd else { throw ParseError(reason: "unexpected text after the header dict") }
    }

    struct Scanner {
        let bytes: [UInt8]
        var position = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { position >= bytes.count }

        mutating func skipSpaces() {
            while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x0A { position += 1 }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            skipSpaces()
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
            return true
        }

        mutating func expect(_ byte: UInt8) throws(ParseError) {
            guard take(byte) else { throw ParseError(reason: "expected '\(Character(UnicodeScalar(byte)))' at byte \(position)") }
        }

        mutating func quoted() throws(ParseError) -> String {
            skipSpaces()
            guard position < bytes.count, bytes[position] == 0x27 || bytes[position] == 0x22 else {
                throw ParseError(reason: "expected a quoted string at byte \(position)")
            }
            let quote = bytes[position]
            position += 1
            let start = position
            while position < bytes.count, bytes[position] != quote { position += 1 }
            guard position < bytes.count, position - start <= 64 else { throw ParseError(reason: "unterminated or overlong string") }
            position += 1
            return String(decoding: bytes[start..<position - 1], as: UTF8.self)
        }

        mutating func boolean() throws(ParseError) -> Bool {
            skipSpaces()
            for (word, value) in [("True", true), ("False", false)] {
                let w = Array(word.utf8)
                if position + w.count <= bytes.count, Array(bytes[position..<position + w.count]) == w {
                    position += w.count
                    return value
                }
            }
            throw ParseError(reason: "expected True or False at byte \(position)")
        }

        /// `(a, b, ...)` of non-negative integers below 2^40, with an optional trailing comma.
        mutating func tuple() throws(ParseError) -> [Int] {
            try expect(UInt8(ascii: "("))
            var values: [Int] = []
            while true {
                if take(UInt8(ascii: ")")) { return values }
                guard values.count < 8 else { throw ParseError(reason: "too many dimensions") }
                skipSpaces()
                var value = 0, digits = 0
                while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 {
                    value = value * 10 + Int(bytes[position] - 0x30)
                    digits += 1
                    position += 1
                    guard digits <= 12 else { throw ParseError(reason: "dimension too large") }
                }
                guard digits > 0 else { throw ParseError(reason: "expected a dimension at byte \(position)") }
                values.append(value)
                if take(UInt8(ascii: ",")) { continue }
                try expect(UInt8(ascii: ")"))
                return values
            }
        }
    }
}
