/// How a network's weight tables are stored. The arithmetic is always Float32; Float16
/// storage halves the tables (flash on a microcontroller) at a small, tested cost in accuracy
/// (CNNWeightsTests states the tolerance).
public protocol NetworkWeight {
    /// The weight as the Float32 the kernels compute with.
    var float: Float { get }
    /// Calls `body` with the Float32 values of `weights` (at most 512 of them, which holds the
    /// largest layer, layer 0's 16 x 5 x 5): the table in place for Float32, else converted
    /// once into a row on the stack, for the convolutions (FrequencyConvolution), whose
    /// tiles read every weight many times.
    static func withFloat32<Result>(_ weights: Span<Self>, _ body: (UnsafePointer<Float>) -> Result) -> Result
}

extension NetworkWeight {
    public static func withFloat32<Result>(_ weights: Span<Self>, _ body: (UnsafePointer<Float>) -> Result) -> Result {
        precondition(weights.count <= 512, "NetworkWeight: at most 512 weights converted at once")
        var row = InlineArray<512, Float>(repeating: 0)
        var converted = row.mutableSpan
        for n in weights.indices { converted[n] = weights[n].float }
        return converted.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

extension Float: NetworkWeight {
    public var float: Float { self }

    public static func withFloat32<Result>(_ weights: Span<Float>, _ body: (UnsafePointer<Float>) -> Result) -> Result {
        weights.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

extension Float16: NetworkWeight {
    #if arch(x86_64)
    /// The exact Float32 of this half, by moving its bits. x86-64 compilers assume no F16C
    /// unless told, so `Float(self)` is a call into the compiler's runtime once per weight per
    /// frame, where this is a few integer operations the compiler inlines and vectorises
    /// (rephase-bench: mcnn with Float16 weights 772 -> 186 us per frame, cnn 132 -> 109 us).
    /// Equal to `Float(self)` bit for bit except that a signalling NaN stays signalling
    /// (NetworkWeightTests, all 65,536 halves). The boards' cores convert in one instruction
    /// (VCVTB on the Cortex-M4F and M7, FCVT on AArch64), so they keep `Float(self)`.
    ///
    /// A half is sign, 5 exponent bits (bias 15) and 10 mantissa bits. Shifted up by 13, its
    /// exponent and mantissa land in Float32's fields; rebiasing the exponent by 127 - 15
    /// then gives every normal half. An exponent of 31 (infinity, NaN) must become 255, so it
    /// is rebiased by 128 more. A subnormal half (exponent 0) is mantissa x 2^-24, and it is
    /// rebuilt as the Float32 with that mantissa and exponent field 2^-14's, minus 2^-14.
    @inline(__always)
    public var float: Float {
        let half = UInt32(bitPattern)
        let magnitude = (half & 0x7FFF) << 13
        let exponent = magnitude & 0x0F80_0000
        var bits = magnitude &+ ((127 - 15) << 23)
        if exponent == 0x0F80_0000 {
            bits = bits &+ ((128 - 16) << 23)
        } else if exponent == 0 {
            bits = bits &+ (1 << 23)
            bits = (Float(bitPattern: bits) - 0x1p-14).bitPattern
        }
        return Float(bitPattern: bits | (half & 0x8000) << 16)
    }
    #else
    public var float: Float { Float(self) }
    #endif
}
