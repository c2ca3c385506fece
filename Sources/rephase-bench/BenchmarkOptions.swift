/// The command line of rephase-bench, parsed by hand (no argument-parser dependency):
///     rephase-bench [--quick] [--markdown | --json] [--only fft|solver|inverter|mel]
struct BenchmarkOptions {
    /// The sections of the benchmark, in the order they run.
    enum Section: String, CaseIterable {
        case fft, solver, inverter, mel
    }

    static let usage = "usage: rephase-bench [--quick] [--markdown | --json] [--only fft|solver|inverter|mel]"

    /// `--quick`: fewer timing rounds, for CI (checks the benchmark runs; the medians are noisier).
    var quick = false
    /// `--markdown`: print the tables as Markdown (for docs/RESULTS.md) instead of aligned
    /// text; `--json`: print one JSON object of every measurement instead (BenchmarkReport).
    var style = TableStyle.text
    /// `--only SECTION`: run that section alone; nil runs them all.
    var only: Section?

    /// Batches per median.
    var rounds: Int { quick ? 5 : 31 }

    func runs(_ section: Section) -> Bool { only == nil || only == section }

    /// A command line the benchmark cannot run; `description` is the one line the user sees.
    struct UsageError: Error, CustomStringConvertible {
        let description: String
    }

    /// Parses the arguments after the program name.
    init(arguments: [String]) throws(UsageError) {
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--quick":
                quick = true
            case "--markdown":
                style = .markdown
            case "--json":
                style = .json
            case "--only":
                let sections = Section.allCases.map(\.rawValue).joined(separator: "|")
                guard let name = rest.popFirst() else {
                    throw UsageError(description: "--only needs a section: \(sections)")
                }
                guard let section = Section(rawValue: name) else {
                    throw UsageError(description: "unknown section '\(name)' for --only (expected \(sections))")
                }
                only = section
            default:
                throw UsageError(description: "unknown option '\(argument)'")
            }
        }
    }
}
