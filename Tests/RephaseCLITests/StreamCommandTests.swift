import Foundation
import Testing
import RephaseIO

/// `rephase stream` against a real ALSA PCM that needs no sound card: a `file` plugin over
/// the `null` device, defined in an .asoundrc under a temporary HOME. Every sample the stream
/// says it played must be in the file, and they must be the reconstruction `invert` makes.
@Suite struct StreamCommandTests {
    @Test func everySampleReachesTheDevice() throws {
        let home = try CLI.scratchFolder()
        let raw = home.appendingPathComponent("played.raw").path
        let config = """
            pcm.rephase_test {
                type file
                slave.pcm "null"
                file "\(raw)"
                format "raw"
            }
            """
        try config.write(to: home.appendingPathComponent(".asoundrc"), atomically: true, encoding: .utf8)
        let result = try CLI.run(["stream", BundledExample.path, "--device", "rephase_test", "--json"], environment: ["HOME": home.path])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let played = try #require(report?["samples_played"] as? Int)
        #expect(report?["underruns"] as? Int == 0)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: raw))
        #expect(bytes.count == 2 * played)

        // The same reconstruction through invert, as 16-bit PCM: the stream plays it after
        // `latency` samples (384 for the default method, the causal CNN).
        let wav = home.appendingPathComponent("invert.wav").path
        #expect(try CLI.run(["invert", BundledExample.path, "-o", wav]).status == 0)
        let expected = try MonoAudio(contentsOf: wav).samples.map { Int16(($0 * 32768).rounded()) }
        let streamed = bytes.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
        #expect(played >= 384 + expected.count)
        let aligned = Array(streamed[384..<384 + expected.count])
        let differing = zip(aligned, expected).filter { abs(Int($0) - Int($1)) > 1 }.count
        #expect(differing == 0, "\(differing) of \(expected.count) samples differ by more than 1 LSB")
    }
}
