/// Element-wise operations on rows of Floats, looped over unsafe pointers so that the compiler
/// vectorises them (a span's bounds check in the loop body keeps such a loop scalar). Every
/// element gets exactly the one operation named, so the results do not depend on the vector
/// width: the same bits on every target. `at` places the shorter row inside `x`.
enum FloatRows {
    /// x[at + n] = y[n].
    @inline(__always)
    static func copy(_ y: Span<Float>, into x: inout MutableSpan<Float>, at start: Int = 0) {
        apply(y, to: &x, at: start) { $0 = $1 }
    }

    /// x[at + n] += y[n].
    @inline(__always)
    static func add(_ y: Span<Float>, to x: inout MutableSpan<Float>, at start: Int = 0) {
        apply(y, to: &x, at: start) { $0 += $1 }
    }

    /// x[at + n] *= w[n].
    @inline(__always)
    static func multiply(_ x: inout MutableSpan<Float>, at start: Int = 0, by w: Span<Float>) {
        apply(w, to: &x, at: start) { $0 *= $1 }
    }

    /// out[n] = y[n] + out[n - stride] (y[n] for n < stride): the running sums of y's samples
    /// `stride` apart, out[n] = sum_{k >= 0} y[n - k stride].
    @inline(__always)
    static func runningSums(_ y: Span<Float>, stride: Int, into out: inout MutableSpan<Float>) {
        precondition(stride > 0 && y.count == out.count)
        y.withUnsafeBufferPointer { y in
            out.withUnsafeMutableBufferPointer { out in
                guard let p = out.baseAddress, let q = y.baseAddress else { return }
                for n in 0..<min(stride, y.count) { p[n] = q[n] }
                for n in stride..<max(stride, y.count) { p[n] = p[n - stride] + q[n] }
            }
        }
    }

    /// out[n] = x[n] * w[n], into a whole InlineArray row (an element of an array of rows, say).
    @inline(__always)
    static func product<let Count: Int>(_ x: Span<Float>, _ w: Span<Float>, into out: inout InlineArray<Count, Float>) {
        precondition(x.count == Count && w.count == Count)
        var row = out.mutableSpan
        x.withUnsafeBufferPointer { x in
            w.withUnsafeBufferPointer { w in
                row.withUnsafeMutableBufferPointer { out in
                    let p = x.baseAddress!, q = w.baseAddress!, r = out.baseAddress!
                    for n in 0..<Count { r[n] = p[n] * q[n] }
                }
            }
        }
    }

    @inline(__always)
    private static func apply(
        _ y: Span<Float>, to x: inout MutableSpan<Float>, at start: Int, _ operation: (inout Float, Float) -> Void
    ) {
        precondition(start >= 0 && start + y.count <= x.count)
        y.withUnsafeBufferPointer { y in
            x.withUnsafeMutableBufferPointer { x in
                let p = x.baseAddress! + start, q = y.baseAddress!
                for n in 0..<y.count { operation(&p[n], q[n]) }
            }
        }
    }
}
