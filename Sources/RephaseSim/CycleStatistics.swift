import RephaseCore

/// Cycles per frame on one target: per stage and in total, mean and maximum over the frames,
/// and the share of the real-time budget (the cycles one hop period lasts at the clock).
public struct CycleStatistics {
    public struct Summary: Equatable {
        public var mean: Double
        public var max: Double

        public init(mean: Double, max: Double) {
            self.mean = mean
            self.max = max
        }
    }

    public var profile: TargetProfile
    public var frames: Int
    /// Cycles the target has per hop: clock * hop / sample rate.
    public var budgetCycles: Double
    public var total: Summary
    /// Per stage, in Kernel order.
    public var kernels: [Summary]
    /// Instructions per frame per stage (mean, Kernel order) that the formulas stand for
    /// (OperationMix.instructions), whatever the profile: for comparison with an emulator.
    public var kernelInstructions: [Double]

    public init(_ trace: OperationTrace, profile: TargetProfile, hop: Int, sampleRate: Int) {
        self.profile = profile
        frames = trace.frames.count
        budgetCycles = profile.budgetCycles(hop: hop, sampleRate: sampleRate)
        let perFrame = trace.frames.map { $0.map(profile.cycles) }
        func summary(_ values: [Double]) -> Summary {
            Summary(mean: values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count), max: values.max() ?? 0)
        }
        total = summary(perFrame.map { $0.reduce(0, +) })
        kernels = (0..<Kernel.count).map { stage in summary(perFrame.map { $0[stage] }) }
        kernelInstructions = (0..<Kernel.count).map { stage in
            summary(trace.frames.map { Double($0[stage].instructions) }).mean
        }
    }

    /// `cycles` as a percentage of the budget: 100 is the whole hop period.
    public func budgetPercent(_ cycles: Double) -> Double {
        cycles / budgetCycles * 100
    }
}
