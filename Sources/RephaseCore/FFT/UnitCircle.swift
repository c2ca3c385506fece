/// Points of the 2048-point unit circle, read from the quarter-wave tables in FFTTables.swift.
///
/// FFT sizes n <= 2048 need e^{-2 pi i j / n} = the 2048-circle point at index j * (2048 / n).
/// A quarter wave plus symmetry covers the half turn (index 0 ..< 1024) that FFTs use:
/// cos(a) = sin(pi/2 - a), and in the second quadrant cos(a) = -sin(a - pi/2),
/// sin(a) = sin(pi - a). Both entries are exact table values, so no rounding is added.
@inline(__always)
func unitCircle(_ index: Int) -> (cos: Float, sin: Float) {
    if index <= 512 {
        return (quarterSine[512 - index], quarterSine[index])
    }
    return (-quarterSine[index - 512], quarterSine[1024 - index])
}

/// The Q15 twin of `unitCircle`: (cos, sin) of 2 pi index / 2048 as Q15, 1.0 stored as 32767.
@inline(__always)
func q15UnitCircle(_ index: Int) -> (cos: Int16, sin: Int16) {
    // Wrapping index arithmetic: the table reads check the bounds, and an overflow check
    // before each would only repeat them.
    if index <= 512 {
        return (q15QuarterSine[512 &- index], q15QuarterSine[index])
    }
    return (0 &- q15QuarterSine[index &- 512], q15QuarterSine[1024 &- index])
}

/// log2 of a power of two n in 2...2048, or nil when n is not one (checked by every FFT entry).
func fftLog2(_ n: Int) -> Int? {
    guard n >= 2, n <= fftTableCircle, n & (n - 1) == 0 else { return nil }
    return n.trailingZeroBitCount
}
