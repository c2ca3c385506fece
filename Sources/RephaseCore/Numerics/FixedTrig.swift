/// Sine, cosine and atan2 on binary angles, in integer arithmetic only.
public enum FixedTrig {
    /// sin(angle) in Q15.
    ///
    /// Linear interpolation in a 257-entry Q31 quarter-sine table (`sineQuarterQ31`): the top 2
    /// bits of the angle pick the quadrant (mirror and sign), the next 8 the table segment, and
    /// the low 22 bits weight the interpolation. The interpolated Q53 value is rounded once to
    /// Q15, half up (ties toward +infinity), and sin = 1 saturates to 32767.
    /// Error: interpolation at most (pi/512)^2 / 8 = 4.7e-6 plus half an LSB of rounding.
    /// Max |error| asserted over 65536 evenly spaced and 100000 random angles: 0.67 LSB (2.0e-5;
    /// measured 0.653) wherever the exact value fits in Q15, and 1 LSB (3.1e-5) at sin = 1,
    /// where 32768 does not fit.
    public static func sin(_ angle: BinaryAngle) -> Int16 {
        let quadrant = angle.raw &>> 30
        let position = angle.raw & 0x3FFF_FFFF
        let segment = Int(position &>> 22)
        let weight = Int64(position & 0x3F_FFFF)
        // Interpolate from `near` toward `far`; odd quadrants run through the table backwards,
        // since sin(pi/2 + t) = sin(pi/2 - t).
        let near: Int64
        let far: Int64
        if quadrant & 1 == 0 {
            near = Int64(sineQuarterQ31[segment])
            far = Int64(sineQuarterQ31[segment + 1])
        } else {
            near = Int64(sineQuarterQ31[256 - segment])
            far = Int64(sineQuarterQ31[255 - segment])
        }
        var value = (near &<< 22) &+ (far &- near) &* weight  // Q53
        if quadrant >= 2 { value = 0 &- value }
        return Q15.saturating(Int32(truncatingIfNeeded: roundingShiftRight(value, by: 38)))
    }

    /// cos(angle) in Q15: `sin(angle + quarter turn)`, with the same rounding, saturation and
    /// error as `sin`.
    public static func cos(_ angle: BinaryAngle) -> Int16 {
        sin(angle + .quarterTurn)
    }

    /// The angle of the vector (x, y), full circle, as a binary angle. Read as an Int32 it lies
    /// in [-pi, pi), so the negative x axis comes out as -pi where Double's atan2 says +pi: the
    /// same angle. The components are int16, as the Q15 network emits them.
    ///
    /// atan2(0, 0) returns 0 by definition. The axes and diagonals are exact: (+, 0) -> 0,
    /// (0, +) -> quarter turn, (-, 0) -> half turn, (0, -) -> three quarters, |y| = |x| -> odd
    /// eighths. Otherwise the vector is folded into the first octant (0 < small < large), the
    /// ratio t = small/large is taken to 16 fractional bits by one rounded integer division,
    /// and atan(t) is interpolated linearly between the 257 entries of `arctanTurns`
    /// (rounded half up), then unfolded. Error: at most 2^-17 in t (7.6e-6 rad, the slope of
    /// atan being at most 1) plus the interpolation's h^2/8 max|atan''| = 1.2e-6 rad plus the
    /// table's rounding; asserted against Double atan2 of the same integers over dense angle
    /// sweeps at several radii, all vectors in [-64, 64]^2 and random pairs: 9e-6 rad
    /// (measured 8.0e-6), far below the int16 components' own resolution (3e-5 rad at a
    /// radius of 32767). A few dozen instructions where the CORDIC it replaces took about 200.
    public static func atan2(y: Int16, x: Int16) -> BinaryAngle {
        let ax = UInt32(Int32(x).magnitude), ay = UInt32(Int32(y).magnitude)
        if ay == 0 { return x < 0 ? .halfTurn : .zero }
        if ax == 0 { return y < 0 ? -.quarterTurn : .quarterTurn }
        let steep = ay > ax
        var angle = firstOctantAngle(large: steep ? ay : ax, small: steep ? ax : ay)
        if steep { angle = 0x4000_0000 &- angle }  // atan(y/x) = pi/2 - atan(x/y)
        if x < 0 { angle = 0x8000_0000 &- angle }  // mirror into the left half-plane
        if y < 0 { angle = 0 &- angle }  // mirror into the lower half-plane
        return BinaryAngle(raw: angle)
    }

    /// atan(small / large) for 0 < small <= large <= 2^15, in 2^-32 turns (at most 2^29, an
    /// eighth turn): t = round(2^16 small / large) in [0, 2^16] (small << 16 stays below 2^32),
    /// segment t >> 8 of the table, fraction t & 255.
    @inline(__always)
    private static func firstOctantAngle(large: UInt32, small: UInt32) -> UInt32 {
        let t = ((small &<< 16) &+ (large &>> 1)) / large
        let segment = Int(t &>> 8), fraction = Int32(t & 255)
        if segment == 256 { return UInt32(bitPattern: arctanTurns[256]) }
        let near = arctanTurns[segment], far = arctanTurns[segment &+ 1]
        return UInt32(bitPattern: near &+ (((far &- near) &* fraction &+ 128) &>> 8))
    }

    /// The operations one `atan2` call executes (the magnitudes and the octant folding and
    /// unfolding, the division, the table's two loads and the interpolation, the call), for
    /// kernels that report their cost (OperationCounter) per call: 45 instructions on the M4,
    /// measured under QEMU (Targets/cortex-m4/profile-stages).
    package static var atan2Operations: OperationMix {
        OperationMix(integer: 31, multiply: 1, divide: 1, load: 4, branch: 8)
    }

    /// The operations one `sin` or `cos` executes (the quadrant's mirror and sign, the table's
    /// two loads, the 64-bit interpolation, its rounding and saturation, the call): 38
    /// instructions on the M4, measured under QEMU.
    package static var sineOperations: OperationMix {
        OperationMix(integer: 31, multiply: 2, load: 2, branch: 3)
    }
}
