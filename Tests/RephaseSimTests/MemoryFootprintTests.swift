import RephaseCore
import RephaseSim
import Testing

/// Memory comes from the types: RAM is the inverter's size; scratch and flash add up the rows
/// and tables each method's documentation lists (counted here by hand, in Floats and Ints).
@Suite struct MemoryFootprintTests {
    static let k = 257, n = 512
    /// The solver's factor: two rows and droppedPivotCount.
    static let solverBytes = 2 * k * 4 + 8
    /// PhaseGradientInverter's rows (five of K, the spectrum of N) and the integrator's
    /// scratch (five rows of K and the solver).
    static let phaseGradientScratch = (5 * k + n) * 4 + 5 * k * 4 + solverBytes
    /// Float32 FFT tables: 513 Float twiddles, 32 UInt8 bit reversals.
    static let floatTables = 513 * 4 + 32

    @Test func pghi() {
        let inverter = PhaseGradientInverter<512, 128, 257, PGHIEstimator<257>>(
            estimator: PGHIEstimator(frameLength: 512, hop: 128))
        let memory = MemoryFootprint(of: inverter)
        #expect(memory.ramBytes == MemoryLayout<PhaseGradientInverter<512, 128, 257, PGHIEstimator<257>>>.size)
        #expect(memory.scratchBytes == Self.phaseGradientScratch + Self.k * 4)  // + PGHI's tau row
        #expect(memory.flashBytes == Self.floatTables)
    }

    @Test(arguments: [(CNNVariant.causal, CNNPrecision.float32, 4), (.causal, .float16, 2), (.strided, .float32, 4)])
    func cnn(variant: CNNVariant, precision: CNNPrecision, bytesPerWeight: Int) {
        let inverter = PhaseGradientInverter<512, 128, 257, CNNEstimator>(
            estimator: CNNEstimator(variant: variant, precision: precision))
        let memory = MemoryFootprint(of: inverter)
        #expect(memory.ramBytes == MemoryLayout<PhaseGradientInverter<512, 128, 257, CNNEstimator>>.size)
        // Network input (5 rows of 257 at most) and two activation buffers (16 channels of 257,
        // the widest network's).
        #expect(memory.scratchBytes == Self.phaseGradientScratch + (5 * Self.k + 2 * 16 * Self.k) * 4)
        // 2164 weights causal (16 channels), 1496 strided (12 channels; CNNWeights.swift).
        let weights = variant == .causal ? 2164 : 1496
        #expect(memory.flashBytes == Self.floatTables + weights * bytesPerWeight)
    }

    @Test func rtisiLA() {
        let memory = MemoryFootprint(of: RTISILAInverter<512, 128, 257, 8>())
        #expect(memory.ramBytes == MemoryLayout<RTISILAInverter<512, 128, 257, 8>>.size)
        // The segment and the newest frame's window.
        #expect(memory.scratchBytes == 2 * Self.n * 4)
        #expect(memory.flashBytes == Self.floatTables)
    }

    @Test func rtpghi() {
        let memory = MemoryFootprint(of: RTPGHIInverter<512, 128, 257>())
        #expect(memory.ramBytes == MemoryLayout<RTPGHIInverter<512, 128, 257>>.size)
        // Heap (K pairs of Float, K pairs of UInt16, 4 bytes of padding to align its Int count),
        // tau, done flags, spectrum row.
        #expect(memory.scratchBytes == (Self.k * 8 + Self.k * 4 + 4 + 8) + Self.k * 4 + Self.k + Self.n * 4)
    }
}
