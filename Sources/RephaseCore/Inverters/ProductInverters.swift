/// The concrete inverter type of each product configuration (ProductConfiguration) and how it
/// is built, so that the CLI, the benchmark and the C interface run the same inverters. One
/// function a method and format family: a caller that dispatches over configurations calls
/// only those it selects, and a product image links nothing else. MCNN (fixed sizes, no
/// options) is built directly: MCNNInverter(precision:) and Q15MCNNInverter().
public enum ProductInverters {
    /// cnn and cnn-strided in Float32 or Float16 weights.
    public typealias CNN = ProductPhaseGradientInverter<CNNEstimator>
    /// cnn in Q15.
    public typealias Q15CNN = ProductQ15PhaseGradientInverter<Q15CausalCNNEstimator>
    /// cnn-strided in Q15 (a narrower network, so its own type: Q15CNNEstimator).
    public typealias Q15StridedCNN = ProductQ15PhaseGradientInverter<Q15StridedCNNEstimator>
    public typealias PGHI = ProductPhaseGradientInverter<ProductPGHIEstimator>
    public typealias Q15PGHI = ProductQ15PhaseGradientInverter<ProductQ15PGHIEstimator>
    /// cnn-la: a buffer of 7 frames, look-ahead up to 6 frames (48 ms).
    public typealias CNNLA = ProductLookaheadRefinementInverter<7, CNNEstimator>
    public typealias RTPGHI = ProductRTPGHIInverter
    public typealias SPSI = ProductSPSIInverter
    public typealias Q15SPSI = ProductQ15SPSIInverter
    /// rtisi-la: a buffer of 8 frames, look-ahead up to 7 frames (56 ms).
    public typealias RTISILA = ProductRTISILAInverter<8>

    /// cnn or cnn-strided; `input` picks the network (the mel one behind the streaming mel stage).
    public static func cnn(
        _ variant: CNNVariant, _ precision: CNNPrecision, input: CNNInput = .linear, integrator: ProductIntegrator
    ) -> CNN {
        CNN(estimator: CNNEstimator(variant: variant, precision: precision, input: input), integrator: integrator)
    }

    /// cnn in Q15; `input` as for `cnn`.
    public static func q15CNN(input: CNNInput = .linear, integrator: ProductIntegrator) -> Q15CNN {
        Q15CNN(estimator: Q15CausalCNNEstimator(variant: .causal, input: input), integrator: integrator)
    }

    /// cnn-strided in Q15; `input` as for `cnn`.
    public static func q15StridedCNN(input: CNNInput = .linear, integrator: ProductIntegrator) -> Q15StridedCNN {
        Q15StridedCNN(estimator: Q15StridedCNNEstimator(variant: .strided, input: input), integrator: integrator)
    }

    public static func pghi(lookahead: Int, integrator: ProductIntegrator) -> PGHI {
        PGHI(
            estimator: ProductPGHIEstimator(frameLength: ProductSTFT.frameLength, hop: ProductSTFT.hop, lookahead: lookahead),
            integrator: integrator)
    }

    public static func q15PGHI(lookahead: Int, integrator: ProductIntegrator) -> Q15PGHI {
        Q15PGHI(
            estimator: ProductQ15PGHIEstimator(frameLength: ProductSTFT.frameLength, hop: ProductSTFT.hop, lookahead: lookahead),
            integrator: integrator)
    }

    /// The causal CNN, refined over `lookahead` frames; `input` as for `cnn`.
    public static func cnnLA(
        _ precision: CNNPrecision, input: CNNInput = .linear, integrator: ProductIntegrator, lookahead: Int, iterations: Int,
        momentum: Float
    ) -> CNNLA {
        CNNLA(
            estimator: CNNEstimator(variant: .causal, precision: precision, input: input), integrator: integrator,
            lookahead: lookahead, iterations: iterations, momentum: momentum)
    }

    public static func rtpghi(lookahead: Int) -> RTPGHI { RTPGHI(lookahead: lookahead) }

    public static func rtisiLA(lookahead: Int, iterations: Int, momentum: Float = RTISILA.defaultMomentum) -> RTISILA {
        RTISILA(lookahead: lookahead, iterations: iterations, momentum: momentum)
    }
}
