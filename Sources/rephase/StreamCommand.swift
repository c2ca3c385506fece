import ArgumentParser
import Foundation
import RephaseCore
import RephaseIO

/// `rephase stream`: real-time resynthesis through ALSA, frame by frame, as an embedded
/// device would run it: each hop is analysed, its phase dropped, rebuilt by an online method
/// and played, and the per-frame compute time is measured against the 8 ms hop.
struct StreamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stream",
        abstract: "Play the reconstruction of INPUT (or of live capture) through ALSA in real time.")

    @Argument(help: "Audio file to resynthesise (omit with --capture).")
    var input: String?

    @Flag(help: "Take live input from an ALSA capture device instead of a file.")
    var capture = false

    @Option(help: "ALSA playback device.")
    var device = "default"

    @Option(help: "ALSA capture device (with --capture).")
    var captureDevice = "default"

    @Option(help: "Seconds to run with --capture (Ctrl-C stops earlier).")
    var seconds: Double = 10

    @OptionGroup var methodOptions: MethodOptions

    @Flag(help: "Print one JSON object with the run's statistics on stdout.")
    var json = false

    func validate() throws {
        guard capture != (input != nil) else { throw ValidationError("give either an INPUT file or --capture") }
        guard methodOptions.method.isOnline else {
            throw ValidationError("stream needs an online method; \(methodOptions.method.rawValue) is offline")
        }
        guard seconds > 0, seconds <= 86_400 else { throw ValidationError("--seconds must be in (0, 86400]") }
    }

    func run() throws {
        let settings = try methodOptions.settings()
        let source: StreamSource
        if let input {
            let audio = try readAudio(input)
            let frames = (audio.samples16k.count + settings.latencySamples + ProductSTFT.hop - 1) / ProductSTFT.hop
            source = .file(audio.samples16k, frames: frames)
        } else {
            let device: ALSADevice
            do {
                device = try ALSADevice(name: captureDevice, direction: .capture, rate: InversionInput.sampleRate, period: ProductSTFT.hop)
            } catch { throw UserError(error.description) }
            source = .capture(device, frames: Int(seconds * Double(InversionInput.sampleRate)) / ProductSTFT.hop)
        }
        let playback: ALSADevice
        do {
            playback = try ALSADevice(name: device, direction: .playback, rate: InversionInput.sampleRate, period: ProductSTFT.hop)
        } catch { throw UserError(error.description) }
        installInterruptHandler()
        let stats = try settings.withOnlineInverter(StreamLoop(source: source, playback: playback))
        if json {
            print(stats.json(method: settings.method.rawValue, device: device, xruns: playback.xruns))
        } else {
            note(stats.summary(device: device, xruns: playback.xruns))
        }
    }
}

/// Where a stream's samples come from.
enum StreamSource {
    /// A whole 16 kHz signal, streamed for `frames` hops (zeros past its end flush the inverter).
    case file([Float], frames: Int)
    /// Live input, for `frames` hops.
    case capture(ALSADevice, frames: Int)
}

/// The per-hop loop, generic over the inverter.
struct StreamLoop: InverterVisitor {
    let source: StreamSource
    let playback: ALSADevice

    func visit<I: MagnitudeInverter>(_ inverter: inout I) throws(UserError) -> StreamStatistics {
        var analysis = ProductSTFTAnalysis()
        var spectrum = [Float](repeating: 0, count: 512)
        var magnitudes = [Float](repeating: 0, count: 257)
        var hop = [Float](repeating: 0, count: ProductSTFT.hop)
        var output = [Float](repeating: 0, count: ProductSTFT.hop)
        var stats = StreamStatistics()
        let frames: Int
        switch source {
        case .file(_, let count), .capture(_, let count): frames = count
        }
        for t in 0..<frames where !interruptRequested {
            switch source {
            case .file(let samples, _):
                for i in 0..<ProductSTFT.hop {
                    let n = t * ProductSTFT.hop + i
                    hop[i] = n < samples.count ? samples[n] : 0
                }
            case .capture(let device, _):
                do { hop = try device.read(count: ProductSTFT.hop) } catch { throw UserError(error.description) }
            }
            let start = DispatchTime.now().uptimeNanoseconds
            var packed = spectrum.mutableSpan
            analysis.analyze(hop: hop.span, spectrum: &packed)
            var mags = magnitudes.mutableSpan
            packedMagnitudes(spectrum.span, into: &mags)
            var out = output.mutableSpan
            inverter.process(magnitudes: magnitudes.span, output: &out)
            stats.record(nanoseconds: DispatchTime.now().uptimeNanoseconds - start)
            do { try playback.write(output) } catch { throw UserError(error.description) }
            stats.samplesPlayed += ProductSTFT.hop
        }
        return stats
    }
}

/// Counts of one stream run; the hop budget is 8 ms (128 samples at 16 kHz).
struct StreamStatistics {
    var frames = 0
    var samplesPlayed = 0
    var totalNanoseconds: UInt64 = 0
    var maxNanoseconds: UInt64 = 0
    static let budgetNanoseconds = 1e9 * Double(ProductSTFT.hop) / Double(InversionInput.sampleRate)

    mutating func record(nanoseconds: UInt64) {
        frames += 1
        totalNanoseconds += nanoseconds
        maxNanoseconds = max(maxNanoseconds, nanoseconds)
    }

    var meanMicroseconds: Double { frames > 0 ? Double(totalNanoseconds) / Double(frames) / 1000 : 0 }
    var maxMicroseconds: Double { Double(maxNanoseconds) / 1000 }

    func summary(device: String, xruns: Int) -> String {
        String(
            format: "played %d samples (%.2f s) on '%@'; compute per frame: mean %.1f us, max %.1f us of the %.0f us hop (%.1f %% / %.1f %%); underruns: %d",
            samplesPlayed, Double(samplesPlayed) / Double(InversionInput.sampleRate), device, meanMicroseconds,
            maxMicroseconds, Self.budgetNanoseconds / 1000, 100 * meanMicroseconds * 1000 / Self.budgetNanoseconds,
            100 * maxMicroseconds * 1000 / Self.budgetNanoseconds, xruns)
    }

    func json(method: String, device: String, xruns: Int) -> String {
        "{\"method\": \(jsonString(method)), \"device\": \(jsonString(device)), \"frames\": \(frames), \"samples_played\": \(samplesPlayed), "
            + "\"mean_frame_us\": \(meanMicroseconds), \"max_frame_us\": \(maxMicroseconds), "
            + "\"budget_us\": \(Self.budgetNanoseconds / 1000), \"underruns\": \(xruns)}"
    }
}

/// Set by SIGINT so a capture stream ends cleanly (the device is drained and closed).
nonisolated(unsafe) var interruptRequested = false

func installInterruptHandler() {
    signal(SIGINT) { _ in interruptRequested = true }
}
