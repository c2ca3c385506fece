/// Counts of machine operations by class: what a kernel call executes, as its loops' bounds
/// say, in the classes a target's cost model prices (RephaseSim's profiles give cycles per
/// class, cited from each core's technical reference manual). Counts are of instructions a
/// straightforward compilation executes, so a profile's cost per class can be checked
/// against an instruction-counting emulator (Targets/cortex-m4).
package struct OperationMix: Equatable {
    /// 32-bit integer ALU operations: add, subtract, shift, logic, compare, select, saturate.
    package var integer = 0
    /// Single multiplies and multiply-accumulates (MUL, MLA, SMLABB, SMULL): one 16 x 16 or 32 x 32 product.
    package var multiply = 0
    /// Dual 16 x 16 multiply-accumulates (SMLAD): two products of packed Q15 pairs at once.
    package var dualMultiply = 0
    /// Integer divisions.
    package var divide = 0
    /// Loads and stores from memory (not registers).
    package var load = 0
    package var store = 0
    /// Taken branches: loop back edges and calls.
    package var branch = 0
    /// Float32 additions, subtractions, comparisons, min/max, absolute values, conversions.
    package var floatAdd = 0
    /// Float32 multiplications.
    package var floatMultiply = 0
    /// Float32 multiply-adds a * b + c. Swift does not fuse them (no VFMA, so that every target
    /// rounds alike and the boards' bits equal the host's): a multiply and an add each.
    package var floatMultiplyAdd = 0
    /// Float32 divisions and square roots.
    package var floatDivide = 0
    package var floatSquareRoot = 0

    package init(
        integer: Int = 0, multiply: Int = 0, dualMultiply: Int = 0, divide: Int = 0, load: Int = 0, store: Int = 0,
        branch: Int = 0, floatAdd: Int = 0, floatMultiply: Int = 0, floatMultiplyAdd: Int = 0, floatDivide: Int = 0,
        floatSquareRoot: Int = 0
    ) {
        self.integer = integer
        self.multiply = multiply
        self.dualMultiply = dualMultiply
        self.divide = divide
        self.load = load
        self.store = store
        self.branch = branch
        self.floatAdd = floatAdd
        self.floatMultiply = floatMultiply
        self.floatMultiplyAdd = floatMultiplyAdd
        self.floatDivide = floatDivide
        self.floatSquareRoot = floatSquareRoot
    }

    /// The count of one class.
    package subscript(_ c: OperationClass) -> Int {
        switch c {
        case .integer: integer
        case .multiply: multiply
        case .dualMultiply: dualMultiply
        case .divide: divide
        case .load: load
        case .store: store
        case .branch: branch
        case .floatAdd: floatAdd
        case .floatMultiply: floatMultiply
        case .floatMultiplyAdd: floatMultiplyAdd
        case .floatDivide: floatDivide
        case .floatSquareRoot: floatSquareRoot
        }
    }

    /// The instructions the mix stands for: one per operation, two per float multiply-add (a
    /// multiply and an add): what an instruction-counting emulator should see for the same code
    /// (Targets/cortex-m4/profile-stages compares them stage by stage).
    package var instructions: Int {
        var total = floatMultiplyAdd
        for c in OperationClass.allCases { total += self[c] }
        return total
    }

    /// The mix with `counts(c)` operations of every class c.
    package init(counts: (OperationClass) -> Int) {
        self.init(
            integer: counts(.integer), multiply: counts(.multiply), dualMultiply: counts(.dualMultiply),
            divide: counts(.divide), load: counts(.load), store: counts(.store), branch: counts(.branch),
            floatAdd: counts(.floatAdd), floatMultiply: counts(.floatMultiply), floatMultiplyAdd: counts(.floatMultiplyAdd),
            floatDivide: counts(.floatDivide), floatSquareRoot: counts(.floatSquareRoot))
    }

    /// The mix repeated `count` times (a loop body times its trip count). Wrapping arithmetic:
    /// counts stay far below 2^63, and without overflow traps the twelve lanes vectorise, which
    /// keeps the hook's cost on the host small (it runs once per kernel call).
    package static func * (mix: OperationMix, count: Int) -> OperationMix {
        OperationMix(
            integer: mix.integer &* count, multiply: mix.multiply &* count, dualMultiply: mix.dualMultiply &* count,
            divide: mix.divide &* count, load: mix.load &* count, store: mix.store &* count, branch: mix.branch &* count,
            floatAdd: mix.floatAdd &* count, floatMultiply: mix.floatMultiply &* count,
            floatMultiplyAdd: mix.floatMultiplyAdd &* count, floatDivide: mix.floatDivide &* count,
            floatSquareRoot: mix.floatSquareRoot &* count)
    }

    package static func + (a: OperationMix, b: OperationMix) -> OperationMix {
        OperationMix(
            integer: a.integer &+ b.integer, multiply: a.multiply &+ b.multiply, dualMultiply: a.dualMultiply &+ b.dualMultiply,
            divide: a.divide &+ b.divide, load: a.load &+ b.load, store: a.store &+ b.store, branch: a.branch &+ b.branch,
            floatAdd: a.floatAdd &+ b.floatAdd, floatMultiply: a.floatMultiply &+ b.floatMultiply,
            floatMultiplyAdd: a.floatMultiplyAdd &+ b.floatMultiplyAdd, floatDivide: a.floatDivide &+ b.floatDivide,
            floatSquareRoot: a.floatSquareRoot &+ b.floatSquareRoot)
    }
}

/// The classes of OperationMix, in the order of its properties: what a target profile prices,
/// one cost per class. The raw value indexes the counter's tally and a profile's cost table.
package enum OperationClass: Int, CaseIterable, Sendable {
    case integer, multiply, dualMultiply, divide, load, store, branch
    case floatAdd, floatMultiply, floatMultiplyAdd, floatDivide, floatSquareRoot

    /// How many classes there are (`allCases.count`, without building the array).
    package static var count: Int { floatSquareRoot.rawValue + 1 }
}
