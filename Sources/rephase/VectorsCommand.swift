import ArgumentParser
import Foundation
import RephaseCore
import RephaseIO
import RephaseOffline

/// `rephase vectors`: test vectors for the cross-compiled targets and the golden files. Writes,
/// for frames [first, first + frames) of an input's magnitudes, the binary files the firmware
/// harnesses read and the host's raw streaming output they must reproduce bit for bit
/// (every file little-endian, frame after frame):
/// - `magnitudes.f32`: 257 Float32 per frame;
/// - `mantissas.bin`: per frame an Int32 exponent, then 257 UInt32 mantissas (the Q15
///   inverters' block-floating input, BlockFloatingMagnitudes.convert of the magnitudes);
/// - with `--mel BANDS`, `mel.f32`: BANDS Float32 per frame, the magnitudes' mel frames in the
///   encoding the mel options name, which the output then comes from (the method behind the
///   core's streaming mel stage, as `invert --mel` runs it);
/// - `<method>-<format>.out` (`<method>-<format>-mel<BANDS>.out` from mel frames): 128
///   samples per frame from a fresh inverter, Int16 for q15
///   (x 32768 truncated: exact for the phase-gradient inverters, whose Q15 samples are
///   Int16 / 32768, not for MCNN's, scaled in Float by its level), Float32 otherwise (no latency trimmed: the first frames' output is the inverter's
///   warm-up, exactly as a board streams it).
struct VectorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vectors",
        abstract: "Write binary test vectors (inputs and the host's outputs) for the firmware harnesses and golden files.")

    @Argument(help: "Audio file or magnitude .npy, as for invert.")
    var input: String

    @OptionGroup var method: MethodOptions

    @OptionGroup var mel: MelOptions

    @Option(help: "First frame to use.")
    var first = 0

    @Option(help: "Number of frames (default: all from --first on).")
    var frames: Int?

    @Option(name: .customLong("output-dir"), help: "Folder to write into (must exist).")
    var outputDir: String

    func run() throws {
        let settings = try method.settings()
        guard settings.method.isOnline else { throw UserError("vectors need an online method, not \(settings.method.rawValue)") }
        let source = try InversionInput(path: input).magnitudes
        guard (0..<source.frames).contains(first) else {
            throw UserError("--first must be in 0...\(source.frames - 1) (the input's frames), got \(first)")
        }
        let frames = self.frames ?? source.frames - first
        guard (1...(source.frames - first)).contains(frames) else {
            throw UserError("--frames must be in 1...\(source.frames - first) from --first \(first), got \(frames)")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: outputDir, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw UserError("--output-dir '\(outputDir)' is not an existing folder")
        }
        let melSettings = try MelInversionSettings.make(input: mel.input(), method: settings.method, options: MelMethodOptions.parse([]))
        let bins = source.bins
        let magnitudes = Array(source.values[(first * bins)..<((first + frames) * bins)])
        let encoded = melSettings.map { $0.input.encode(source) }
        let width = encoded?.bins ?? bins
        let inputs = encoded.map { Array($0.values[(first * width)..<((first + frames) * width)]) } ?? magnitudes
        var mantissaFile = Data()
        var mantissas = [UInt32](repeating: 0, count: bins)
        for t in 0..<frames {
            let frame = Array(magnitudes[(t * bins)..<((t + 1) * bins)])
            var span = mantissas.mutableSpan
            let exponent = BlockFloatingMagnitudes.convert(frame.span, into: &span)
            mantissaFile.appendLittleEndian(Int32(exponent))
            for m in mantissas { mantissaFile.appendLittleEndian(m) }
        }
        var magnitudeFile = Data(), melFile = Data()
        for value in magnitudes { magnitudeFile.appendLittleEndian(value.bitPattern) }
        if encoded != nil { for value in inputs { melFile.appendLittleEndian(value.bitPattern) } }

        struct Raw: InverterVisitor {
            let magnitudes: [Float], bins: Int, frames: Int
            func visit<I: MagnitudeInverter>(_ inverter: inout I) -> [Float] {
                var out = [Float](repeating: 0, count: ProductSTFT.hop), all = [Float]()
                for t in 0..<frames {
                    let frame = Array(magnitudes[(t * bins)..<((t + 1) * bins)])
                    var span = out.mutableSpan
                    inverter.process(magnitudes: frame.span, output: &span)
                    all += out
                }
                return all
            }
        }
        let raw = Raw(magnitudes: inputs, bins: width, frames: frames)
        let samples = melSettings.map { $0.withOnlineInverter(settings, raw) } ?? settings.withOnlineInverter(raw)
        var outputFile = Data()
        for x in samples {
            if settings.format == .q15 {
                outputFile.appendLittleEndian(UInt16(bitPattern: Int16(clamping: Int(max(-32768, min(32767, x * 32768))))))
            } else {
                outputFile.appendLittleEndian(x.bitPattern)
            }
        }
        let name = "\(settings.method.rawValue)-\(settings.format.rawValue)\(encoded == nil ? "" : "-mel\(width)").out"
        let melFiles = encoded == nil ? [] : [("mel.f32", melFile)]
        for (file, data) in [("magnitudes.f32", magnitudeFile), ("mantissas.bin", mantissaFile), (name, outputFile)] + melFiles {
            let path = (outputDir as NSString).appendingPathComponent(file)
            do { try OutputFile.write([UInt8](data), to: path) } catch { throw UserError(error.description) }
        }
        note("wrote \(frames) frames of vectors and \(name) to \(outputDir)")
    }
}

extension Data {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
