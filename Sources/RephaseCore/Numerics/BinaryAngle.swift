/// A phase as a binary angle: a full turn is 2^32, so `raw / 2^32` is the angle in turns.
///
/// Why: phases are accumulated and compared constantly in spectrogram inversion. In binary
/// angle units the wrap-around at one turn is the integer wrap-around, so adding phases needs
/// no range reduction and never loses precision far from zero, and the top bits index sine
/// tables directly. Resolution is 2 pi / 2^32 = 1.5e-9 rad. `raw` read as an `Int32` is the
/// signed angle in [-1/2, 1/2) turn.
public struct BinaryAngle: Equatable, Sendable {
    /// The angle in units of 2^-32 turn.
    public var raw: UInt32

    public init(raw: UInt32) {
        self.raw = raw
    }

    public static let zero = BinaryAngle(raw: 0)
    /// A quarter turn, pi/2.
    public static let quarterTurn = BinaryAngle(raw: 0x4000_0000)
    /// Half a turn, pi.
    public static let halfTurn = BinaryAngle(raw: 0x8000_0000)

    /// The sum, modulo one turn (exact: wrap-around is the point of the format).
    @inline(__always)
    public static func + (a: BinaryAngle, b: BinaryAngle) -> BinaryAngle {
        BinaryAngle(raw: a.raw &+ b.raw)
    }

    /// The difference, modulo one turn (exact).
    @inline(__always)
    public static func - (a: BinaryAngle, b: BinaryAngle) -> BinaryAngle {
        BinaryAngle(raw: a.raw &- b.raw)
    }

    /// The opposite angle, modulo one turn (exact; `-halfTurn == halfTurn`).
    @inline(__always)
    public static prefix func - (a: BinaryAngle) -> BinaryAngle {
        BinaryAngle(raw: 0 &- a.raw)
    }

    @inline(__always)
    public static func += (a: inout BinaryAngle, b: BinaryAngle) {
        a.raw &+= b.raw
    }

    /// The binary angle nearest to `radians` modulo one turn (host and test helper), rounded
    /// half up; error at most half a unit, 7.3e-10 rad, beyond the Float input's own.
    /// `radians` must be finite with magnitude at most 2^24, where a Float can no longer tell
    /// apart angles a turn apart anyway.
    public init(radians: Float) {
        precondition(radians.isFinite && radians.magnitude <= 16_777_216, "radians out of range")
        let scaled = Double(radians) * (4_294_967_296 / (2 * Double.pi))
        // Round half up without libm: truncate, then fix up from the exact fractional part.
        var whole = Int64(scaled)
        let fraction = scaled - Double(whole)
        if fraction >= 0.5 { whole &+= 1 } else if fraction < -0.5 { whole &-= 1 }
        self.raw = UInt32(truncatingIfNeeded: whole)
    }

    /// The signed angle in radians, in [-pi, pi) (host and test helper), rounded to the
    /// nearest Float.
    public var radians: Float {
        Float(Double(Int32(bitPattern: raw)) * (2 * Double.pi / 4_294_967_296))
    }

    /// The binary angle near `radians`, in Float arithmetic only (no double-precision
    /// emulation on a single-precision FPU such as the Cortex-M4F's). Whole turns are removed
    /// first by Cody-Waite reduction (2 pi split in two parts, the first exact in a product
    /// with the turn count), so what is left to scale is small and the error stays at most
    /// 4e-7 rad for |radians| <= 1000 (measured 3.4e-7 by BinaryAngleTests: two Float
    /// roundings near pi). For the per-bin phase
    /// steps of the integrators.
    @inlinable @inline(__always)
    public init(singlePrecisionRadians radians: Float) {
        // NaN, infinity and |radians| > 2^22 carry no usable phase: zero, rather than a trap.
        // Selects and roundings without checked conversions (|wholeTurns| stays below 2^22 and
        // |turns 2^31| at about 2^30) rather than branches, so that a loop converting a row
        // vectorises.
        let inRange = abs(radians) <= 4_194_304, x = inRange ? radians : 0
        let wholeTurns = Float(Int(FloatMath.nearestSmallInteger(x * 0.159_154_94)))  // 1 / (2 pi)
        let reduced = x - wholeTurns * 6.281_25 - wholeTurns * 1.935_307_2e-3
        let turns = reduced * 0.159_154_94
        let raw = UInt32(bitPattern: FloatMath.nearestInt32(turns * 2_147_483_648)) &<< 1
        self.raw = inRange ? raw : 0
    }

    /// The signed angle in radians, in [-pi, pi], computed in Float only (error below 3e-7
    /// rad, from rounding the 32-bit angle to a 24-bit Float significand).
    @inline(__always)
    public var singlePrecisionRadians: Float {
        // Through Int, as FloatMath.nearestInteger explains: one VCVT on the Cortex-M4F.
        Float(Int(Int32(bitPattern: raw))) * 1.462_918_1e-9  // 2 pi / 2^32
    }

    /// The angle from a Q15 fraction of a turn (32768 is one turn); exact, modulo one turn.
    public init(q15Turns: Int16) {
        self.raw = UInt32(bitPattern: Int32(q15Turns) &<< 17)
    }

    /// The signed angle as a Q15 fraction of a turn, in [-16384, 16384] (that is [-1/2, 1/2]
    /// turn), rounded half up; error at most half a Q15 LSB, 2^-16 turn.
    public var q15Turns: Int16 {
        Int16(truncatingIfNeeded: roundingShiftRight(Int32(bitPattern: raw), by: 17))
    }
}

/// A 16-bit binary angle (a full turn is 2^16, resolution 9.6e-5 rad) for storing phases in
/// half the memory; compute in `BinaryAngle` and convert at the boundary.
public struct BinaryAngle16: Equatable, Sendable {
    /// The angle in units of 2^-16 turn.
    public var raw: UInt16

    public init(raw: UInt16) {
        self.raw = raw
    }

    /// The nearest 16-bit angle to `angle`, rounded half up, modulo one turn; error at most
    /// 2^-17 turn.
    public init(_ angle: BinaryAngle) {
        self.raw = UInt16(truncatingIfNeeded: (angle.raw &+ 0x8000) &>> 16)
    }
}

extension BinaryAngle {
    /// The same angle at 32-bit resolution (exact).
    public init(_ angle: BinaryAngle16) {
        self.raw = UInt32(angle.raw) &<< 16
    }
}
