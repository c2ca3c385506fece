/// The simulator's hook into the core: each kernel reports, once per call, the operations its
/// loops execute (an OperationMix computed from its sizes, never by counting inside the
/// loops), charged to a stage (Kernel). The host build of the core is compiled with
/// REPHASE_COUNT_OPERATIONS (Package.swift) and adds the mix to a global tally that
/// RephaseSim reads and clears around each frame. Firmware and the Embedded check compile
/// without it: `record` is then empty and inlined away, together with the mix it was given.
///
/// The tally is one process-wide variable, not synchronised: read it only where a single
/// thread runs the core (the simulator's command). Concurrent inverters on other threads
/// would add their operations to it, never crash it.
package enum OperationCounter {
    #if REPHASE_COUNT_OPERATIONS
    /// Operations per stage and class since the last `clear()`, [stage][class] row-major:
    /// Kernel.count x OperationClass.count (a literal, as InlineArray needs; a test checks it).
    nonisolated(unsafe) static var tally = InlineArray<132, Int>(repeating: 0)

    /// Whether `record` adds to the tally: only while the simulator traces (OperationTrace sets
    /// it around its frames). Otherwise a host inverter pays one predictable branch per kernel
    /// call instead of computing a mix nobody reads (5 % of RTISI-LA's time in perf).
    package nonisolated(unsafe) static var isRecording = false
    #endif

    /// Whether this build counts (false in firmware: `record` does nothing there).
    package static var isCounting: Bool {
        #if REPHASE_COUNT_OPERATIONS
        true
        #else
        false
        #endif
    }

    /// Adds `mix` to `kernel`'s tally. The mix is an autoclosure so that firmware never
    /// evaluates it: the functions that compute mixes use trapping arithmetic, which the
    /// optimiser may not delete as dead code, so a plain argument stayed in every kernel.
    @inline(__always)
    package static func record(_ kernel: Kernel, _ mix: @autoclosure () -> OperationMix) {
        #if REPHASE_COUNT_OPERATIONS
        if isRecording { add(mix, to: kernel) }
        #endif
    }

    #if REPHASE_COUNT_OPERATIONS
    /// The host's half of `record`, out of line: with the mix computed inline, the network
    /// kernels grew past the inliner's limit and ran 24 % more instructions (cachegrind).
    /// Writing through a span updates the tally in place; `tally[i] &+= x` on the global
    /// copied the whole array for every element.
    @inline(never)
    static func add(_ mix: () -> OperationMix, to kernel: Kernel) {
        let mix = mix()
        let row = kernel.rawValue * OperationClass.count
        var counts = tally.mutableSpan
        for c in 0..<OperationClass.count { counts[row + c] &+= mix[OperationClass(rawValue: c)!] }
    }
    #endif

    /// The operations charged to `kernel` since the last `clear()` (all zero without counting).
    package static func operations(of kernel: Kernel) -> OperationMix {
        #if REPHASE_COUNT_OPERATIONS
        let row = kernel.rawValue * OperationClass.count
        return OperationMix { tally[row + $0.rawValue] }
        #else
        return OperationMix()
        #endif
    }

    /// Zeroes every tally.
    package static func clear() {
        #if REPHASE_COUNT_OPERATIONS
        tally = .init(repeating: 0)
        #endif
    }
}
