/// Flash bytes of the core's constant tables (generated `let` globals), for the simulator's
/// memory report: what each arithmetic reads besides a method's weights.
package enum ConstantTableSizes {
    /// The Float32 twiddles and the bit-reversal table: FFT, so every Float32 method.
    package static var float32FFT: Int {
        MemoryLayout.size(ofValue: quarterSine) + MemoryLayout.size(ofValue: bitReverse5)
    }

    /// The Q15 twiddles and the bit-reversal table: Q15FFT.
    package static var q15FFT: Int {
        MemoryLayout.size(ofValue: q15QuarterSine) + MemoryLayout.size(ofValue: bitReverse5)
    }

    /// The fixed-point sine table alone (FixedTrig.sin and cos).
    package static var fixedPointSine: Int { MemoryLayout.size(ofValue: sineQuarterQ31) }

    /// The fixed-point log2 table alone (FixedLog.log2).
    package static var fixedPointLog2: Int { MemoryLayout.size(ofValue: log2MantissaQ30) }

    /// The fixed-point sine, arctangent, log2, exp2 and reciprocal tables (Numerics/Fixed*).
    package static var fixedPointNumerics: Int {
        fixedPointSine + MemoryLayout.size(ofValue: arctanTurns)
            + fixedPointLog2 + MemoryLayout.size(ofValue: exp2FractionQ30)
            + MemoryLayout.size(ofValue: reciprocalSeedQ15)
    }
}
