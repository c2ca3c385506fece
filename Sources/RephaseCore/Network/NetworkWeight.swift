/// How a network's weight tables are stored. The arithmetic is always Float32; Float16
/// storage halves the tables (flash on a microcontroller) at a small, tested cost in accuracy
/// (CNNWeightsTests states the tolerance).
public protocol NetworkWeight {
    /// The weight as the Float32 the kernels compute with.
    var float: Float { get }
}

extension Float: NetworkWeight {
    public var float: Float { self }
}

extension Float16: NetworkWeight {
    public var float: Float { Float(self) }
}
