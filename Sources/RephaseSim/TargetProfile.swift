import RephaseCore

/// A processor the simulator prices the core's operations for: its clock and the cycles one
/// operation of each OperationMix class costs, each cost with the source it comes from.
///
/// Costs are issue costs of a straightforward instruction stream (no cache misses, no wait
/// states, no stalls on results). A core that issues two simple instructions per cycle is
/// modelled by `pairedFraction`: the share of the simple classes (everything but division and
/// square root) assumed to pair with a neighbour, each paired instruction costing half.
public struct TargetProfile: Sendable {
    public var name: String
    public var clockHz: Double
    /// Cycles per operation, indexed by OperationClass's raw values.
    public var costs: [Double]
    /// Where each cost comes from, indexed like `costs`.
    public var citations: [String]
    /// Share of simple instructions that dual-issue (0 on a single-issue core), and why.
    public var pairedFraction: Double
    public var pairingCitation: String

    /// Whether operations of class `c` can dual-issue: all but the iterative dividers and the
    /// square root.
    static func pairs(_ c: OperationClass) -> Bool {
        c != .divide && c != .floatDivide && c != .floatSquareRoot
    }

    /// The cycles one operation of class `c` costs, each cited in `citations`.
    package func cost(of c: OperationClass) -> Double { costs[c.rawValue] }

    /// Where the cost of class `c` comes from.
    package func citation(of c: OperationClass) -> String { citations[c.rawValue] }

    /// The effective cycles of one operation of class `c`, pairing included.
    package func effectiveCost(of c: OperationClass) -> Double {
        cost(of: c) * (1 - (Self.pairs(c) ? pairedFraction : 0) / 2)
    }

    /// Cycles of `mix` on this target: sum over classes of count times effective cost.
    package func cycles(_ mix: OperationMix) -> Double {
        var total = 0.0
        for c in OperationClass.allCases { total += Double(mix[c]) * effectiveCost(of: c) }
        return total
    }

    /// Cycles available per hop of `hop` samples at `sampleRate`: the real-time budget.
    public func budgetCycles(hop: Int, sampleRate: Int) -> Double {
        clockHz * Double(hop) / Double(sampleRate)
    }
}

extension TargetProfile {
    /// Every profile, by name.
    public static let all = [cortexM4F, cortexM7, cortexA53]

    /// The profile called `name`, or nil.
    public static func named(_ name: String) -> TargetProfile? {
        all.first { $0.name == name }
    }

    /// STM32F4-class Cortex-M4 with the single-precision FPU at 168 MHz.
    public static let cortexM4F: TargetProfile = {
        let trm = "ARM Cortex-M4 TRM (DDI 0439) instruction timings, as listed in docs/ANCHORS.md"
        let fpu = "ARM Cortex-M4 TRM, FPU instruction timings (docs/ANCHORS.md)"
        return TargetProfile(
            name: "cortex-m4f", clockHz: 168e6,
            costs: [1, 1, 1, 12, 1.5, 1, 3, 1, 1, 2, 14, 14],
            citations: [
                "\(trm): ADD/SUB/shift/logic 1",
                "\(trm): MUL/MLA/SMLABB 1",
                "\(trm): SMLAD 1",
                "\(trm): SDIV 2-12, worst case charged",
                "\(trm): LDR 2, pipelined to 1 behind another load (N back-to-back loads take N + 1): 1.5, the kernels' loads coming in pairs",
                "\(trm): STR 1",
                "\(trm): taken branch 1+P, P = 1-3; P = 2 charged",
                "\(fpu): VADD.F32/VCMP/VCVT/VABS 1",
                "\(fpu): VMUL.F32 1",
                "\(fpu): VMUL.F32 1 + VADD.F32 1: Swift does not fuse a * b + c (which keeps the boards' bits the host's), so a multiply-add is two instructions; the firmware holds no VFMA.F32 (3)",
                "\(fpu): VDIV.F32 14",
                "\(fpu): VSQRT.F32 14",
            ],
            pairedFraction: 0, pairingCitation: "single issue (Cortex-M4 TRM: 3-stage in-order pipeline)")
    }()

    /// STM32H7-class Cortex-M7 with the FPv5 FPU at 480 MHz, code and data in TCM or cache.
    public static let cortexM7: TargetProfile = {
        let trm = "ARM Cortex-M7 TRM (DDI 0489) gives no cycle table; measured issue costs on an STM32H7 at 480 MHz, quinapalus.com/cm7cycles.html"
        return TargetProfile(
            name: "cortex-m7", clockHz: 480e6,
            costs: [1, 1, 1, 12, 1, 1, 1, 1, 1, 2, 14, 14],
            citations: [
                "\(trm): ALU 1",
                "\(trm): MUL/MLA 1 (pipelined)",
                "\(trm): SMLAD 1 (pipelined)",
                "Cortex-M7 TRM: SDIV 2-12, worst case charged",
                "\(trm): LDR 1 from TCM or cache (64-bit bus, pipelined)",
                "\(trm): STR 1",
                "\(trm): predicted taken branch 1 (branch target cache)",
                "\(trm): VADD.F32 1 (pipelined, latency 3)",
                "\(trm): VMUL.F32 1 (pipelined, latency 3)",
                "\(trm): VMUL.F32 1 + VADD.F32 1 (pipelined): Swift does not fuse a * b + c, so a multiply-add is two instructions",
                "FPv5 single precision: VDIV.F32 14 (not pipelined)",
                "FPv5 single precision: VSQRT.F32 14 (not pipelined)",
            ],
            pairedFraction: 0.5,
            pairingCitation: "dual issue (Cortex-M7 TRM: 6-stage superscalar); modelled as half of the simple instructions pairing, an assumption: quinapalus.com/cm7cycles.html lists which pairs dual-issue")
    }()

    /// A Cortex-A53 at 1.2 GHz (Raspberry Pi 3 class), scalar code: NEON is not assumed.
    public static let cortexA53: TargetProfile = {
        let trm = "ARM Cortex-A53 TRM (DDI 0500): in-order, dual-issue, 8-stage; ARM publishes no A53 timing table, so issue costs follow the Cortex-A55 Software Optimization Guide (same in-order dual-issue design)"
        return TargetProfile(
            name: "cortex-a53", clockHz: 1.2e9,
            costs: [1, 1, 2, 12, 1, 1, 1, 1, 1, 2, 10, 12],
            citations: [
                "\(trm): ALU 1",
                "\(trm): MUL/MADD 1 (pipelined)",
                "\(trm): no SMLAD in AArch64: two MADD",
                "\(trm): SDIV up to 12",
                "\(trm): LDR 1 on an L1 hit",
                "\(trm): STR 1",
                "\(trm): predicted branch 1",
                "\(trm): FADD 1 (pipelined)",
                "\(trm): FMUL 1 (pipelined)",
                "\(trm): FMUL 1 + FADD 1 (pipelined): Swift does not fuse a * b + c (the AArch64 object holds no FMADD), so a multiply-add is two instructions",
                "\(trm): FDIV (single) 10",
                "\(trm): FSQRT (single) 12",
            ],
            pairedFraction: 0.5,
            pairingCitation: "dual issue (Cortex-A53 TRM); modelled as half of the simple instructions pairing, an assumption")
    }()
}
