import RephaseCore
import RephaseSim
import Testing

/// Mean, maximum and budget share from a hand-made trace (no inverter runs here: the core's
/// tally is process-wide, so exact counts of real runs are tested through the executable).
@Suite struct CycleStatisticsTests {
    /// A trace of two frames: frame 0 spends 100 integer operations in the FFT, frame 1 spends
    /// 300 in the FFT and 100 stores (100 M4 cycles) in the solver.
    static var trace: OperationTrace {
        var first = [OperationMix](repeating: OperationMix(), count: Kernel.count)
        var second = first
        first[Kernel.fft.rawValue] = OperationMix(integer: 100)
        second[Kernel.fft.rawValue] = OperationMix(integer: 300)
        second[Kernel.solver.rawValue] = OperationMix(store: 100)
        return OperationTrace(frames: [first, second], output: [])
    }

    @Test func meanAndMaxPerStageAndInTotal() {
        let stats = CycleStatistics(Self.trace, profile: .cortexM4F, hop: 128, sampleRate: 16_000)
        #expect(stats.frames == 2)
        #expect(stats.kernels[Kernel.fft.rawValue] == .init(mean: 200, max: 300))
        #expect(stats.kernels[Kernel.solver.rawValue] == .init(mean: 50, max: 100))
        #expect(stats.kernels[Kernel.network.rawValue] == .init(mean: 0, max: 0))
        // Totals per frame are 100 and 400: the maximum is of the totals, not a sum of maxima.
        #expect(stats.total == .init(mean: 250, max: 400))
    }

    @Test func budgetPercentIsCyclesOverTheHopPeriod() {
        let stats = CycleStatistics(Self.trace, profile: .cortexM4F, hop: 128, sampleRate: 16_000)
        #expect(stats.budgetCycles == 1_344_000)
        #expect(stats.budgetPercent(1_344_000) == 100)
        #expect(stats.budgetPercent(336_000) == 25)
    }

    @Test func snrOfAScaledCopy() throws {
        let reference: [Float] = [1, -1, 1, -1]
        // An error of 0.1 everywhere: 10 log10(1 / 0.01) = 20 dB.
        let snr = try #require(signalToNoiseRatio(reference.map { $0 * 1.1 }, reference: reference))
        #expect(abs(snr - 20) < 1e-5)
        #expect(signalToNoiseRatio(reference, reference: reference) == .infinity)
        #expect(signalToNoiseRatio(reference, reference: [0, 0, 0, 0]) == nil)
    }
}
