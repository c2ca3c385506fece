/// A tiny deterministic generator (SplitMix64) so the random test inputs are the same on every
/// run and platform.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func nextInt16() -> Int16 { Int16(truncatingIfNeeded: next()) }
    mutating func nextInt32() -> Int32 { Int32(truncatingIfNeeded: next()) }
    mutating func nextUInt32() -> UInt32 { UInt32(truncatingIfNeeded: next()) }
}
