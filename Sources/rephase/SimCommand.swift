import ArgumentParser
import Foundation
import RephaseCore
import RephaseSim

/// `rephase sim`: runs the core frame by frame on INPUT and reports what it would cost on a
/// target: cycles per stage and frame (from the operations the core reports, priced by the
/// target's profile), the share of the real-time budget, memory, and accuracy against Float32.
struct SimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "Simulate an online method on a target processor: cycles per frame and stage, real-time budget, memory, accuracy.")

    @Argument(help: "Audio file or .npy of STFT magnitudes (with --mel: of a mel spectrogram), as for invert.")
    var input: String?

    @OptionGroup var methodOptions: MethodOptions

    @OptionGroup var melOptions: MelOptions

    @OptionGroup var melMethodOptions: MelMethodOptions

    @Option(help: "Target profile: \(TargetProfile.all.map(\.name).joined(separator: ", ")).")
    var target = TargetProfile.cortexM4F.name

    @Flag(help: "Print one JSON object instead of the table.")
    var json = false

    @Flag(help: "List the target profiles with their costs per operation class and sources, and exit.")
    var listTargets = false

    func run() throws {
        if listTargets {
            print(TargetProfile.all.map(Self.describe).joined(separator: "\n\n"))
            return
        }
        guard let input else { throw UserError("sim needs an INPUT file (or --list-targets)") }
        guard let profile = TargetProfile.named(target) else {
            throw UserError("unknown target '\(target)'; the profiles are \(TargetProfile.all.map(\.name).joined(separator: ", "))")
        }
        let settings = try methodOptions.settings()
        guard settings.method.isOnline else {
            throw UserError("sim runs the core's online methods; \(settings.method.rawValue) is offline (host only)")
        }
        let mel = try MelInversionSettings.make(input: melOptions.input(), method: settings.method, options: melMethodOptions)
        let magnitudes = try InversionInput(path: input, mel: mel?.input).magnitudes
        /// The run of `settings`, behind the streaming mel stage with --mel.
        func simulate(_ settings: InversionSettings) throws(UserError) -> SimulatedRun.Result {
            let run = SimulatedRun(magnitudes: magnitudes.values, bins: magnitudes.bins)
            guard let mel else { return try settings.withOnlineInverter(run) }
            return try mel.withOnlineInverter(settings, run)
        }
        let run = try simulate(settings)
        var snrVersusFloat32: Double?
        if settings.format != .f32 {
            var reference = settings
            reference.format = .f32
            snrVersusFloat32 = signalToNoiseRatio(run.trace.output, reference: try simulate(reference).trace.output)
        }
        let report = SimulationReport(
            method: settings.method.rawValue, format: settings.format.rawValue, hop: ProductSTFT.hop,
            sampleRate: InversionInput.sampleRate,
            cycles: CycleStatistics(run.trace, profile: profile, hop: ProductSTFT.hop, sampleRate: InversionInput.sampleRate),
            memory: run.memory, snrVersusFloat32: snrVersusFloat32, snrVersusFloat64: nil)
        print(json ? report.json : report.table)
    }

    /// A profile's costs and sources, one class per line.
    static func describe(_ profile: TargetProfile) -> String {
        var lines = ["\(profile.name): \(String(format: "%g", profile.clockHz / 1e6)) MHz; \(profile.pairingCitation)"]
        for c in OperationClass.allCases {
            let name = "\(c)".padding(toLength: 17, withPad: " ", startingAt: 0)
            lines.append("  \(name) \(String(format: "%4g", profile.cost(of: c)))  \(profile.citation(of: c))")
        }
        return lines.joined(separator: "\n")
    }
}

/// Streams magnitudes through whichever inverter the settings build, recording its operations,
/// and accounts its memory.
struct SimulatedRun: InverterVisitor {
    let magnitudes: [Float]
    let bins: Int

    struct Result {
        var trace: OperationTrace
        var memory: MemoryFootprint
    }

    func visit<I: MagnitudeInverter>(_ inverter: inout I) throws(UserError) -> Result {
        do {
            let trace = try OperationTrace.record(&inverter, magnitudes: magnitudes, bins: bins, hop: ProductSTFT.hop)
            return Result(trace: trace, memory: MemoryFootprint(of: inverter))
        } catch {
            throw UserError(error.description)
        }
    }
}
