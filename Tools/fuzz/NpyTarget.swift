/// libFuzzer target: the .npy parser. Whatever it accepts must be self-consistent.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNpy(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let matrix = try? NpyMatrix(bytes: bytes, path: "fuzz.npy") {
        precondition(matrix.values.count == matrix.rows * matrix.columns && 4 * matrix.values.count <= size)
    }
    return 0
}
