import Testing
@testable import RephaseCore

/// The counter's tally holds one row of every operation class per stage: its size is a
/// literal, which these counts must match. (Recording is exercised by the simulator's tests,
/// which own the process-wide tally while they run.)
@Suite struct OperationCounterTests {
    @Test func tallyHasARowPerStage() {
        #expect(OperationCounter.tally.count == Kernel.count * OperationClass.count)
    }
}
