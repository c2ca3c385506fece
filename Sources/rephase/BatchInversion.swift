import Dispatch
import Foundation
import RephaseIO

/// `rephase invert A.wav B.flac C.npy ... -o FOLDER/`: every input inverted into FOLDER/.../NAME.wav
/// by worker threads, each running its own inverter (`Inversion.run` builds one per file), with
/// one progress bar over all files. A file that fails is reported and the others are still
/// written.
struct BatchInversion {
    var inputs: [String]
    var outputs: [String]
    var jobs: Int

    /// At most as many threads as OutputFile can clean up after on a signal (InterruptCleanup's
    /// slots), far more than any machine's cores.
    static let mostJobs = 256

    /// Whether `output` names a folder: it ends in '/' or is an existing directory.
    static func namesFolder(_ output: String) -> Bool {
        var isDirectory: ObjCBool = false
        return output.hasSuffix("/") || (FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory) && isDirectory.boolValue)
    }

    /// Checks the inputs and the job count, and names each input's output: FOLDER/DIR/NAME.wav,
    /// NAME its file name without the extension and DIR its folder below the folder all inputs
    /// share (so `speakers/*/*.flac` keeps one folder per speaker). Two inputs that would make
    /// one output are refused before any work.
    init(inputs: [String], folder: String, jobs: Int?) throws(UserError) {
        let jobs = jobs ?? ProcessInfo.processInfo.activeProcessorCount
        guard (1...Self.mostJobs).contains(jobs) else {
            throw UserError("--jobs must be in 1...\(Self.mostJobs), got \(jobs)")
        }
        if inputs.contains("-") { throw UserError("standard input ('-') can only be inverted alone, with -o FILE") }
        let folders = inputs.map { URL(fileURLWithPath: $0).standardizedFileURL.deletingLastPathComponent().pathComponents }
        var shared = folders[0]
        for components in folders.dropFirst() {
            shared = Array(zip(shared, components).prefix { $0.0 == $0.1 }.map(\.0))
        }
        var claimed: [String: String] = [:]
        outputs = []
        for (input, components) in zip(inputs, folders) {
            let name = ((input as NSString).lastPathComponent as NSString).deletingPathExtension + ".wav"
            let output = NSString.path(withComponents: [folder] + components.dropFirst(shared.count) + [name])
            if let other = claimed[output] {
                throw UserError("'\(other)' and '\(input)' would both be written to '\(output)'; give them different names")
            }
            claimed[output] = input
            outputs.append(output)
        }
        self.inputs = inputs
        self.jobs = min(jobs, inputs.count)
        for target in Set(outputs.map { ($0 as NSString).deletingLastPathComponent }) {
            do {
                try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
            } catch {
                throw UserError("cannot create the output folder '\(target)': \(error.localizedDescription)")
            }
        }
    }

    /// Inverts every input, prints the summary line, and lists the failures (then fails).
    func run(
        _ settings: InversionSettings, subtype: AudioSubtype, mel: MelInversionSettings?, layout: SpectrogramLayout
    ) throws(UserError) {
        let queue = WorkQueue(count: inputs.count)
        let bar = ProgressBar(enabled: true)
        let start = DispatchTime.now().uptimeNanoseconds
        DispatchQueue.concurrentPerform(iterations: jobs) { _ in
            while let i = queue.next() {
                let result: Result<Inversion, UserError> = Result { () throws(UserError) in
                    try Inversion.run(settings, inputPath: inputs[i], outputPath: outputs[i], subtype: subtype, mel: mel, layout: layout, progress: false)
                }
                let done = queue.finish(i, result)
                bar.update(done: done, total: inputs.count)
            }
        }
        bar.finish()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let results = queue.results
        let audioSeconds = results.reduce(0.0) { $0 + ((try? $1?.get())?.audioSeconds ?? 0) }
        let written = results.filter { (try? $0?.get()) != nil }.count
        note(String(
            format: "inverted %d of %d files, %.2f s of audio in %.2f s, %.1fx real time (%d job%@, %@)",
            written, inputs.count, audioSeconds, seconds, seconds > 0 ? audioSeconds / seconds : 0, jobs, jobs == 1 ? "" : "s", settings.method.rawValue))
        let failures = results.indices.compactMap { i -> (String, String)? in
            guard case .failure(let error) = results[i] else { return nil }
            return (inputs[i], error.description)
        }
        guard failures.isEmpty else {
            for (input, reason) in failures { writeStandardError("rephase: failed: \(input): \(reason)\n") }
            throw UserError("\(failures.count) of \(inputs.count) files failed (listed above); the other \(written) were written")
        }
    }
}

/// The batch's shared state: the next input to take and each input's result.
final class WorkQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var taken = 0
    private var done = 0
    private var stored: [Result<Inversion, UserError>?]

    init(count: Int) { stored = Array(repeating: nil, count: count) }

    /// The next input no thread has taken yet, or nil when all are taken.
    func next() -> Int? {
        lock.withLock {
            guard taken < stored.count else { return nil }
            taken += 1
            return taken - 1
        }
    }

    /// Records input `i`'s result; returns the number of inputs finished.
    func finish(_ i: Int, _ result: Result<Inversion, UserError>) -> Int {
        lock.withLock {
            stored[i] = result
            done += 1
            return done
        }
    }

    var results: [Result<Inversion, UserError>?] { lock.withLock { stored } }
}

// The settings are plain values that every worker only reads; the core's structs inside them
// (the least-squares integrator, the mel bands) hold numbers only but are not marked Sendable,
// the core having no concurrency of its own.
extension InversionSettings: @unchecked Sendable {}
extension MelInversionSettings: @unchecked Sendable {}
