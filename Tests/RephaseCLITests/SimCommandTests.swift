import Foundation
import Testing

/// `rephase sim` on the bundled clip: the JSON report's keys, types and internal consistency,
/// and its failures. Each run is its own process, so the core's operation tally is exact.
@Suite struct SimCommandTests {
    static let clip = InvertCommandTests.clip

    static func report(_ arguments: [String]) throws -> [String: Any] {
        let result = try CLI.run(["sim", clip, "--json"] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test func jsonReportIsConsistent() throws {
        let object = try Self.report(["--method", "pghi", "--target", "cortex-m7"])
        #expect(object["method"] as? String == "pghi")
        #expect(object["format"] as? String == "f32")
        #expect(object["target"] as? String == "cortex-m7")
        #expect(object["clock_hz"] as? Double == 480e6)
        #expect(object["frames"] as? Int == 464)
        #expect(object["hop"] as? Int == 128 && object["sample_rate"] as? Int == 16_000)
        let cycles = try #require(object["cycles_per_frame"] as? [String: Double])
        let mean = try #require(cycles["mean"]), max = try #require(cycles["max"])
        #expect(mean > 0 && max >= mean)
        // 100 % is the whole hop period: 480 MHz * 128 / 16 kHz = 3.84 M cycles.
        let budget = try #require(object["budget_percent"] as? [String: Double])
        #expect(abs(try #require(budget["mean"]) - mean / 3_840_000 * 100) < 1e-9)
        #expect(abs(try #require(budget["max"]) - max / 3_840_000 * 100) < 1e-9)
        // The stages add up to the total.
        let kernels = try #require(object["kernels"] as? [String: Double])
        #expect(Set(kernels.keys) == ["fft", "synthesis", "features", "network", "derivatives", "integrator", "solver", "projection", "heap", "mel", "peaks"])
        #expect(abs(kernels.values.reduce(0, +) - mean) <= 1e-9 * mean)
        for stage in ["fft", "synthesis", "derivatives", "integrator", "solver"] {
            #expect(kernels[stage]! > 0, "\(stage) reported nothing")
        }
        #expect(kernels["network"] == 0 && kernels["projection"] == 0)
        let memory = try #require(object["memory"] as? [String: Int])
        let ram = try #require(memory["ram_bytes"]), scratch = try #require(memory["scratch_bytes"])
        #expect(ram > 0 && scratch > 0 && scratch < ram)
        #expect(memory["flash_bytes"] == 2084)
        let accuracy = try #require(object["accuracy"] as? [String: Any])
        #expect(accuracy["snr_vs_f32_db"] is NSNull && accuracy["snr_vs_f64_db"] is NSNull)
    }

    /// With --mel the stage runs in front of the method, and the CNN methods read the mel
    /// network's table (17 weights more than the linear one's: the fifth head channel) and the
    /// mel-consistency tables (257 band indices, 4 Floats a bin and 3 a band: 5,329 bytes) only
    /// for the mel frames it is trained on (80 Slaney bands, no projected-gradient steps).
    @Test func melInputRunsTheMelStageAndPicksTheNetwork() throws {
        let linear = try Self.report(["--method", "cnn"])
        let mel = try Self.report(["--method", "cnn", "--mel", "80"])
        let stepped = try Self.report(["--method", "cnn", "--mel", "80", "--mel-steps", "1"])
        func flash(_ report: [String: Any]) throws -> Int { try #require((report["memory"] as? [String: Int])?["flash_bytes"]) }
        #expect(try flash(mel) == flash(linear) + 17 * 4 + 257 + 4 * 257 * 4 + 3 * 80 * 4)
        #expect(try flash(stepped) == flash(linear))
        let kernels = try #require(mel["kernels"] as? [String: Double])
        #expect(kernels["mel"]! > 0 && kernels["network"]! > 0)
        #expect((linear["kernels"] as? [String: Double])?["mel"] == 0)
    }

    /// Float16 weights against the Float32 build: close, but not identical.
    @Test func float16ReportsItsSNRAgainstFloat32() throws {
        let object = try Self.report(["--method", "cnn-strided", "--format", "f16"])
        #expect(object["target"] as? String == "cortex-m4f")
        let accuracy = try #require(object["accuracy"] as? [String: Any])
        let snr = try #require(accuracy["snr_vs_f32_db"] as? Double)
        #expect(snr > 10 && snr < 200, "SNR \(snr) dB")
        let kernels = try #require(object["kernels"] as? [String: Double])
        #expect(kernels["network"]! > 0)
    }

    /// A faster clock with the same costs would scale the share down exactly; the profiles
    /// differ in costs too, but the same work must take fewer M7 cycles than M4 ones.
    @Test func cortexM7NeedsFewerCyclesThanCortexM4() throws {
        let m4 = try Self.report(["--method", "rtisi-la", "--target", "cortex-m4f"])
        let m7 = try Self.report(["--method", "rtisi-la", "--target", "cortex-m7"])
        let c4 = try #require((m4["cycles_per_frame"] as? [String: Double])?["mean"])
        let c7 = try #require((m7["cycles_per_frame"] as? [String: Double])?["mean"])
        #expect(c7 < c4)
        #expect((m7["kernels"] as? [String: Double])?["projection"] ?? 0 > 0)
        #expect((m4["memory"] as? [String: Int]) == (m7["memory"] as? [String: Int]))
    }

    /// MCNN is all network; its Float16 table is half its Float32 one, and the Q15 build keeps
    /// Int16 state where the Float one keeps Float.
    @Test func mcnnReportsItsNetworkAndTables() throws {
        var flash: [String: Int] = [:], ram: [String: Int] = [:]
        for format in ["f32", "f16", "q15"] {
            let object = try Self.report(["--method", "mcnn", "--format", format])
            let kernels = try #require(object["kernels"] as? [String: Double])
            #expect(kernels["network"]! > 0 && kernels.filter { $0.key != "network" }.values.allSatisfy { $0 == 0 })
            let memory = try #require(object["memory"] as? [String: Int])
            flash[format] = try #require(memory["flash_bytes"])
            ram[format] = try #require(memory["ram_bytes"])
        }
        #expect(flash["f32"] == 2 * flash["f16"]! && flash["q15"]! > flash["f16"]!)
        #expect(ram["f32"] == ram["f16"] && ram["q15"]! < ram["f32"]!)
    }

    @Test func tableNamesEveryStageThatWorked() throws {
        let result = try CLI.run(["sim", Self.clip, "--method", "cnn"])
        #expect(result.status == 0, "\(result.stderr)")
        for word in ["cortex-m4f", "168 MHz", "network", "integrator", "total", "memory:", "accuracy:"] {
            #expect(result.stdout.contains(word), "missing \(word)")
        }
    }

    @Test func listTargetsGivesCostsAndSources() throws {
        let result = try CLI.run(["sim", "--list-targets"])
        #expect(result.status == 0)
        for name in ["cortex-m4f", "cortex-m7", "cortex-a53", "VFMA.F32", "ANCHORS.md"] {
            #expect(result.stdout.contains(name), "missing \(name)")
        }
    }

    static func expectOneLineError(_ arguments: [String], mentioning fragment: String) throws {
        let result = try CLI.run(arguments)
        #expect(result.status != 0)
        #expect(result.stderrLines.count == 1, "stderr: \(result.stderr)")
        #expect(result.stderr.hasPrefix("rephase: error: ") && result.stderr.contains(fragment), "stderr: \(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func unknownTargetListsTheProfiles() throws {
        try Self.expectOneLineError(["sim", Self.clip, "--target", "cortex-m0"], mentioning: "cortex-m4f, cortex-m7, cortex-a53")
    }

    @Test func missingInputFile() throws {
        try Self.expectOneLineError(["sim", "/nonexistent/x.wav"], mentioning: "x.wav")
    }

    @Test func offlineMethodIsRefused() throws {
        try Self.expectOneLineError(["sim", Self.clip, "--method", "fgla"], mentioning: "offline")
    }

    @Test func missingInput() throws {
        try Self.expectOneLineError(["sim"], mentioning: "INPUT")
    }
}
