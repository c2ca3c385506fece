/// Large generated tables are written as rows (`InlineArray<Rows, InlineArray<Columns, T>>`,
/// the last row padded with zeros) because Swift's optimiser takes time superlinear in the
/// length of one array literal: MCNN's 54,666 weights in one literal took 43 s of `swiftc -O`,
/// in rows of 1024 8 s (Tools/mcnn/export.py). InlineArray lays its elements out back to back,
/// so the rows are one flat table in memory, which is how the kernels read it.
enum ChunkedTable {
    /// Runs `body` on the first `count` elements of `rows` read as one flat table of `Element`s,
    /// a type of the stored one's size: a table stores Float16 weights as their UInt16 bit
    /// patterns (MCNNWeights says why) and is read as Float16.
    static func withFlat<let Columns: Int, Stored: BitwiseCopyable, Element: BitwiseCopyable, Result>(
        _ rows: Span<InlineArray<Columns, Stored>>, as _: Element.Type, count: Int, _ body: (Span<Element>) -> Result
    ) -> Result {
        precondition(MemoryLayout<Stored>.stride == MemoryLayout<Element>.stride && count <= rows.count * Columns,
                     "ChunkedTable: the table does not hold its layout")
        return rows.withUnsafeBytes { bytes in
            bytes.withMemoryRebound(to: Element.self) { flat in body(flat.extracting(0..<count).span) }
        }
    }
}
