print("rephase-bench: benchmarks arrive with the FFT")
