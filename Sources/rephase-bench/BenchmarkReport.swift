/// What one run measured, for `--json`: one object with the FFT, solver and inverter rows,
/// which the CI guard (Tools/bench/check) compares with its baseline. Times are median ns.
struct BenchmarkReport {
    struct FFTRow { let n: Int, float32: Double, q15: Double, fftw: Double }
    struct SolverRow { let k: Int, tridiagonal: Double, dense: Double }
    /// One streaming method (or stage) in one format: ns per frame and the real-time factor.
    struct InverterRow {
        let method: String, format: String, nanoseconds: Double
        /// The row's name in the printed tables: the method, and the format unless Float32.
        var label: String {
            switch format {
            case "f16": "\(method) (Float16 weights)"
            case "q15": "\(method) (Q15)"
            default: method
            }
        }
    }

    /// How the benchmark was built: "avx2" where Package.swift compiled for the machine's AVX2,
    /// "portable" otherwise. The two run at different speeds, so the guard keeps a baseline
    /// for each.
    #if REPHASE_AVX2
    static let build = "avx2"
    #else
    static let build = "portable"
    #endif

    var fft: [FFTRow] = []
    var solver: [SolverRow] = []
    var inverters: [InverterRow] = []

    /// The object, on one line:
    /// {"build":"avx2","fft":[{"n":512,"float32_ns":...,"q15_ns":...,"fftw_ns":...}],
    ///  "solver":[{"k":257,"tridiagonal_ns":...,"dense_ns":...}],
    ///  "inverters":[{"method":"pghi","format":"f32","ns_per_frame":...,"realtime_factor":...}]}
    var json: String {
        func number(_ x: Double) -> String { format(x, digits: x < 100 ? 3 : 1) }
        let fft = self.fft.map { "{\"n\":\($0.n),\"float32_ns\":\(number($0.float32)),\"q15_ns\":\(number($0.q15)),\"fftw_ns\":\(number($0.fftw))}" }
        let solver = self.solver.map { "{\"k\":\($0.k),\"tridiagonal_ns\":\(number($0.tridiagonal)),\"dense_ns\":\(number($0.dense))}" }
        let inverters = self.inverters.map {
            "{\"method\":\"\($0.method)\",\"format\":\"\($0.format)\",\"ns_per_frame\":\(number($0.nanoseconds)),"
                + "\"realtime_factor\":\(number(InverterBenchmark.frameBudgetNanoseconds / $0.nanoseconds))}"
        }
        return "{\"build\":\"\(Self.build)\",\"fft\":[\(fft.joined(separator: ","))],\"solver\":[\(solver.joined(separator: ","))],"
            + "\"inverters\":[\(inverters.joined(separator: ","))]}"
    }
}
