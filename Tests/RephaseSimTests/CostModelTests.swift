import RephaseCore
import RephaseSim
import Testing

/// The cost model's arithmetic and the profiles' consistency.
@Suite struct CostModelTests {
    @Test func cyclesAreCountsTimesCosts() {
        let m4 = TargetProfile.cortexM4F
        // One operation of each class: the sum of the M4's costs, which pairs nothing.
        let one = OperationMix(
            integer: 1, multiply: 1, dualMultiply: 1, divide: 1, load: 1, store: 1, branch: 1, floatAdd: 1,
            floatMultiply: 1, floatMultiplyAdd: 1, floatDivide: 1, floatSquareRoot: 1)
        let m4Costs: [Double] = [1, 1, 1, 12, 1.5, 1, 3, 1, 1, 2, 14, 14]
        #expect(m4.cycles(one) == m4Costs.reduce(0, +))
        #expect(m4.cycles(OperationMix(load: 10, floatMultiplyAdd: 4)) == 10 * 1.5 + 4 * 2)
        #expect(m4.cycles(OperationMix()) == 0)
        // Each class reads its own property.
        for c in OperationClass.allCases {
            let mix = OperationMix { $0 == c ? 7 : 0 }
            #expect(mix[c] == 7 && OperationClass.allCases.allSatisfy { $0 == c || mix[$0] == 0 }, "\(c)")
        }
    }

    @Test func pairingHalvesOnlyThePairedShareOfSimpleClasses() {
        let m7 = TargetProfile.cortexM7
        // Half the simple instructions pair, each paired one costing half: 3/4 cycle each.
        #expect(m7.cycles(OperationMix(integer: 4)) == 3)
        #expect(m7.cycles(OperationMix(floatDivide: 2)) == 28)
    }

    @Test func profilesAreComplete() {
        #expect(Set(TargetProfile.all.map(\.name)) == ["cortex-m4f", "cortex-m7", "cortex-a53"])
        #expect(OperationClass.allCases.count == OperationClass.count)
        for profile in TargetProfile.all {
            #expect(profile.costs.count == OperationClass.count, "\(profile.name)")
            #expect(profile.citations.count == OperationClass.count, "\(profile.name)")
            #expect(profile.costs.allSatisfy { $0 > 0 }, "\(profile.name)")
            #expect(profile.citations.allSatisfy { !$0.isEmpty }, "\(profile.name)")
            #expect(profile.pairedFraction >= 0 && profile.pairedFraction <= 1)
            #expect(TargetProfile.named(profile.name)?.clockHz == profile.clockHz)
        }
        #expect(TargetProfile.named("cortex-m0") == nil)
        #expect(TargetProfile.cortexM4F.clockHz == 168e6 && TargetProfile.cortexM7.clockHz == 480e6
            && TargetProfile.cortexA53.clockHz == 1.2e9)
    }

    /// 8 ms at 168 MHz: 1.344 M cycles (docs/TOOLCHAIN.md's budget arithmetic).
    @Test func budgetIsTheHopPeriodInCycles() {
        #expect(TargetProfile.cortexM4F.budgetCycles(hop: 128, sampleRate: 16_000) == 1_344_000)
        #expect(TargetProfile.cortexM7.budgetCycles(hop: 128, sampleRate: 16_000) == 3_840_000)
    }
}
