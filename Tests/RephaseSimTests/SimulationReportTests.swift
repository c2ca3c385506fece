import Testing
@testable import RephaseSim

/// The report's number formatting.
@Suite struct SimulationReportTests {
    @Test func groupedSeparatesThousands() {
        #expect(grouped(0) == "0")
        #expect(grouped(999.4) == "999")
        #expect(grouped(1_234_567.5) == "1,234,568")
        #expect(grouped(-1_234) == "-1,234")
    }

    /// Values no Int holds are printed as they are, not converted (which traps).
    @Test func groupedPrintsValuesBeyondIntAsTheyAre() {
        #expect(grouped(.nan) == "nan")
        #expect(grouped(.infinity) == "inf")
        #expect(grouped(1e300) == "1e+300")
    }
}
