import Foundation

/// Float64 reference transforms, computed directly from their definitions (O(n^2)), so that
/// the core's fast algorithms are checked against something that shares none of their code.
public enum ReferenceDFT {
    /// X[k] = sum_n x[n] e^{-2 pi i k n / N} for complex input given as (re, im) arrays.
    public static func complex(re: [Double], im: [Double], inverse: Bool = false) -> (re: [Double], im: [Double]) {
        let n = re.count
        precondition(im.count == n)
        let sign: Double = inverse ? 1 : -1
        var outRe = [Double](repeating: 0, count: n), outIm = [Double](repeating: 0, count: n)
        for k in 0..<n {
            var sr = 0.0, si = 0.0
            for t in 0..<n {
                // Reduce k*t modulo n first so the angle stays small and exact.
                let angle = sign * 2 * Double.pi * Double((k * t) % n) / Double(n)
                let c = cos(angle), s = sin(angle)
                sr += re[t] * c - im[t] * s
                si += re[t] * s + im[t] * c
            }
            outRe[k] = sr
            outIm[k] = si
        }
        return (outRe, outIm)
    }

    /// The real signal (inverse DFT with 1/n) of a spectrum given in the core's packed layout
    /// `[X0, X(n/2), Re X1, Im X1, ...]`, completed by Hermitian symmetry.
    public static func inverseOfPacked(_ packed: [Double]) -> [Double] {
        let n = packed.count
        var re = [Double](repeating: 0, count: n), im = [Double](repeating: 0, count: n)
        re[0] = packed[0]
        re[n / 2] = packed[1]
        for k in 1..<n / 2 {
            re[k] = packed[2 * k]
            im[k] = packed[2 * k + 1]
            re[n - k] = re[k]
            im[n - k] = -im[k]
        }
        return complex(re: re, im: im, inverse: true).re.map { $0 / Double(n) }
    }

    /// The first N/2 + 1 bins of the DFT of a real signal (what numpy.fft.rfft returns).
    public static func real(_ x: [Double]) -> (re: [Double], im: [Double]) {
        let full = complex(re: x, im: [Double](repeating: 0, count: x.count))
        let bins = x.count / 2 + 1
        return (Array(full.re[0..<bins]), Array(full.im[0..<bins]))
    }
}

/// Signal-to-noise ratio in dB of `estimate` against `reference`: 10 log10(sum r^2 / sum (r - e)^2).
public func snrDecibels(reference: [Double], estimate: [Double]) -> Double {
    precondition(reference.count == estimate.count)
    var signal = 0.0, noise = 0.0
    for i in reference.indices {
        signal += reference[i] * reference[i]
        let d = reference[i] - estimate[i]
        noise += d * d
    }
    if noise == 0 { return .infinity }
    return 10 * log10(signal / noise)
}
