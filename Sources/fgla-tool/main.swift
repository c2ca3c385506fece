import Foundation
import RephaseIO
import RephaseOffline

/// fgla-tool: reconstructs an audio file from its own STFT magnitudes with the offline Fast
/// Griffin-Lim (project framing, N = 512, H = 128), so the result can be scored against the
/// original (Tools/fgla_vs_librosa.py). Build in release mode:
///     swift build -c release --product fgla-tool
///     .build/release/fgla-tool input.flac output.wav [--iterations 32] [--momentum 0.99]
typealias STFT = WholeSignalSTFT<512, 128>

let usage = "usage: fgla-tool INPUT OUTPUT.wav [--iterations N] [--momentum ALPHA]"

func printError(_ message: String) {
    FileHandle.standardError.write(Data("fgla-tool: \(message)\n".utf8))
}

func fail(_ message: String) -> Never {
    printError("\(message)\n\(usage)")
    exit(2)
}

var paths: [String] = []
var solver = FastGriffinLim<512, 128>()
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--iterations":
        guard let value = arguments.popFirst().flatMap({ Int($0) }), value >= 0 else { fail("bad --iterations") }
        solver.iterations = value
    case "--momentum":
        guard let value = arguments.popFirst().flatMap({ Float($0) }) else { fail("bad --momentum") }
        solver.momentum = value
    default:
        paths.append(argument)
    }
}
guard paths.count == 2 else { fail("need an input and an output path") }

do {
    let input = try MonoAudio(contentsOf: paths[0])
    let magnitudes = STFT.forward(input.samples).magnitudes
    let output = solver.reconstruct(magnitudes, length: input.samples.count)
    try MonoAudio(samples: output, sampleRate: input.sampleRate).write(to: paths[1])
} catch {
    printError("\(error)")
    exit(1)
}
