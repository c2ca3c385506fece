/// Reorders n = 2^bits interleaved complex points (2n scalars at `x`) into bit-reversed index
/// order, which the decimation-in-time stages expect; shared by the Float32 and Q15 FFTs.
///
/// An index is split as (a, m, b): a the high `half` bits, b the low `half` bits, m the middle
/// bit when `bits` is odd. Its reversal is (rev b, m, rev a), which is larger exactly when
/// rev b > a. So the loops visit only the pairs to swap, each once, and no branch depends on
/// the data (the loop over every index with an `if j > i` mispredicts about every other time
/// on a desktop core). Halves have at most 5 bits, hence the 32-entry table.
@inline(__always)
func bitReversePermute<Scalar: SIMDScalar>(_ x: UnsafeMutablePointer<Scalar>, n: Int, bits: Int) {
    let half = bits / 2, middle = bits & 1
    let size = 1 &<< half
    var a = 0
    while a < size {
        let reversedA = reversedHalf(a, bits: half)
        var reversedB = a &+ 1
        while reversedB < size {
            let i = (a &<< (half &+ middle)) | reversedHalf(reversedB, bits: half)
            let j = (reversedB &<< (half &+ middle)) | reversedA
            swapPoints(x, i, j)
            if middle == 1 {
                swapPoints(x, i | size, j | size)
            }
            reversedB &+= 1
        }
        a &+= 1
    }
}

/// The `bits`-bit reversal of i (bits <= 5).
@inline(__always)
private func reversedHalf(_ i: Int, bits: Int) -> Int {
    Int(bitReverse5[i]) &>> (5 &- bits)
}

/// Swaps points i and j, each moved whole as a SIMD2: one word load and store per Q15 point
/// on a Cortex-M4 (which allows unaligned word access) instead of two halfword ones.
@inline(__always)
private func swapPoints<Scalar: SIMDScalar>(_ x: UnsafeMutablePointer<Scalar>, _ i: Int, _ j: Int) {
    let p = UnsafeMutableRawPointer(x + 2 &* i), q = UnsafeMutableRawPointer(x + 2 &* j)
    let point = p.loadUnaligned(as: SIMD2<Scalar>.self)
    p.storeBytes(of: q.loadUnaligned(as: SIMD2<Scalar>.self), as: SIMD2<Scalar>.self)
    q.storeBytes(of: point, as: SIMD2<Scalar>.self)
}
