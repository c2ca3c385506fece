import Foundation
import RephaseCore
import Testing

/// The encodings TTS models write mel spectrograms in: decoding against float64, the power-2
/// conversion's defining cases, the admitted range, and the wrapper decoding each frame.
@Suite struct MelEncodingTests {
    static let all = MelEncoding.Logarithm.allCases.flatMap { log in
        MelEncoding.Power.allCases.map { MelEncoding(logarithm: log, power: $0) }
    }

    /// float64 logarithm of `x` in the encoding (what numpy, librosa and torch compute).
    static func reference(_ x: Double, _ encoding: MelEncoding) -> Double {
        switch encoding.logarithm {
        case .none: x
        case .natural: Foundation.log(x)
        case .base10: log10(x)
        case .decibel: (encoding.power == .squared ? 10 : 20) * log10(x)
        }
    }

    /// Decoding undoes a float64 logarithm to within 2e-6 relative over 1e-7 ... 1e7 (the
    /// float32 rounding of the logarithm itself, amplified by its size, and exp2's 2.5e-7), and
    /// encoding agrees with float64 to within 1e-6 of the logarithm's size.
    @Test(arguments: all)
    func decodesAndEncodesAsFloat64(encoding: MelEncoding) {
        var worstDecode = 0.0, worstEncode = 0.0
        for e in stride(from: -7.0, through: 7.0, by: 0.37) {
            let x = pow(10, e)
            let encoded = Float(Self.reference(x, encoding))
            let decoded = Double(encoding.value(of: encoded))
            let exact = encoding.logarithm == .none ? Double(Float(x)) : Self.inverse(Double(encoded), encoding)
            worstDecode = max(worstDecode, abs(decoded - exact) / exact)
            let written = Double(encoding.encode(Float(x), floor: 1e-30))
            worstEncode = max(worstEncode, abs(written - Self.reference(Double(Float(x)), encoding)) / max(1, abs(written)))
        }
        #expect(worstDecode < 2e-6, "decode \(worstDecode)")
        #expect(worstEncode < 1e-6, "encode \(worstEncode)")
    }

    static func inverse(_ v: Double, _ encoding: MelEncoding) -> Double {
        switch encoding.logarithm {
        case .none: v
        case .natural: exp(v)
        case .base10: pow(10, v)
        case .decibel: pow(10, v / (encoding.power == .squared ? 10 : 20))
        }
    }

    /// Power 2: exact for a spectrum flat across the band (the power-1 value), and never below
    /// the power-1 value otherwise.
    @Test func squaredValuesBecomeTheBandRMSTimesItsWeight() {
        let bank = MelFilterbank<257, 80>(), sums = bank.bandSums
        let encoding = MelEncoding(power: .squared)
        var flat = [Float](repeating: 0.5, count: 257), mel = [Float](repeating: 0, count: 80)
        var power = [Float](repeating: 0, count: 80)
        var out = mel.mutableSpan
        bank.apply(flat.span, to: &out)
        var squared = flat.map { $0 * $0 }
        var outPower = power.mutableSpan
        bank.apply(squared.span, to: &outPower)
        for b in 0..<80 {
            #expect(abs(encoding.magnitudeMel(power[b], bandSum: sums[b]) - mel[b]) <= 1e-6 * mel[b] + 1e-9, "band \(b)")
        }
        flat = (0..<257).map { Float($0 % 7) / 3 }
        squared = flat.map { $0 * $0 }
        out = mel.mutableSpan
        bank.apply(flat.span, to: &out)
        outPower = power.mutableSpan
        bank.apply(squared.span, to: &outPower)
        for b in 0..<80 { #expect(encoding.magnitudeMel(power[b], bandSum: sums[b]) >= mel[b] * (1 - 1e-6), "band \(b)") }
    }

    /// Without a logarithm values are non-negative; with one, any finite value up to the
    /// logarithm of the largest magnitude (squared at power 2); never NaN or infinity.
    @Test func admitsTheRangeItCanDecode() {
        let linear = MelEncoding.linear, ln = MelEncoding(logarithm: .natural)
        let lnSquared = MelEncoding(logarithm: .natural, power: .squared), db = MelEncoding(logarithm: .decibel)
        #expect(linear.admits(0) && linear.admits(1e9) && !linear.admits(-1e-30) && !linear.admits(2e9))
        #expect(ln.admits(-1000) && ln.admits(20.7) && !ln.admits(20.8))
        #expect(lnSquared.admits(41.4) && !lnSquared.admits(41.5))
        #expect(db.admits(179.9) && !db.admits(180.1))
        for encoding in Self.all {
            #expect(!encoding.admits(.nan) && !encoding.admits(.infinity) && !encoding.admits(-.infinity))
        }
    }

    /// The wrapper decodes each frame before its stage: the same output as the linear wrapper
    /// fed the frames decoded one value at a time.
    @Test(arguments: all)
    func wrapperDecodesEachFrame(encoding: MelEncoding) {
        let bank = MelFilterbank<257, 80>(), sums = bank.bandSums
        let stage = MelToLinear(filterbank: bank, iterations: 0)
        let mels = MelToLinearTests.melFrames
        let encoded = mels.map { frame in frame.map { encoding.encode(encoding.power == .squared ? $0 * $0 : $0, floor: 1e-8) } }
        let decoded = encoded.map { frame in (0..<80).map { encoding.magnitudeMel(frame[$0], bandSum: sums[$0]) } }
        var wrapped = MelInverter(stage: stage, inner: MelInverterTests.pghi(), encoding: encoding)
        var plain = MelInverter(stage: stage, inner: MelInverterTests.pghi())
        #expect(streamOutput(&wrapped, frames: encoded) == streamOutput(&plain, frames: decoded))
    }
}
