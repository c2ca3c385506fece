import Foundation
import RephaseCore

/// One simulated run as the `sim` command reports it: cycles on a target, memory and accuracy.
public struct SimulationReport {
    public var method: String
    public var format: String
    public var hop: Int
    public var sampleRate: Int
    public var cycles: CycleStatistics
    public var memory: MemoryFootprint
    /// SNR of this run's output against the Float32 build of the same method (nil for f32).
    public var snrVersusFloat32: Double?
    /// SNR against a float64 build of the same method: none exists (the core is Float32), so nil.
    public var snrVersusFloat64: Double?

    public init(
        method: String, format: String, hop: Int, sampleRate: Int, cycles: CycleStatistics, memory: MemoryFootprint,
        snrVersusFloat32: Double?, snrVersusFloat64: Double?
    ) {
        self.method = method
        self.format = format
        self.hop = hop
        self.sampleRate = sampleRate
        self.cycles = cycles
        self.memory = memory
        self.snrVersusFloat32 = snrVersusFloat32
        self.snrVersusFloat64 = snrVersusFloat64
    }

    /// The JSON object of `sim --json` (cycles per frame and per stage, budget, memory, plus method, format, hop,
    /// sample_rate and accuracy); unknown values are null.
    public var jsonObject: [String: Any] {
        func summary(_ s: CycleStatistics.Summary) -> [String: Any] { ["mean": s.mean, "max": s.max] }
        func optional(_ value: (some Any)?) -> Any { value.map { $0 as Any } ?? NSNull() }
        func finite(_ value: Double?) -> Any { value.map { $0.isFinite ? $0 as Any : NSNull() } ?? NSNull() }
        var kernels: [String: Any] = [:], instructions: [String: Any] = [:]
        for stage in 0..<Kernel.count {
            kernels["\(Kernel.at(stage).name)"] = cycles.kernels[stage].mean
            instructions["\(Kernel.at(stage).name)"] = cycles.kernelInstructions[stage]
        }
        return [
            "method": method, "format": format, "target": cycles.profile.name, "clock_hz": cycles.profile.clockHz,
            "hop": hop, "sample_rate": sampleRate, "frames": cycles.frames,
            "cycles_per_frame": summary(cycles.total),
            "budget_percent": [
                "mean": cycles.budgetPercent(cycles.total.mean), "max": cycles.budgetPercent(cycles.total.max),
            ],
            "kernels": kernels,
            "kernel_instructions": instructions,
            "memory": [
                "ram_bytes": memory.ramBytes, "scratch_bytes": optional(memory.scratchBytes),
                "flash_bytes": optional(memory.flashBytes),
            ],
            "accuracy": ["snr_vs_f32_db": finite(snrVersusFloat32), "snr_vs_f64_db": finite(snrVersusFloat64)],
        ]
    }

    /// `jsonObject` as one line of JSON, keys sorted.
    public var json: String {
        let data = try! JSONSerialization.data(withJSONObject: jsonObject, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// The human-readable report: one row per stage that did any work, then the total, memory
    /// and accuracy.
    public var table: String {
        let profile = cycles.profile
        var lines = [
            "\(method) (\(format)) on \(profile.name) at \(megahertz(profile.clockHz)) MHz: \(cycles.frames) frames, "
                + "hop \(hop) at \(sampleRate) Hz = \(grouped(cycles.budgetCycles)) cycles per hop",
            pad("stage", 14) + padLeft("mean cycles", 14) + padLeft("max cycles", 14) + padLeft("mean %", 10) + padLeft("max %", 10),
        ]
        func row(_ name: String, _ s: CycleStatistics.Summary) -> String {
            pad(name, 14) + padLeft(grouped(s.mean), 14) + padLeft(grouped(s.max), 14)
                + padLeft(percent(cycles.budgetPercent(s.mean)), 10) + padLeft(percent(cycles.budgetPercent(s.max)), 10)
        }
        for stage in 0..<Kernel.count where cycles.kernels[stage].max > 0 {
            lines.append(row("\(Kernel.at(stage).name)", cycles.kernels[stage]))
        }
        lines.append(row("total", cycles.total))
        let scratch = memory.scratchBytes.map { "\(grouped(Double($0))) B" } ?? "unknown"
        let flash = memory.flashBytes.map { "\(grouped(Double($0))) B" } ?? "unknown"
        lines.append("memory: RAM \(grouped(Double(memory.ramBytes))) B (scratch \(scratch) of it), flash tables \(flash)")
        func db(_ value: Double?) -> String { value.map { String(format: "%.1f dB", $0) } ?? "n/a" }
        lines.append("accuracy: SNR vs f32 \(db(snrVersusFloat32)), vs f64 \(db(snrVersusFloat64))")
        return lines.joined(separator: "\n")
    }
}

func megahertz(_ hz: Double) -> String { String(format: "%g", hz / 1e6) }
func percent(_ value: Double) -> String { String(format: "%.1f", value) }
func pad(_ text: String, _ width: Int) -> String { text.padding(toLength: max(width, text.count), withPad: " ", startingAt: 0) }
func padLeft(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }

/// A count rounded to an integer, with thousands separated by commas. A value no Int holds
/// (non-finite, or beyond 2^63) is printed as it is rather than trapping.
func grouped(_ value: Double) -> String {
    guard let whole = Int(exactly: value.rounded()) else { return "\(value)" }
    let digits = String(whole)
    var out = ""
    for (i, c) in digits.reversed().enumerated() {
        if i > 0, i % 3 == 0, c != "-" { out.append(",") }
        out.append(c)
    }
    return String(out.reversed())
}
