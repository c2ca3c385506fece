/// Large generated tables are written as rows (`InlineArray<Rows, InlineArray<Columns, T>>`,
/// the last row padded with zeros) because Swift's optimiser takes time superlinear in the
/// length of one array literal: MCNN's 54,666 weights in one literal took 43 s of `swiftc -O`,
/// in rows of 1024 8 s (Tools/mcnn/export.py). InlineArray lays its elements out back to back,
/// so the rows are one flat table in memory, which is how the kernels read it.
///
/// The tables are `static var`s placed in a read-only section (`@section`, which also makes
/// the compiler initialise them statically) and read through their address, never written:
/// the span of a `static let` InlineArray whose pointer reaches a call the optimiser does not
/// inline is taken of a copy on the stack (its SIL loads the global and stores it to a
/// temporary), which put a 221 kB copy on the Cortex-M4's stack every frame.
enum ChunkedTable {
    /// Runs `body` on the first `count` elements of `table` read in place as one flat table of
    /// `Element`s, a type of the stored one's size: a table stores Float16 weights as their
    /// UInt16 bit patterns (MCNNWeights says why) and is read as Float16.
    static func withFlat<let Rows: Int, let Columns: Int, Stored: BitwiseCopyable, Element: BitwiseCopyable, Result>(
        _ table: inout InlineArray<Rows, InlineArray<Columns, Stored>>, as _: Element.Type, count: Int,
        _ body: (Span<Element>) -> Result
    ) -> Result {
        precondition(MemoryLayout<Stored>.stride == MemoryLayout<Element>.stride && count <= Rows * Columns,
                     "ChunkedTable: the table does not hold its layout")
        return withUnsafePointer(to: &table) { pointer in
            UnsafeRawPointer(pointer).withMemoryRebound(to: Element.self, capacity: count) { start in
                body(UnsafeBufferPointer(start: start, count: count).span)
            }
        }
    }
}
