import CFFTW
import RephaseCore

/// Real FFT speed of the core against FFTW (single precision, FFTW_ESTIMATE, one thread),
/// measured in the same process on the same input. Each timed call first copies the input
/// into the work buffer (both sides alike), because transforming the same buffer in place
/// again and again would grow it to infinity.
struct FFTBenchmark {
    let sizes: [Int]

    func run() {
        print("Real FFT, forward, median ns per call (input copy included on both sides)")
        print(pad("N", 6) + pad("Float32", 12) + pad("FFTW f32", 12) + pad("Float32/FFTW", 14))
        for n in sizes {
            var rng: UInt64 = 0x1234_5678
            let input = (0..<n).map { _ -> Float in
                rng = rng &* 6364136223846793005 &+ 1442695040888963407
                return Float(Int64(bitPattern: rng) >> 40) / Float(1 << 23)
            }
            let ours = floatCore(input)
            let fftw = fftwReal(input)
            print(pad("\(n)", 6) + pad(format(ours), 12) + pad(format(fftw), 12) + pad(format(ours / fftw, digits: 2) + "x", 14))
        }
    }

    func floatCore(_ input: [Float]) -> Double {
        var work = input
        let body = {
            work.withUnsafeMutableBufferPointer { w in
                input.withUnsafeBufferPointer { w.baseAddress!.update(from: $0.baseAddress!, count: $0.count) }
            }
            var span = work.mutableSpan
            FloatFFT.real(&span)
        }
        return medianNanoseconds(calls: callsPerBatch(body), body)
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
        return medianNanoseconds(calls: callsPerBatch(body), body)
    }
}

func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
}

func format(_ x: Double, digits: Int = 0) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let r = (x * scale).rounded() / scale
    return digits == 0 ? "\(Int(r))" : "\(r)"
}
