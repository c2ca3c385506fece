/// The STFT every product configuration runs at: 16 kHz speech, periodic Hann window of
/// N = 512, hop H = 128 (75 % overlap), K = N/2 + 1 = 257 bins. The core's generic types take
/// these as value generics, which must be spelled as literals, so the aliases below are the one
/// place that spells them; everything else names the aliases (or reads the values here).
public enum ProductSTFT {
    public static var frameLength: Int { 512 }
    public static var hop: Int { 128 }
    public static var bins: Int { 257 }
}

public typealias ProductSTFTAnalysis = STFTAnalysis<512, 128>
public typealias ProductSTFTSynthesis = STFTSynthesis<512, 128>
public typealias ProductQ15STFTAnalysis = Q15STFTAnalysis<512, 128>
public typealias ProductQ15STFTSynthesis = Q15STFTSynthesis<512, 128>
public typealias ProductIntegrator = LeastSquaresPhaseIntegrator<257>
public typealias ProductPGHIEstimator = PGHIEstimator<257>
public typealias ProductQ15PGHIEstimator = Q15PGHIEstimator<257>
public typealias ProductPhaseGradientInverter<Estimator: PhaseDerivativeEstimator> = PhaseGradientInverter<512, 128, 257, Estimator>
public typealias ProductQ15PhaseGradientInverter<Estimator: Q15PhaseDerivativeEstimator> = Q15PhaseGradientInverter<512, 128, 257, Estimator>
public typealias ProductRTPGHIInverter = RTPGHIInverter<512, 128, 257>
public typealias ProductSPSIInverter = SPSIInverter<512, 128, 257>
public typealias ProductQ15SPSIInverter = Q15SPSIInverter<512, 128, 257>
/// RTISI-LA buffering up to `Capacity` frames (look-ahead up to Capacity - 1).
public typealias ProductRTISILAInverter<let Capacity: Int> = RTISILAInverter<512, 128, 257, Capacity>
/// Look-ahead refinement buffering up to `Capacity` frames (look-ahead up to Capacity - 1).
public typealias ProductLookaheadRefinementInverter<let Capacity: Int, Estimator: PhaseDerivativeEstimator> =
    LookaheadRefinementInverter<512, 128, 257, Capacity, Estimator>
