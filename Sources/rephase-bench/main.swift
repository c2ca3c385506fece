/// rephase-bench: speed of the core's kernels, with a reference library measured in the same
/// run for a ratio that survives a noisy machine. Build in release mode:
///     swift run -c release rephase-bench
FFTBenchmark(sizes: [256, 512, 1024]).run()
