// swift-tools-version:6.1
import PackageDescription

/// Rephase: an embedded speech-spectrogram inverter. `RephaseCore` is the product: it has no
/// dependencies at all and also compiles as Embedded Swift (Targets/embedded-check). Every
/// other target is a host-only shell around it.
let package = Package(
    name: "Rephase",
    products: [
        .library(name: "RephaseCore", targets: ["RephaseCore"]),
        .executable(name: "rephase-bench", targets: ["rephase-bench"]),
    ],
    targets: [
        // The embeddable core: numerics, FFT, STFT, solvers, inverters. No Foundation, no libm.
        .target(name: "RephaseCore"),
        // Float64 reference implementations, written independently of the core, for tests.
        .target(name: "RephaseReference"),
        // Host I/O: audio files through libsndfile.
        .systemLibrary(
            name: "CSndFile", pkgConfig: "sndfile",
            providers: [.apt(["libsndfile1-dev"])]),
        .target(name: "RephaseIO", dependencies: ["CSndFile"]),
        // FFTW, single precision, only to compare the core's FFT against in the benchmark.
        .systemLibrary(
            name: "CFFTW", pkgConfig: "fftw3f",
            providers: [.apt(["libfftw3-dev"])]),
        // Whole-utterance (offline) algorithms on the host: baselines such as Fast Griffin-Lim,
        // free to use Foundation and arrays because they see the whole signal at once.
        .target(name: "RephaseOffline", dependencies: ["RephaseCore"]),
        // Runs the offline Fast Griffin-Lim on an audio file (Tools/fgla_vs_librosa.py drives it).
        .executableTarget(name: "fgla-tool", dependencies: ["RephaseOffline", "RephaseIO"]),
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
    ]
)
