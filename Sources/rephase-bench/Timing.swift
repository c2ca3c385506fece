#if canImport(Glibc)
import Glibc
#endif

/// Median wall-clock nanoseconds per call of `body`. The work runs in `rounds` batches of
/// `calls` calls after one warm-up batch; the median of the per-batch averages is robust to
/// the noise of a shared machine (a few slow batches do not move it). Callers pass `rounds`
/// so that slow kernels can use few batches and `--quick` fewer still.
func medianNanoseconds(rounds: Int, calls: Int, _ body: () -> Void) -> Double {
    precondition(rounds >= 1 && calls >= 1)
    for _ in 0..<calls { body() }
    var perCall = [Double]()
    perCall.reserveCapacity(rounds)
    for _ in 0..<rounds {
        let start = monotonicNanoseconds()
        for _ in 0..<calls { body() }
        perCall.append(Double(monotonicNanoseconds() - start) / Double(calls))
    }
    perCall.sort()
    return perCall[rounds / 2]
}

func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// Chooses a batch size so one batch takes about `targetNanoseconds` (at least one call).
func callsPerBatch(targetNanoseconds: Double = 2_000_000, _ body: () -> Void) -> Int {
    let start = monotonicNanoseconds()
    for _ in 0..<8 { body() }
    let each = max(Double(monotonicNanoseconds() - start) / 8, 1)
    return max(1, Int(targetNanoseconds / each))
}

/// Overwrites `destination` with `source` (same count) without allocating: the refresh of
/// an in-place kernel's input that every timed call does before the kernel itself.
func copy<T>(_ source: [T], into destination: inout [T]) {
    precondition(source.count == destination.count)
    destination.withUnsafeMutableBufferPointer { _ = $0.update(fromContentsOf: source) }
}

/// Uses `value` in a way the optimiser cannot see through, so the work that computed a
/// result nobody reads is still timed.
@_optimize(none)
func blackHole<T>(_ value: T) {}
