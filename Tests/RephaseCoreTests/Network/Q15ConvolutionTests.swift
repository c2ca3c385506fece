import Testing
@testable import RephaseCore
import RephaseReference
import RephaseIntrinsics

/// The optimised Q15 kernels (Q15Convolution, Q15Arithmetic: paired loads, SMLAD through
/// RephaseIntrinsics) against the plain definition (Q15ReferenceConvolution), bit for bit, on
/// random data over the whole int16 range, every combine mode, the network's shapes and edge
/// cases of dilation. On x86_64 the intrinsics run their C fallbacks; the Cortex-M4 firmware
/// run (Targets/cortex-m4/run-tests) compares the network's output with SMLAD itself.
/// Every check runs for each width a network has (CNNVariant.channels), since each is its own
/// specialisation of the kernels.
@Suite struct Q15ConvolutionTests {

    struct Layer {
        var input: [Int16], weights: [Int16], starts: [Int32], shift: Int32, initial: [Int16]

        /// Random tables inside the contract: inputs over all of int16 (extremes included),
        /// each output's `taps` weights within +-L and its start value within +-2^30, where
        /// L = min(32767, 2^30 / (32768 taps)) keeps every accumulator below 2^31, as the
        /// quantiser's bound does; the shift 1, 30 or in between (by seed), so that outputs
        /// saturate too.
        init(seed: UInt64, inputs: Int, taps: Int, outputs: Int, outputCount: Int) {
            var rng = SplitMix64(seed: seed)
            func value(_ i: Int) -> Int16 { i % 17 == 0 ? .min : i % 19 == 0 ? .max : rng.nextInt16() }
            input = (0..<inputs).map(value)
            let limit = UInt32(min(32767, (1 << 30) / (32768 * taps)))
            weights = (0..<(outputs * taps)).map { i in
                i % 23 == 0 ? Int16(limit) : i % 29 == 0 ? -Int16(limit) : Int16(Int32(rng.nextUInt32() % (2 * limit + 1)) - Int32(limit))
            }
            starts = (0..<outputs).map { _ in rng.nextInt32() >> 1 }
            shift = seed % 3 == 0 ? 1 : seed % 3 == 1 ? 30 : 2 + Int32(rng.nextUInt32() % 28)
            initial = (0..<outputCount).map(value)
        }
    }

    static let modes: [Q15Arithmetic.Combine] = [.store, .rectify, .addRectified]

    @Test(arguments: [4, 5], [37, 257])
    func denseMatchesReference(inputChannels: Int, bins: Int) {
        Self.dense(Q15Convolution<16>.self, inputChannels: inputChannels, bins: bins)
        Self.dense(Q15Convolution<12>.self, inputChannels: inputChannels, bins: bins)
    }

    static func dense<let C: Int>(_ kernels: Q15Convolution<C>.Type, inputChannels: Int, bins: Int) {
        for (n, mode) in Self.modes.enumerated() {
            // One input value beyond the bins, which the kernel reads with a zero weight when the run is odd.
            let layer = Layer(seed: UInt64(inputChannels * 1000 + bins * 10 + n), inputs: bins * inputChannels + 1,
                              taps: inputChannels * 5, outputs: C, outputCount: bins * C)
            var fast = layer.initial, plain = layer.initial
            var fastSpan = fast.mutableSpan, plainSpan = plain.mutableSpan
            kernels.dense(
                input: layer.input.span, inputChannels: inputChannels, weights: layer.weights.span, kernel: 5,
                starts: layer.starts.span, shift: layer.shift, output: &fastSpan, bins: bins, combine: mode)
            Q15ReferenceConvolution.dense(
                input: layer.input.span, inputChannels: inputChannels, weights: layer.weights.span, kernel: 5, dilation: 1,
                starts: layer.starts.span, shift: layer.shift, output: &plainSpan, bins: bins, combine: mode)
            #expect(fast == plain, "dense, \(C) channels, \(inputChannels) inputs, \(bins) bins, \(mode)")
        }
    }

    /// Each layer's own shift and every shift the paired bins have a specialised copy for (12
    /// to 16), with 257 bins and with the fewest the runs take (4 dilation: no pairs).
    @Test(arguments: [1, 2, 4, 8, 40, 300])
    func depthwiseMatchesReference(dilation: Int) {
        Self.depthwise(Q15Convolution<16>.self, dilation: dilation)
        Self.depthwise(Q15Convolution<12>.self, dilation: dilation)
    }

    static func depthwise<let C: Int>(_ kernels: Q15Convolution<C>.Type, dilation: Int) {
        for kernel in [3, 5] {
            for bins in Set([257, max(4 * dilation, 1)]) where bins <= 257 {
                let layer = Layer(seed: UInt64(dilation * 10 + kernel), inputs: bins * C, taps: kernel, outputs: C,
                                  outputCount: bins * C)
                for shift in [layer.shift] + Array(12...16) {
                    var fast = layer.initial, plain = layer.initial
                    var fastSpan = fast.mutableSpan, plainSpan = plain.mutableSpan
                    kernels.depthwise(
                        input: layer.input.span, weights: layer.weights.span, kernel: kernel, dilation: dilation,
                        starts: layer.starts.span, shift: shift, output: &fastSpan, bins: bins)
                    Q15ReferenceConvolution.depthwise(
                        input: layer.input.span, channels: C, weights: layer.weights.span, kernel: kernel, dilation: dilation,
                        starts: layer.starts.span, shift: shift, output: &plainSpan, bins: bins)
                    #expect(fast == plain, "depthwise, \(C) channels, kernel \(kernel), dilation \(dilation), \(bins) bins, shift \(shift)")
                }
                // In parts of channels, as the strided estimator spreads a layer over two hops.
                var parts = layer.initial, plain = layer.initial
                var partsSpan = parts.mutableSpan, plainSpan = plain.mutableSpan
                Q15ReferenceConvolution.depthwise(
                    input: layer.input.span, channels: C, weights: layer.weights.span, kernel: kernel, dilation: dilation,
                    starts: layer.starts.span, shift: layer.shift, output: &plainSpan, bins: bins)
                for channels in [0..<4, 4..<(C - 6), (C - 6)..<C] {
                    kernels.depthwise(
                        input: layer.input.span, weights: layer.weights.span, kernel: kernel, dilation: dilation,
                        starts: layer.starts.span, shift: layer.shift, output: &partsSpan, bins: bins, channels: channels)
                }
                #expect(parts == plain, "depthwise in parts, \(C) channels, kernel \(kernel), dilation \(dilation), \(bins) bins")
            }
        }
    }

    /// Each layer's own shift, and every shift the kernel has a specialised copy for (12 to 16),
    /// with an odd count of bins (a last bin alone) and an even one, with the weights as row
    /// pairs (the Cortex-M4 build's default) and as rows (the other targets').
    @Test func pointwiseMatchesReference() {
        for outputs in [4, 8, 16] { Self.pointwise(Q15Convolution<16>.self, outputs: outputs) }
        for outputs in [4, 8, 12] { Self.pointwise(Q15Convolution<12>.self, outputs: outputs) }
    }

    static func pointwise<let C: Int>(_ kernels: Q15Convolution<C>.Type, outputs: Int) {
        for (n, mode) in Self.modes.enumerated() {
            for bins in [257, 10] {
                let layer = Layer(seed: UInt64(outputs * 10 + n + bins), inputs: bins * C, taps: C, outputs: outputs,
                                  outputCount: bins * outputs)
                for shift in [layer.shift] + Array(12...16) {
                    var plain = layer.initial
                    var plainSpan = plain.mutableSpan
                    Q15ReferenceConvolution.pointwise(
                        input: layer.input.span, inputChannels: C, weights: layer.weights.span, starts: layer.starts.span,
                        shift: shift, output: &plainSpan, bins: bins, combine: mode)
                    for rowPairs in [false, true] {
                        var fast = layer.initial
                        var fastSpan = fast.mutableSpan
                        kernels.pointwise(
                            input: layer.input.span, weights: layer.weights.span, starts: layer.starts.span,
                            shift: shift, output: &fastSpan, bins: bins, combine: mode, rowPairs: rowPairs)
                        #expect(fast == plain, "pointwise, \(C) channels, \(outputs) outputs, \(bins) bins, \(mode), shift \(shift), row pairs \(rowPairs)")
                    }
                }
            }
        }
    }

    /// The shift-and-saturate requantisation against the definition, over the whole int32
    /// range and every shift.
    @Test func requantizationMatchesReference() {
        var rng = SplitMix64(seed: 7)
        let edges: [Int32] = [0, 1, -1, .max, .min, 1 << 30, -(1 << 30)]
        for i in 0..<200_000 {
            let acc = i < edges.count ? edges[i] : rng.nextInt32() >> (rng.nextUInt32() % 31)
            let shift = Int32(1 + i % 30)
            let fast = Q15Arithmetic.requantize(acc, shift: shift), plain = Q15ReferenceConvolution.requantize(acc, shift: shift)
            if fast != plain {
                Issue.record("acc \(acc), r \(shift): \(fast) != \(plain)")
                return
            }
        }
    }

    /// The intrinsics' C fallbacks against the instructions' definitions (SMLAD's, SMUSD's and
    /// SMUADX's sums wrap; QADD and QSUB saturate; SMMULR rounds the high word half up).
    @Test func intrinsicsMatchDefinitions() {
        var rng = SplitMix64(seed: 3)
        for _ in 0..<10_000 {
            let x = rng.nextUInt32(), y = rng.nextUInt32(), acc = rng.nextInt32()
            let expected = acc &+ Int32(Int16(truncatingIfNeeded: x)) &* Int32(Int16(truncatingIfNeeded: y))
                &+ Int32(Int16(truncatingIfNeeded: x >> 16)) &* Int32(Int16(truncatingIfNeeded: y >> 16))
            #expect(Q15Arithmetic.smlad(x, y, acc) == expected)
            #expect(Q15Arithmetic.packLowHalves(x, y) == (x & 0xFFFF) | (y << 16))
            #expect(Q15Arithmetic.packHighHalves(x, y) == (x >> 16) | (y & 0xFFFF_0000))
            let sums = (Int16(clamping: Int32(Int16(truncatingIfNeeded: x)) + Int32(Int16(truncatingIfNeeded: y))),
                        Int16(clamping: Int32(Int16(truncatingIfNeeded: x >> 16)) + Int32(Int16(truncatingIfNeeded: y >> 16))))
            let (xl, xh) = (Int32(Int16(truncatingIfNeeded: x)), Int32(Int16(truncatingIfNeeded: x >> 16)))
            let (yl, yh) = (Int32(Int16(truncatingIfNeeded: y)), Int32(Int16(truncatingIfNeeded: y >> 16)))
            #expect(rephase_smusd(x, y) == xl &* yl &- xh &* yh)
            #expect(rephase_smuadx(x, y) == xl &* yh &+ xh &* yl)
            let other = rng.nextInt32()
            #expect(rephase_qsub(acc, other) == Int32(clamping: Int64(acc) - Int64(other)))
            #expect(rephase_qadd(acc, other) == Int32(clamping: Int64(acc) + Int64(other)))
            #expect(rephase_smmulr(acc, other) == Int32(truncatingIfNeeded: (Int64(acc) * Int64(other) + (1 << 31)) >> 32))
            #expect(rephase_usat15(acc) == min(max(acc, 0), 32767))
            #expect(rephase_ssat16(acc) == Int32(Int16(clamping: acc)))
            #expect(Q15Arithmetic.qadd16(x, y) == UInt32(UInt16(bitPattern: sums.0)) | UInt32(UInt16(bitPattern: sums.1)) << 16)
        }
    }
}
