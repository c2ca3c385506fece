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
        let i = count
        count += 1
        let code = UInt16(bin * 2 + (currentFrame ? 1 : 0))
        withRows { keys, entries in
            // Sift up: move parents with smaller keys down until the new entry's place is found.
            var i = i
            while i > 0 {
                let parent = (i &- 1) / 2
                if keys[parent] >= magnitude { break }
                keys[i] = keys[parent]
                entries[i] = entries[parent]
                i = parent
            }
            keys[i] = magnitude
            entries[i] = code
        }
    }

    /// Removes and returns the entry with the largest magnitude.
    mutating func pop() -> (bin: Int, currentFrame: Bool) {
        precondition(count > 0, "BinHeap: empty")
        let top = entry(0)
        count -= 1
        let n = count
        guard n > 0 else { return (Int(top >> 1), top & 1 == 1) }
        // The sift-down over raw rows: it is most of RTPGHI's time, and each level's bounds
        // checks and pair indexing cost as much as its comparisons. The larger child is picked
        // with a select, which a desktop core does not mispredict.
        withRows { keys, entries in
            let lastKey = keys[n], lastEntry = entries[n]
            var i = 0
            while true {
                var child = 2 &* i &+ 1
                if child >= n { break }
                let right = child &+ 1
                child = right < n && keys[right] > keys[child] ? right : child
                if keys[child] <= lastKey { break }
                keys[i] = keys[child]
                entries[i] = entries[child]
                i = child
            }
            keys[i] = lastKey
            entries[i] = lastEntry
        }
        return (Int(top >> 1), top & 1 == 1)
    }

    /// The 2K keys and entries as flat rows (entry i at index i).
    @inline(__always)
    private mutating func withRows(_ body: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<UInt16>) -> Void) {
        var keyRow = keys.mutableSpan, entryRow = entries.mutableSpan
        keyRow.withUnsafeMutableBufferPointer { keyPairs in
            entryRow.withUnsafeMutableBufferPointer { entryPairs in
                keyPairs.withMemoryRebound(to: Float.self) { keys in
                    entryPairs.withMemoryRebound(to: UInt16.self) { entries in
                        body(keys.baseAddress!, entries.baseAddress!)
                    }
                }
            }
        }
    }

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

    @inline(__always) private func entry(_ i: Int) -> UInt16 { entries[i >> 1][i & 1] }
}
