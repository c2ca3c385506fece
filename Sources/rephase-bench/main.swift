#if canImport(Glibc)
import Glibc
#endif

/// rephase-bench: speed of the core's kernels, each section with a reference measured in the
/// same run, so that its ratios survive a noisy machine. Build in release mode:
///     swift run -c release rephase-bench [--quick] [--markdown | --json] [--only fft|solver|inverter|mel]
let options: BenchmarkOptions
do {
    options = try BenchmarkOptions(arguments: Array(CommandLine.arguments.dropFirst()))
} catch {
    let message = "rephase-bench: \(error)\n\(BenchmarkOptions.usage)\n"
    _ = message.withCString { write(STDERR_FILENO, $0, strlen($0)) }
    exit(2)
}

let sections = BenchmarkOptions.Section.allCases.filter(options.runs)
var report = BenchmarkReport()
if options.style != .json {
    print("Build: \(BenchmarkReport.build) (Package.swift: \"avx2\" where it compiled for the machine's AVX2)\n")
}
for (i, section) in sections.enumerated() {
    if i > 0 && options.style != .json { print() }
    switch section {
    case .fft: FFTBenchmark(sizes: [256, 512, 1024], rounds: options.rounds, style: options.style).run(into: &report)
    case .solver: SolverBenchmark(rounds: options.rounds, style: options.style).run(into: &report)
    case .inverter: InverterBenchmark(rounds: options.rounds, style: options.style).run(into: &report)
    case .mel: MelBenchmark(rounds: options.rounds, style: options.style).run(into: &report)
    }
}
if options.style == .json { print(report.json) }
