/// A fixed-capacity binary max-heap of spectrogram bins, keyed by magnitude, for RTPGHI's
/// "integrate from the strongest known bin outwards" order. Capacity 2K: every bin of the
/// previous and of the current frame can be queued at most once per frame.
/// Entries are (magnitude, bin, frame) with frame 0 = previous, 1 = current.
/// Storage is K pairs, entry i in pair i / 2, because value generics do not allow the type
/// InlineArray<2K, _>.
struct BinHeap<let K: Int> {
    var keys: InlineArray<K, SIMD2<Float>>
    var entries: InlineArray<K, SIMD2<UInt16>>
    private(set) var count = 0

    init() {
        precondition(2 * K <= Int(UInt16.max), "BinHeap: K too large")
        keys = .init(repeating: .zero)
        entries = .init(repeating: .zero)
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

    /// What `push` executes, for the simulator (OperationCounter): the call and one level of
    /// sift-up, the expected depth for keys in random order (a new key rarely climbs far).
    static var pushOperations: OperationMix {
        OperationMix(integer: 12, load: 4, store: 4, branch: 3, floatAdd: 1)
    }

    /// What `pop` executes on a heap of `count` entries, sifting down to the bottom (the last
    /// entry, which it re-inserts from the top, belongs near the bottom).
    static func popOperations(count: Int) -> OperationMix {
        let levels = Int.bitWidth - max(count, 1).leadingZeroBitCount
        let level = OperationMix(integer: 8, load: 6, store: 2, branch: 1, floatAdd: 2)
        return OperationMix(integer: 8, load: 4, store: 2, branch: 2) + level * levels
    }

    @inline(__always) private func key(_ i: Int) -> Float { keys[i >> 1][i & 1] }
    @inline(__always) private func entry(_ i: Int) -> UInt16 { entries[i >> 1][i & 1] }
    @inline(__always) private mutating func set(_ i: Int, key: Float, entry: UInt16) {
        keys[i >> 1][i & 1] = key
        entries[i >> 1][i & 1] = entry
    }
}
