/// The one piece of bookkeeping every streaming buffer shares: each hop, the oldest H
/// elements leave at the front and H new ones enter at the back (the analysis history takes the
/// new input samples, the synthesis accumulator takes zeros for the newest frame to add onto).
extension InlineArray {
    /// Moves every element `newest.count` places towards the front, dropping the oldest, and
    /// writes `newest` into the freed places at the end.
    mutating func slide(in newest: Span<Element>) {
        let h = newest.count
        for i in 0..<(count - h) { self[i] = self[i + h] }
        for i in 0..<h { self[count - h + i] = newest[i] }
    }

    /// Same, with `hop` copies of `value` entering at the end.
    mutating func slide(in value: Element, hop: Int) {
        for i in 0..<(count - hop) { self[i] = self[i + hop] }
        for i in (count - hop)..<count { self[i] = value }
    }

    /// Moves every row of `width` elements one row towards the back (row r to r + 1), dropping
    /// the last; row 0 keeps its values for the caller to overwrite. (Histories kept newest
    /// first, as the networks' feature rows.)
    mutating func slideRows(width: Int) {
        var row = count - width
        while row > 0 {
            for k in 0..<width { self[row + k] = self[row - width + k] }
            row -= width
        }
    }
}

/// What `slide` executes on a buffer of `count` elements (whatever the hop), for the simulator
/// (OperationCounter): a load and a store per element moved or entering.
func slideOperations(count: Int) -> OperationMix {
    OperationMix(integer: 1, load: 1, store: 1, branch: 1) * count
}
