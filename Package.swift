// swift-tools-version:6.1
import Foundation
import PackageDescription

/// Host builds on an x86-64 machine with Haswell's instruction set (AVX2, FMA, F16C, LZCNT:
/// Intel Core and Xeon since 2013, AMD since Zen) compile every module for it: 256-bit vectors
/// throughout, and the network's register tiles twice as wide (REPHASE_AVX2:
/// ConvolutionTile.Lanes). rephase-bench cnn 55 -> 37 us a frame, pghi-la1 7.7 -> 5.3 us. The bits
/// stay the same on every target: Swift never fuses a multiply and an add on its own, so FMA
/// instructions appear only where the code asks for a fused operation (and -ffp-contract=off
/// keeps clang from fusing in the C headers). The choice follows the machine that builds
/// (like -march=native); with REPHASE_PORTABLE_X86 set (to anything: `REPHASE_PORTABLE_X86=1
/// swift build`) the binaries run on any x86-64 CPU.
/// Every Swift module gets the same settings (the loop at the end): the CLI, the benchmark and
/// the tests specialise the core's generic kernels in their own code.
let hostCPUSettings: [SwiftSetting] = {
    #if arch(x86_64)
    let haswell: Set<Substring> = ["avx", "avx2", "fma", "f16c", "bmi1", "bmi2", "movbe", "popcnt", "abm"]
    let flags = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
        .split(separator: "\n").first { $0.hasPrefix("flags") }?.split(separator: " ") ?? []
    if Context.environment["REPHASE_PORTABLE_X86"] == nil && haswell.isSubset(of: flags) {
        return [.unsafeFlags(["-target-cpu", "haswell", "-Xcc", "-march=haswell", "-Xcc", "-ffp-contract=off"]), .define("REPHASE_AVX2")]
    }
    #endif
    return []
}()

/// Rephase: an embedded speech-spectrogram inverter. `RephaseCore` is the product: it depends
/// on nothing but the header-only `RephaseIntrinsics` module and also compiles as Embedded
/// Swift (Targets/embedded-check). Every other target is a host-only shell around it.
let package = Package(
    name: "Rephase",
    products: [
        .library(name: "RephaseCore", targets: ["RephaseCore"]),
        .executable(name: "rephase", targets: ["rephase"]),
        .executable(name: "rephase-bench", targets: ["rephase-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // The embeddable core: numerics, FFT, STFT, solvers, inverters. No Foundation, no libm.
        // Host builds count each kernel's operations for the simulator (OperationCounter);
        // firmware builds (Targets/) compile without the flag and count nothing.
        .target(
            name: "RephaseCore", dependencies: ["RephaseIntrinsics"],
            swiftSettings: [
                .define("REPHASE_COUNT_OPERATIONS"),
                // Release builds serialise the core's bodies for the modules that call it, so
                // that the CLI, the benchmark and the tests specialise its generic inverters,
                // solver and kernels for their concrete sizes and scalars. Without it every
                // call from another module ran unspecialised, through witness tables: the
                // tridiagonal solve at K = 257 took 52.5 us instead of 4.7 us (rephase-bench
                // --only solver). The embedded builds compile the core as one module and do
                // not need it.
                .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release)),
            ]),
        // The one module the core imports: header-only wrappers of the ARM DSP instructions
        // (SMLAD), with portable C fallbacks of the same bits (its header says why).
        .systemLibrary(name: "RephaseIntrinsics"),
        // Float64 reference implementations, written independently of the core, for tests.
        .target(name: "RephaseReference"),
        // Host I/O: audio files through libsndfile, .npy spectrograms, resampling, ALSA.
        .systemLibrary(
            name: "CSndFile", pkgConfig: "sndfile",
            providers: [.apt(["libsndfile1-dev"])]),
        // Sample-rate conversion (libsamplerate) and live audio (ALSA).
        .systemLibrary(
            name: "CSampleRate", pkgConfig: "samplerate",
            providers: [.apt(["libsamplerate0-dev"])]),
        .systemLibrary(
            name: "CALSA", pkgConfig: "alsa",
            providers: [.apt(["libasound2-dev"])]),
        .target(name: "CALSAQuiet", dependencies: ["CALSA"]),
        .target(name: "RephaseIO", dependencies: ["CSndFile", "CSampleRate", "CALSA", "CALSAQuiet"]),
        // FFTW, single precision, only to compare the core's FFT against in the benchmark.
        .systemLibrary(
            name: "CFFTW", pkgConfig: "fftw3f",
            providers: [.apt(["libfftw3-dev"])]),
        // Whole-utterance (offline) algorithms on the host: baselines such as Fast Griffin-Lim,
        // free to use Foundation and arrays because they see the whole signal at once.
        // Its streaming driver (invertStreaming) is generic over the inverter: serialised for
        // its callers like the core's bodies, or the CLI ran every online method through
        // witness tables (pghi 65 us a frame in `rephase invert` against 20 us in the benchmark).
        .target(
            name: "RephaseOffline", dependencies: ["RephaseCore"],
            swiftSettings: [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]),
        // The host simulator: prices the operations the core reports (OperationCounter) on
        // target profiles, and accounts memory from the core's types.
        // Generic over the inverter too (OperationTrace.record), so serialised alike.
        .target(
            name: "RephaseSim", dependencies: ["RephaseCore"],
            swiftSettings: [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]),
        // The command-line tool: invert audio files or spectrograms with any method.
        .executableTarget(
            name: "rephase",
            dependencies: [
                // RephaseReference for its seeded generator (the random initial phase of admm, cascade).
                "RephaseCore", "RephaseOffline", "RephaseIO", "RephaseSim", "RephaseReference",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(
            name: "rephase-bench",
            dependencies: ["RephaseCore", "RephaseReference", "RephaseIO", "CFFTW"]),
        .testTarget(
            name: "RephaseCoreTests",
            dependencies: ["RephaseCore", "RephaseReference", "RephaseIO"]),
        .testTarget(
            name: "RephaseOfflineTests",
            dependencies: ["RephaseOffline", "RephaseCore", "RephaseReference", "RephaseIO"]),
        .testTarget(name: "RephaseReferenceTests", dependencies: ["RephaseReference"]),
        .testTarget(name: "RephaseSimTests", dependencies: ["RephaseSim", "RephaseCore"]),
        .testTarget(name: "RephaseIOTests", dependencies: ["RephaseIO", "RephaseReference"]),
        // Drives the built `rephase` executable on real files, bad inputs included.
        .testTarget(name: "RephaseCLITests", dependencies: ["rephase", "RephaseIO"]),
    ]
)

for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + hostCPUSettings
}
