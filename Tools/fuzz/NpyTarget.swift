/// libFuzzer target: the .npy parser. Whatever it accepts must be self-consistent.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNpy(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let matrix = try? NpyMatrix(bytes: bytes, path: "fuzz.npy") {
        // Every value was read from the file: at least 2 bytes each (float16 is the smallest type).
        precondition(matrix.values.count == matrix.rows * matrix.columns && 2 * matrix.values.count <= size)
    }
    return 0
}
