import RephaseCore

/// The memory a method needs on a target, in bytes: its whole state in RAM (exact, the size of
/// the inverter's type), the part of that state that only lives during one frame (scratch, which
/// firmware could share with other work between frames), and the constant tables it reads from
/// flash (weights, FFT tables). Code is not counted.
public struct MemoryFootprint: Equatable {
    public var ramBytes: Int
    /// nil when the inverter's type does not say (no MemoryAccounted conformance).
    public var scratchBytes: Int?
    public var flashBytes: Int?

    /// The footprint of `inverter`: RAM from its type; scratch and flash from its
    /// MemoryAccounted conformance, if it has one.
    public init<Inverter: MagnitudeInverter>(of inverter: Inverter) {
        ramBytes = MemoryLayout<Inverter>.size
        let accounted = inverter as? any MemoryAccounted
        scratchBytes = accounted?.frameScratchBytes
        flashBytes = accounted?.constantTableBytes
    }
}

/// An inverter (or estimator) that can say which part of its state is per-frame scratch and
/// which constant tables it reads.
public protocol MemoryAccounted {
    /// Bytes of the state that only live during one frame.
    var frameScratchBytes: Int { get }
    /// Bytes of the constant tables it reads (weights, FFT tables).
    var constantTableBytes: Int { get }
}

extension PhaseGradientInverter: MemoryAccounted where Estimator: MemoryAccounted {
    public var frameScratchBytes: Int { Self.scratchBytes + estimator.frameScratchBytes }
    public var constantTableBytes: Int { ConstantTableSizes.float32FFT + estimator.constantTableBytes }
}

extension LookaheadRefinementInverter: MemoryAccounted where Estimator: MemoryAccounted {
    /// The phase-gradient working rows, the integrator's scratch and the buffer's segment row;
    /// the buffered frames are state.
    public var frameScratchBytes: Int {
        PhaseGradientInverter<N, H, K, Estimator>.scratchBytes + MemoryLayout<InlineArray<N, Float>>.size + estimator.frameScratchBytes
    }
    public var constantTableBytes: Int { ConstantTableSizes.float32FFT + estimator.constantTableBytes }
}

extension Q15PhaseGradientInverter: MemoryAccounted where Estimator: MemoryAccounted {
    public var frameScratchBytes: Int { Self.scratchBytes + estimator.frameScratchBytes }
    public var constantTableBytes: Int {
        ConstantTableSizes.q15FFT + ConstantTableSizes.fixedPointNumerics + estimator.constantTableBytes
    }
}

extension Q15CNNEstimator: MemoryAccounted {
    public var frameScratchBytes: Int { Self.scratchBytes }
    public var constantTableBytes: Int { tableBytes }
}

extension Q15PGHIEstimator: MemoryAccounted {
    public var frameScratchBytes: Int { Self.scratchBytes }
    public var constantTableBytes: Int { 0 }
}

extension PGHIEstimator: MemoryAccounted {
    public var frameScratchBytes: Int { Self.scratchBytes }
    public var constantTableBytes: Int { 0 }
}

extension MelInverter: MemoryAccounted where Inner: MemoryAccounted {
    /// The decoded mel frame and the linear magnitudes between the stages (rewritten every
    /// frame), and the inner inverter's scratch; the stage's coefficients are state.
    public var frameScratchBytes: Int { MemoryLayout<Float>.size * (B + K) + inner.frameScratchBytes }
    public var constantTableBytes: Int { inner.constantTableBytes }
}

extension CNNEstimator: MemoryAccounted {
    public var frameScratchBytes: Int { Self.scratchBytes }
    public var constantTableBytes: Int { tableBytes }
}

extension RTPGHIInverter: MemoryAccounted {
    public var frameScratchBytes: Int { Self.scratchBytes }
    public var constantTableBytes: Int { ConstantTableSizes.float32FFT }
}

extension SPSIInverter: MemoryAccounted {
    public var frameScratchBytes: Int { Self.scratchBytes }
    public var constantTableBytes: Int { ConstantTableSizes.float32FFT }
}

extension Q15SPSIInverter: MemoryAccounted {
    public var frameScratchBytes: Int { Self.scratchBytes }
    public var constantTableBytes: Int { ConstantTableSizes.q15FFT + ConstantTableSizes.fixedPointSine + ConstantTableSizes.fixedPointLog2 }
}

extension RTISILAInverter: MemoryAccounted {
    /// The segment row each refinement rebuilds and the row the newest frame's window is built
    /// in (the only scratch; the buffered frames are state).
    public var frameScratchBytes: Int { 2 * MemoryLayout<InlineArray<N, Float>>.size }
    public var constantTableBytes: Int { ConstantTableSizes.float32FFT }
}

extension MCNNInverter: MemoryAccounted {
    public var frameScratchBytes: Int { Self.scratchBytes }
    public var constantTableBytes: Int { weightTableBytes }
}

extension Q15MCNNInverter: MemoryAccounted {
    public var frameScratchBytes: Int { scratchBytes }
    public var constantTableBytes: Int { weightTableBytes }
}
