import Foundation

/// A tiny seeded generator (SplitMix64; Steele, Lea and Flood 2014) for test signals and
/// random systems: a fixed seed gives the same numbers on every machine and run, which
/// SystemRandomNumberGenerator would not.
public struct SplitMix64: RandomNumberGenerator {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The low bits of the next draw, for integer test inputs.
    public mutating func nextInt16() -> Int16 { Int16(truncatingIfNeeded: next()) }
    public mutating func nextInt32() -> Int32 { Int32(truncatingIfNeeded: next()) }
    public mutating func nextUInt32() -> UInt32 { UInt32(truncatingIfNeeded: next()) }

    /// Uniform in [lo, hi).
    public mutating func uniform(_ lo: Double, _ hi: Double) -> Double {
        lo + (hi - lo) * Double(next() >> 11) * 0x1p-53
    }

    /// Uniform in [-1, 1).
    public mutating func signed() -> Double { uniform(-1, 1) }

    /// `count` Floats uniform in [lo, hi).
    public mutating func floats(_ count: Int, _ lo: Double, _ hi: Double) -> [Float] {
        (0..<count).map { _ in Float(uniform(lo, hi)) }
    }

    /// `count` Floats 10^U(lo, hi): spread evenly over decades.
    public mutating func logFloats(_ count: Int, decades lo: Double, _ hi: Double) -> [Float] {
        (0..<count).map { _ in Float(pow(10, uniform(lo, hi))) }
    }
}
