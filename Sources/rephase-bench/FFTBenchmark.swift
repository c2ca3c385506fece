import CFFTW
import RephaseCore
import RephaseReference

/// Real FFT speed of the core, Float32 (`FFT.real`) and Q15 (`Q15FFT.real`), against
/// FFTW (single precision, FFTW_ESTIMATE, one thread), measured in the same process on the
/// same seeded noise (rounded to Int16 for Q15). Each timed call first copies the input into
/// the work buffer (all three alike), because transforming the same buffer in place again
/// and again would grow it to infinity (or, for Q15, change its block scaling).
struct FFTBenchmark {
    let sizes: [Int]
    let rounds: Int
    let style: TableStyle

    func run(into report: inout BenchmarkReport) {
        let rows = sizes.map { n -> [String] in
            var random = SplitMix64(seed: 0x1234_5678)
            let input = (0..<n).map { _ in Float(random.signed()) }
            let float = inPlace(input) { FFT.real(&$0) }
            let q15 = inPlace(input.map { Int16(($0 * 32767).rounded()) }) { _ = Q15FFT.real(&$0) }
            let fftw = fftwReal(input)
            report.fft.append(.init(n: n, float32: float, q15: q15, fftw: fftw))
            return ["\(n)", format(float), format(q15), format(fftw), formatRatio(float / fftw), formatRatio(q15 / fftw)]
        }
        printTable(
            "Real FFT, forward: median ns per call (input copy included), ratios against FFTW f32 (FFTW_ESTIMATE, 1 thread)",
            header: ["N", "Float32", "Q15", "FFTW f32", "Float32/FFTW", "Q15/FFTW"], rows: rows, style: style)
    }

    /// Median ns of copying `input` into a work buffer and running `transform` on it in place.
    func inPlace<T>(_ input: [T], _ transform: (inout MutableSpan<T>) -> Void) -> Double {
        var work = input
        let body = {
            copy(input, into: &work)
            var span = work.mutableSpan
            transform(&span)
        }
        return medianNanoseconds(rounds: rounds, calls: callsPerBatch(body), body)
    }

    func fftwReal(_ input: [Float]) -> Double {
        let n = input.count
        let inBuf = fftwf_alloc_real(n)!, outBuf = fftwf_alloc_complex(n / 2 + 1)!
        defer { fftwf_free(inBuf); fftwf_free(outBuf) }
        let plan = fftwf_plan_dft_r2c_1d(Int32(n), inBuf, outBuf, UInt32(FFTW_ESTIMATE))!
        defer { fftwf_destroy_plan(plan) }
        let body = {
            input.withUnsafeBufferPointer { inBuf.update(from: $0.baseAddress!, count: n) }
            fftwf_execute(plan)
        }
        return medianNanoseconds(rounds: rounds, calls: callsPerBatch(body), body)
    }
}
