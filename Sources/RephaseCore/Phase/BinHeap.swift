/// A fixed-capacity binary max-heap of spectrogram bins, keyed by magnitude, for RTPGHI's
/// "integrate from the strongest known bin outwards" order. Capacity 2K: every bin of the
/// previous and of the current frame can be queued at most once per frame.
/// Entries are (magnitude, bin, frame) with frame 0 = previous, 1 = current.
/// Storage is two K-rows because value generics do not allow the type InlineArray<2K, _>.
struct BinHeap<let K: Int> {
    var keys: InlineArray<2, InlineArray<K, Float>>
    var entries: InlineArray<2, InlineArray<K, UInt16>>
    private(set) var count = 0

    init() {
        precondition(2 * K <= Int(UInt16.max), "BinHeap: K too large")
        keys = .init(repeating: .init(repeating: 0))
        entries = .init(repeating: .init(repeating: 0))
    }

    var isEmpty: Bool { count == 0 }

    mutating func removeAll() { count = 0 }

    mutating func push(magnitude: Float, bin: Int, currentFrame: Bool) {
        precondition(count < 2 * K, "BinHeap: full")
        var i = count
        count += 1
        let code = UInt16(bin * 2 + (currentFrame ? 1 : 0))
        // Sift up: move parents with smaller keys down until the new entry's place is found.
        while i > 0 {
            let parent = (i - 1) / 2
            if key(parent) >= magnitude { break }
            set(i, key: key(parent), entry: entry(parent))
            i = parent
        }
        set(i, key: magnitude, entry: code)
    }

    /// Removes and returns the entry with the largest magnitude.
    mutating func pop() -> (bin: Int, currentFrame: Bool) {
        precondition(count > 0, "BinHeap: empty")
        let top = entry(0)
        count -= 1
        if count > 0 {
            let lastKey = key(count), lastEntry = entry(count)
            var i = 0
            // Sift down: move larger children up until the last entry fits.
            while true {
                var child = 2 * i + 1
                if child >= count { break }
                if child + 1 < count && key(child + 1) > key(child) { child += 1 }
                if key(child) <= lastKey { break }
                set(i, key: key(child), entry: entry(child))
                i = child
            }
            set(i, key: lastKey, entry: lastEntry)
        }
        return (Int(top >> 1), top & 1 == 1)
    }

    @inline(__always) private func key(_ i: Int) -> Float { keys[i / K][i % K] }
    @inline(__always) private func entry(_ i: Int) -> UInt16 { entries[i / K][i % K] }
    @inline(__always) private mutating func set(_ i: Int, key: Float, entry: UInt16) {
        keys[i / K][i % K] = key
        entries[i / K][i % K] = entry
    }
}
