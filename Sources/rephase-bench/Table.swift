/// How the results are printed: aligned text for a terminal, Markdown for documents, or
/// one JSON object at the end (BenchmarkReport) instead of any table.
enum TableStyle {
    case text, markdown, json
}

/// Prints one benchmark section: its title (what is measured), then a table. As text, the
/// first column (the row's name) is left-aligned and the numbers right-aligned, each column
/// as wide as its widest cell; as Markdown, the title is a bold line and the table a pipe
/// table with the same alignment, followed by an empty line.
func printTable(_ title: String, header: [String], rows: [[String]], style: TableStyle = .text) {
    for row in rows {
        precondition(row.count == header.count, "printTable: a row has the wrong number of cells")
    }
    switch style {
    case .json:
        return
    case .text:
        var widths = header.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let fill = String(repeating: " ", count: widths[i] - cell.count)
                return i == 0 ? cell + fill : fill + cell
            }.joined(separator: "  ")
        }
        print(title)
        print(line(header))
        for row in rows { print(line(row)) }
    case .markdown:
        func line(_ cells: [String]) -> String { "| " + cells.joined(separator: " | ") + " |" }
        print("**\(title)**\n")
        print(line(header))
        print(line(header.indices.map { $0 == 0 ? ":---" : "---:" }))
        for row in rows { print(line(row)) }
        print()  // ends the table: a following line of text is not one of its rows
    }
}

/// `x` rounded to `digits` decimals, written out in full (no exponent): "1653", "4.82".
func format(_ x: Double, digits: Int = 0) -> String {
    guard x.isFinite else { return "\(x)" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = Int((x * scale).rounded())
    guard digits > 0 else { return "\(scaled)" }
    var magnitude = String(scaled.magnitude)
    if magnitude.count <= digits {
        magnitude = String(repeating: "0", count: digits + 1 - magnitude.count) + magnitude
    }
    magnitude.insert(".", at: magnitude.index(magnitude.endIndex, offsetBy: -digits))
    return (scaled < 0 ? "-" : "") + magnitude
}

/// A ratio such as a speed-up or a real-time factor, with a trailing "x" and about three
/// significant digits: "0.215x", "4.82x", "37.5x", "1234x".
func formatRatio(_ x: Double) -> String {
    let digits = x >= 100 ? 0 : x >= 10 ? 1 : x >= 1 ? 2 : 3
    return format(x, digits: digits) + "x"
}
