import ArgumentParser
import RephaseIO

/// `rephase demo`: the default method on the bundled example clip; README's first command.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Invert the bundled example clip with the default method and write a WAV file.")

    @Option(name: .shortAndLong, help: "Where to write the result.")
    var output = "rephase-demo.wav"

    func run() throws {
        let settings = try InversionSettings(method: .bestOnline, lookahead: nil, iterations: nil)
        let report = try Inversion.run(settings, inputPath: BundledExample.path, outputPath: output, subtype: .pcm16)
        print("rephase demo: rebuilt \(BundledExample.path) from its STFT magnitudes alone")
        print("  \(report.summary)")
        print("  wrote \(output)")
    }
}
