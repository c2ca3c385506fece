import Testing
@testable import RephaseCore
import RephaseReference

/// The convolution kernels against float64 loops written straight from the definition
/// (PyTorch's Conv1d: a correlation with zero 'same' padding), on random data.
@Suite struct NetworkKernelTests {
    static let bins = 37

    /// y[o][k] = bias[o] + sum_i sum_j w[o][i][j] x[i][k + (j - kernel/2) dilation], groups = 1
    /// (dense) or = channels (depthwise, then i = o only), summed in `T` term by term in the
    /// kernels' order (input channel, then tap; padding taps skipped): in Double the
    /// definition, in Float the plain loop whose bits the tiled kernels must give.
    static func reference<T: BinaryFloatingPoint>(
        input x: [Float], inputChannels: Int, outputChannels: Int, weights w: [Float], bias: [Float]?,
        kernel: Int, dilation: Int, depthwise: Bool, in _: T.Type = Double.self
    ) -> [T] {
        var y = [T](repeating: 0, count: outputChannels * bins)
        for o in 0..<outputChannels {
            for k in 0..<bins {
                var sum = T(bias?[o] ?? 0)
                for i in (depthwise ? o..<(o + 1) : 0..<inputChannels) {
                    for j in 0..<kernel {
                        let source = k + (j - kernel / 2) * dilation
                        guard source >= 0 && source < bins else { continue }
                        let weight = depthwise ? w[o * kernel + j] : w[(o * inputChannels + i) * kernel + j]
                        sum += T(weight) * T(x[i * bins + source])
                    }
                }
                y[o * bins + k] = sum
            }
        }
        return y
    }

    static func maxError(_ a: [Float], _ b: [Double]) -> Double {
        zip(a, b).map { abs(Double($0) - $1) }.max() ?? 0
    }

    @Test(arguments: [1, 3, 5])
    func denseMatchesDefinition(kernel: Int) {
        var rng = SplitMix64(seed: UInt64(kernel))
        let x = rng.floats(3 * Self.bins, -1, 1), w = rng.floats(4 * 3 * kernel, -1, 1), b = rng.floats(4, -1, 1)
        var y = [Float](repeating: .nan, count: 4 * Self.bins)
        var span = y.mutableSpan
        FrequencyConvolution.dense(
            input: x.span, inputChannels: 3, weights: w.span, bias: b.span, kernel: kernel, output: &span, bins: Self.bins)
        let expected = Self.reference(
            input: x, inputChannels: 3, outputChannels: 4, weights: w, bias: b, kernel: kernel, dilation: 1, depthwise: false)
        #expect(Self.maxError(y, expected) < 1e-5)
    }

    @Test(arguments: [1, 2, 8, 40])
    func depthwiseMatchesDefinition(dilation: Int) {
        var rng = SplitMix64(seed: UInt64(dilation))
        let x = rng.floats(3 * Self.bins, -1, 1), w = rng.floats(3 * 5, -1, 1)
        var y = [Float](repeating: .nan, count: 3 * Self.bins)
        var span = y.mutableSpan
        FrequencyConvolution.depthwise(
            input: x.span, channels: 3, weights: w.span, kernel: 5, dilation: dilation, output: &span, bins: Self.bins)
        let expected = Self.reference(
            input: x, inputChannels: 3, outputChannels: 3, weights: w, bias: nil, kernel: 5, dilation: dilation, depthwise: true)
        #expect(Self.maxError(y, expected) < 1e-5)
    }

    @Test func pointwiseStoresOrAddsRectified() {
        var rng = SplitMix64(seed: 7)
        let x = rng.floats(3 * Self.bins, -1, 1), w = rng.floats(4 * 3, -1, 1), b = rng.floats(4, -1, 1)
        let previous = rng.floats(4 * Self.bins, -1, 1)
        let product = Self.reference(
            input: x, inputChannels: 3, outputChannels: 4, weights: w, bias: b, kernel: 1, dilation: 1, depthwise: false)
        var stored = [Float](repeating: .nan, count: 4 * Self.bins), added = previous
        var span = stored.mutableSpan
        FrequencyConvolution.dense(input: x.span, inputChannels: 3, weights: w.span, bias: b.span, kernel: 1, output: &span, bins: Self.bins)
        var addedSpan = added.mutableSpan
        FrequencyConvolution.dense(
            input: x.span, inputChannels: 3, weights: w.span, bias: b.span, kernel: 1, output: &addedSpan, bins: Self.bins, combine: .addRectified)
        #expect(Self.maxError(stored, product) < 1e-5)
        #expect(Self.maxError(added, zip(previous, product).map { Double($0) + max($1, 0) }) < 1e-5)
    }

    @Test func float16WeightsComputeInFloat32() {
        var rng = SplitMix64(seed: 11)
        let x = rng.floats(2 * Self.bins, -1, 1), w = rng.floats(3 * 2, -1, 1), b = rng.floats(3, -1, 1)
        let w16 = w.map(Float16.init), b16 = b.map(Float16.init)
        var y = [Float](repeating: .nan, count: 3 * Self.bins)
        var span = y.mutableSpan
        FrequencyConvolution.dense(input: x.span, inputChannels: 2, weights: w16.span, bias: b16.span, kernel: 1, output: &span, bins: Self.bins)
        // The reference takes the rounded weights: only the storage may differ, never the arithmetic.
        let expected = Self.reference(
            input: x, inputChannels: 2, outputChannels: 3, weights: w16.map(Float.init), bias: b16.map(Float.init),
            kernel: 1, dilation: 1, depthwise: false)
        #expect(Self.maxError(y, expected) < 1e-5)
    }

    /// Six output channels (a tile group of four and two single rows) over 37 bins (whole
    /// vectors and leftover bins), stored or added rectified, bit for bit against the plain
    /// Float loop.
    @Test func tiledKernelsGiveThePlainLoopsBits() {
        var rng = SplitMix64(seed: 5)
        let x = rng.floats(3 * Self.bins, -1, 1), b = rng.floats(6, -1, 1)
        let pointwise = rng.floats(6 * 3, -1, 1), dense = rng.floats(6 * 3 * 5, -1, 1), depthwise = rng.floats(3 * 5, -1, 1)
        var y = [Float](repeating: .nan, count: 6 * Self.bins)
        var span = y.mutableSpan
        FrequencyConvolution.dense(input: x.span, inputChannels: 3, weights: pointwise.span, bias: b.span, kernel: 1, output: &span, bins: Self.bins)
        let product = Self.reference(
            input: x, inputChannels: 3, outputChannels: 6, weights: pointwise, bias: b, kernel: 1, dilation: 1, depthwise: false, in: Float.self)
        #expect(y == product)
        let previous = rng.floats(6 * Self.bins, -1, 1)
        var added = previous
        span = added.mutableSpan
        FrequencyConvolution.dense(
            input: x.span, inputChannels: 3, weights: pointwise.span, bias: b.span, kernel: 1, output: &span, bins: Self.bins, combine: .addRectified)
        #expect(added == zip(previous, product).map { $0 + max($1, 0) })
        span = y.mutableSpan
        FrequencyConvolution.dense(input: x.span, inputChannels: 3, weights: dense.span, bias: b.span, kernel: 5, output: &span, bins: Self.bins)
        #expect(y == Self.reference(
            input: x, inputChannels: 3, outputChannels: 6, weights: dense, bias: b, kernel: 5, dilation: 1, depthwise: false, in: Float.self))
        for dilation in [1, 2, 4, 8] {
            var z = [Float](repeating: .nan, count: 3 * Self.bins)
            var out = z.mutableSpan
            FrequencyConvolution.depthwise(
                input: x.span, channels: 3, weights: depthwise.span, kernel: 5, dilation: dilation, output: &out, bins: Self.bins)
            #expect(z == Self.reference(
                input: x, inputChannels: 3, outputChannels: 3, weights: depthwise, bias: nil, kernel: 5, dilation: dilation, depthwise: true,
                in: Float.self))
        }
    }
}
