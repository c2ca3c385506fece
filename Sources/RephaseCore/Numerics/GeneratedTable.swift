/// How the core reads its generated tables (network weights, requantisation constants, ELU
/// tables): in place, from a read-only section, never through a copy.
///
/// The tables are `static var`s placed in read-only sections, one per table
/// (`@section(".rodata.rephase.TYPE.NAME")`, which also makes the compiler initialise them
/// statically, and lets a board's --gc-sections link drop the tables its configuration never
/// reads) and read through their address, never written: the span of a `static let`
/// InlineArray whose pointer reaches a call the optimiser does not inline is taken of a copy
/// on the stack (its SIL loads the global and stores it to a temporary), which put a 221 kB
/// copy of MCNN's weights, and 6 to 14 kB of the CNN's, on the Cortex-M4's stack every frame.
///
/// Large tables are written as rows (`InlineArray<Rows, InlineArray<Columns, T>>`, the last
/// row padded with zeros) because Swift's optimiser takes time superlinear in the length of
/// one array literal: MCNN's 54,666 weights in one literal took 43 s of `swiftc -O`, in rows of
/// 1024 8 s (Tools/mcnn/export.py). InlineArray lays its elements out back to back, so the
/// rows are one flat table in memory, which is how the kernels read it.
enum GeneratedTable {
    /// Runs `body` on `table` read in place.
    @inline(__always)
    static func withSpan<let Count: Int, Element: BitwiseCopyable, Result>(
        _ table: inout InlineArray<Count, Element>, _ body: (Span<Element>) -> Result
    ) -> Result {
        withSpan(&table, as: Element.self, body)
    }

    /// Runs `body` on `table` read in place as `Element`s, a type of the stored one's size
    /// (Float16 tables are stored as their UInt16 bit patterns: a Float16 literal is not a
    /// constant expression, which a read-only-section table must be).
    @inline(__always)
    static func withSpan<let Count: Int, Stored: BitwiseCopyable, Element: BitwiseCopyable, Result>(
        _ table: inout InlineArray<Count, Stored>, as _: Element.Type, _ body: (Span<Element>) -> Result
    ) -> Result {
        precondition(MemoryLayout<Stored>.stride == MemoryLayout<Element>.stride, "GeneratedTable: the element types differ in size")
        return withUnsafePointer(to: &table) { read(UnsafeRawPointer($0), count: Count, body) }
    }

    /// Runs `body` on the first `count` elements of a table of rows read in place as one flat
    /// table of `Element`s, a type of the stored one's size.
    static func withFlat<let Rows: Int, let Columns: Int, Stored: BitwiseCopyable, Element: BitwiseCopyable, Result>(
        _ table: inout InlineArray<Rows, InlineArray<Columns, Stored>>, as _: Element.Type, count: Int,
        _ body: (Span<Element>) -> Result
    ) -> Result {
        precondition(MemoryLayout<Stored>.stride == MemoryLayout<Element>.stride && count <= Rows * Columns,
                     "GeneratedTable: the table does not hold its layout")
        return withUnsafePointer(to: &table) { read(UnsafeRawPointer($0), count: count, body) }
    }

    @inline(__always)
    static func read<Element: BitwiseCopyable, Result>(
        _ start: UnsafeRawPointer, count: Int, _ body: (Span<Element>) -> Result
    ) -> Result {
        start.withMemoryRebound(to: Element.self, capacity: count) { body(UnsafeBufferPointer(start: $0, count: count).span) }
    }
}
