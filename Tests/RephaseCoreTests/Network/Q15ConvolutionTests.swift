import Testing
@testable import RephaseCore
import RephaseReference

/// The optimised Q15 kernels (Q15Convolution, Q15Arithmetic: paired loads, SMLALD through
/// RephaseIntrinsics) against the plain definition (Q15ReferenceConvolution), bit for bit, on
/// random data over the whole int16 range, every combine mode, the network's shapes and edge
/// cases of dilation. On x86_64 the intrinsics run their C fallbacks; the Cortex-M4 firmware
/// run (Targets/cortex-m4/run-tests) compares the network's output with SMLALD itself.
@Suite struct Q15ConvolutionTests {
    typealias Kernels = Q15Convolution<16>

    struct Layer {
        var input: [Int16], weights: [Int16], biases: [Int64], multipliers: [Int32], shifts: [UInt8], initial: [Int16]

        /// Random tables in the contract's ranges: |bias| < 2^36, 0 <= M < 2^21, 33 <= r <= 62,
        /// weights in [-32767, 32767], inputs over all of int16 (extremes included).
        init(seed: UInt64, inputs: Int, weights: Int, outputs: Int, outputCount: Int) {
            var rng = SplitMix64(seed: seed)
            func value(_ i: Int) -> Int16 { i % 17 == 0 ? .min : i % 19 == 0 ? .max : rng.nextInt16() }
            input = (0..<inputs).map(value)
            self.weights = (0..<weights).map { _ in max(rng.nextInt16(), -32767) }
            biases = (0..<outputs).map { _ in Int64(rng.nextInt32()) << 4 }
            multipliers = (0..<outputs).map { _ in Int32(rng.nextUInt32() % (1 << 21)) }
            shifts = (0..<outputs).map { _ in UInt8(33 + rng.nextUInt32() % 30) }
            initial = (0..<outputCount).map(value)
        }
    }

    static let modes: [Q15Arithmetic.Combine] = [.store, .rectify, .addRectified]

    @Test(arguments: [4, 5], [37, 257])
    func denseMatchesReference(inputChannels: Int, bins: Int) {
        for (n, mode) in Self.modes.enumerated() {
            let layer = Layer(seed: UInt64(inputChannels * 1000 + bins * 10 + n), inputs: bins * inputChannels,
                              weights: 16 * inputChannels * 5, outputs: 16, outputCount: bins * 16)
            var fast = layer.initial, plain = layer.initial
            var fastSpan = fast.mutableSpan, plainSpan = plain.mutableSpan
            Kernels.dense(
                input: layer.input.span, inputChannels: inputChannels, weights: layer.weights.span, kernel: 5,
                biases: layer.biases.span, multipliers: layer.multipliers.span, shifts: layer.shifts.span,
                output: &fastSpan, bins: bins, combine: mode)
            Q15ReferenceConvolution.dense(
                input: layer.input.span, inputChannels: inputChannels, weights: layer.weights.span, kernel: 5, dilation: 1,
                biases: layer.biases.span, multipliers: layer.multipliers.span, shifts: layer.shifts.span,
                output: &plainSpan, bins: bins, combine: mode)
            #expect(fast == plain, "dense, \(inputChannels) inputs, \(bins) bins, \(mode)")
        }
    }

    @Test(arguments: [1, 2, 4, 8, 40, 300])
    func depthwiseMatchesReference(dilation: Int) {
        for kernel in [3, 5] {
            let bins = 257
            let layer = Layer(seed: UInt64(dilation * 10 + kernel), inputs: bins * 16, weights: 16 * kernel, outputs: 16,
                              outputCount: bins * 16)
            var fast = layer.initial, plain = layer.initial
            var fastSpan = fast.mutableSpan, plainSpan = plain.mutableSpan
            Kernels.depthwise(
                input: layer.input.span, weights: layer.weights.span, kernel: kernel, dilation: dilation,
                multipliers: layer.multipliers.span, shifts: layer.shifts.span, output: &fastSpan, bins: bins)
            Q15ReferenceConvolution.depthwise(
                input: layer.input.span, channels: 16, weights: layer.weights.span, kernel: kernel, dilation: dilation,
                multipliers: layer.multipliers.span, shifts: layer.shifts.span, output: &plainSpan, bins: bins)
            #expect(fast == plain, "depthwise, kernel \(kernel), dilation \(dilation)")
        }
    }

    @Test(arguments: [4, 8, 16])
    func pointwiseMatchesReference(outputs: Int) {
        for (n, mode) in Self.modes.enumerated() {
            let bins = 257
            let layer = Layer(seed: UInt64(outputs * 10 + n), inputs: bins * 16, weights: outputs * 16, outputs: outputs,
                              outputCount: bins * outputs)
            var fast = layer.initial, plain = layer.initial
            var fastSpan = fast.mutableSpan, plainSpan = plain.mutableSpan
            Kernels.pointwise(
                input: layer.input.span, weights: layer.weights.span, biases: layer.biases.span,
                multipliers: layer.multipliers.span, shifts: layer.shifts.span, output: &fastSpan, bins: bins, combine: mode)
            Q15ReferenceConvolution.pointwise(
                input: layer.input.span, inputChannels: 16, weights: layer.weights.span, biases: layer.biases.span,
                multipliers: layer.multipliers.span, shifts: layer.shifts.span, output: &plainSpan, bins: bins, combine: mode)
            #expect(fast == plain, "pointwise, \(outputs) outputs, \(mode)")
        }
    }

    /// The word-split requantisation against the 64-bit definition, over accumulators up to
    /// the contract's 2^41 and every multiplier and shift range edge.
    @Test func requantizationMatchesReference() {
        var rng = SplitMix64(seed: 7)
        let edges: [Int64] = [0, 1, -1, (1 << 41) - 1, -(1 << 41), Int64(Int32.max), Int64(Int32.min), 1 << 32, -(1 << 32)]
        for i in 0..<200_000 {
            let acc = i < edges.count ? edges[i] : Int64(bitPattern: rng.next()) >> (22 + rng.next() % 40)
            let multiplier = i % 5 == 0 ? (1 << 21) - 1 : Int32(rng.nextUInt32() % (1 << 21))
            let shift = UInt8(i % 7 == 0 ? 33 : i % 11 == 0 ? 62 : 33 + Int(rng.nextUInt32() % 30))
            let fast = Q15Arithmetic.requantize(acc, multiplier: multiplier, shift: shift)
            let plain = Q15ReferenceConvolution.requantize(acc, multiplier: multiplier, shift: shift)
            if fast != plain {
                Issue.record("acc \(acc), M \(multiplier), r \(shift): \(fast) != \(plain)")
                return
            }
        }
    }

    /// The intrinsics' C fallbacks against the instructions' definitions.
    @Test func intrinsicsMatchDefinitions() {
        var rng = SplitMix64(seed: 3)
        for _ in 0..<10_000 {
            let x = rng.nextUInt32(), y = rng.nextUInt32(), acc = Int64(bitPattern: rng.next()) >> 3
            let expected = acc + Int64(Int16(truncatingIfNeeded: x)) * Int64(Int16(truncatingIfNeeded: y))
                + Int64(Int16(truncatingIfNeeded: x >> 16)) * Int64(Int16(truncatingIfNeeded: y >> 16))
            #expect(Q15Arithmetic.smlald(x, y, acc) == expected)
            #expect(Q15Arithmetic.packLowHalves(x, y) == (x & 0xFFFF) | (y << 16))
            #expect(Q15Arithmetic.packHighHalves(x, y) == (x >> 16) | (y & 0xFFFF_0000))
        }
    }
}
