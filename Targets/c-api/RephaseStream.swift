// The stream interface of rephase.h (rephase_stream_*, rephase_spectrogram): any number of
// inverters, each in storage its caller owns (no heap, no globals), so that hosts run several
// streams at once, on as many threads. Every configuration of Targets/c-api/configurations
// that the build's flags include, with its options; with REPHASE_MEL (and the Mel folder)
// also behind the core's streaming mel -> linear stage. Compiled with REPHASE_STREAMS only, so
// that product images which do not use it carry none of its code.

#if REPHASE_STREAMS

/// rephase_settings, read field by field at rephase.h's offsets (the core imports no C header).
struct StreamSettings {
    var method: Int32
    var format: Int32
    var lookahead: Int32
    var iterations: Int32
    var weightExponent: Float
    var coupling: Float
    var momentum: Float
    var melBands: Int32
    var melScale: Int32
    var melSteps: Int32
    var melLog: Int32
    var melPower: Int32

    init(method: Int32, format: Int32) {
        self.method = method
        self.format = format
        lookahead = 0
        iterations = 0
        weightExponent = 0
        coupling = 0
        momentum = 0
        melBands = 0
        melScale = 0
        melSteps = 0
        melLog = 0
        melPower = 1
    }

    init(_ raw: UnsafeRawPointer) {
        method = raw.loadUnaligned(fromByteOffset: 0, as: Int32.self)
        format = raw.loadUnaligned(fromByteOffset: 4, as: Int32.self)
        lookahead = raw.loadUnaligned(fromByteOffset: 8, as: Int32.self)
        iterations = raw.loadUnaligned(fromByteOffset: 12, as: Int32.self)
        weightExponent = raw.loadUnaligned(fromByteOffset: 16, as: Float.self)
        coupling = raw.loadUnaligned(fromByteOffset: 20, as: Float.self)
        momentum = raw.loadUnaligned(fromByteOffset: 24, as: Float.self)
        melBands = raw.loadUnaligned(fromByteOffset: 28, as: Int32.self)
        melScale = raw.loadUnaligned(fromByteOffset: 32, as: Int32.self)
        melSteps = raw.loadUnaligned(fromByteOffset: 36, as: Int32.self)
        melLog = raw.loadUnaligned(fromByteOffset: 40, as: Int32.self)
        melPower = raw.loadUnaligned(fromByteOffset: 44, as: Int32.self)
    }

    func write(to raw: UnsafeMutableRawPointer) {
        raw.storeBytes(of: method, toByteOffset: 0, as: Int32.self)
        raw.storeBytes(of: format, toByteOffset: 4, as: Int32.self)
        raw.storeBytes(of: lookahead, toByteOffset: 8, as: Int32.self)
        raw.storeBytes(of: iterations, toByteOffset: 12, as: Int32.self)
        raw.storeBytes(of: weightExponent, toByteOffset: 16, as: Float.self)
        raw.storeBytes(of: coupling, toByteOffset: 20, as: Float.self)
        raw.storeBytes(of: momentum, toByteOffset: 24, as: Float.self)
        raw.storeBytes(of: melBands, toByteOffset: 28, as: Int32.self)
        raw.storeBytes(of: melScale, toByteOffset: 32, as: Int32.self)
        raw.storeBytes(of: melSteps, toByteOffset: 36, as: Int32.self)
        raw.storeBytes(of: melLog, toByteOffset: 40, as: Int32.self)
        raw.storeBytes(of: melPower, toByteOffset: 44, as: Int32.self)
    }

    #if REPHASE_MEL
    /// The mel scale `melScale` names (rephase.h: 1 HTK, else Slaney).
    var scale: MelScale { melScale == 1 ? .htk : .slaney }

    /// The encoding of mel frames, or nil when `melLog` or `melPower` is not a code of rephase.h.
    var melEncoding: MelEncoding? {
        guard let logarithm = MelEncoding.Logarithm(rawValue: melLog), let power = MelEncoding.Power(rawValue: melPower) else {
            return nil
        }
        return MelEncoding(logarithm: logarithm, power: power)
    }
    #endif

    /// What the CNN configurations' network is given: the mel network behind the mel
    /// stage where its output is what that network is trained on (CNNInput.streamingMel), as
    /// the CLI chooses it; linear magnitudes otherwise.
    var networkInput: CNNInput {
        #if REPHASE_MEL
        guard melBands != 0 else { return .linear }
        let bands = MelBands(count: Int(melBands), fftSize: 512, sampleRate: 16_000, scale: scale)
        return CNNInput.streamingMel(bands, steps: Int(melSteps))
        #else
        return .linear
        #endif
    }

    /// The least-squares integrator these settings describe: the method's, with these weights,
    /// where a weight of 0 is the one tuned for the method and its input (rephase.h; epsilon
    /// keeps its default).
    var integrator: ProductIntegrator {
        let given = (exponent: weightExponent == 0 ? nil : weightExponent, coupling: coupling == 0 ? nil : coupling)
        return ProductMethod(rawValue: method)?.integrator(input: networkInput, exponent: given.exponent, coupling: given.coupling)
            ?? ProductIntegrator()
    }

    /// Whether every option that applies to the method is in its range (rephase.h), so that no
    /// precondition of the core can fail on them.
    var isValid: Bool {
        let leastSquares = method == 0 || method == 1 || method == 2 || method == 4
        if leastSquares, !(weightExponent >= 0 && weightExponent <= 16 && coupling >= 0 && coupling <= 1e6) { return false }
        switch method {
        case 2, 5: if !(0...1).contains(lookahead) { return false }
        case 4: if !((0...6).contains(lookahead) && (0...10_000).contains(iterations) && momentum >= 0 && momentum < 1) { return false }
        case 6: if !((0...7).contains(lookahead) && (1...10_000).contains(iterations) && momentum >= 0 && momentum < 1) { return false }
        default: break
        }
        #if REPHASE_MEL
        switch melBands {
        case 0: return true
        case 40, 64, 80, 128: return (0...1).contains(melScale) && (0...1000).contains(melSteps) && melEncoding != nil
        default: return false
        }
        #else
        return melBands == 0
        #endif
    }
}

/// What to do with the inverter of a configuration: `make` builds it from the settings
/// (called only by the work that creates one).
protocol StreamVisitor {
    mutating func visit<I: MagnitudeInverter>(_ make: () -> I)
}

/// Calls `visitor` with the inverter type (and its builder) of `settings`; false when the
/// configuration is not in this build.
func visitStream<V: StreamVisitor>(_ settings: StreamSettings, _ visitor: inout V) -> Bool {
    guard settings.melBands != 0 else { return visitLinear(settings, &visitor) }
    #if REPHASE_MEL
    let scale = settings.scale, steps = Int(settings.melSteps)
    // Settings whose encoding is out of range build nothing (rephase_stream_init refuses them).
    let encoding = settings.melEncoding ?? .linear
    switch settings.melBands {
    case 40: return MelFront<40, V>.wrap(settings, scale, steps, encoding, &visitor)
    case 64: return MelFront<64, V>.wrap(settings, scale, steps, encoding, &visitor)
    case 80: return MelFront<80, V>.wrap(settings, scale, steps, encoding, &visitor)
    case 128: return MelFront<128, V>.wrap(settings, scale, steps, encoding, &visitor)
    default: return false
    }
    #else
    return false
    #endif
}

#if REPHASE_MEL
/// Puts the mel -> linear stage of B bands in front of the configuration's inverter.
struct MelFront<let B: Int, Inner: StreamVisitor>: StreamVisitor {
    var inner: Inner
    let scale: MelScale
    let steps: Int
    let encoding: MelEncoding

    mutating func visit<I: MagnitudeInverter>(_ make: () -> I) {
        let scale = scale, steps = steps, encoding = encoding
        inner.visit {
            MelInverter(
                stage: MelToLinear(filterbank: MelFilterbank<257, B>(scale: scale), iterations: steps), inner: make(),
                encoding: encoding)
        }
    }

    static func wrap(
        _ settings: StreamSettings, _ scale: MelScale, _ steps: Int, _ encoding: MelEncoding, _ visitor: inout Inner
    ) -> Bool {
        var front = Self(inner: visitor, scale: scale, steps: steps, encoding: encoding)
        let known = visitLinear(settings, &front)
        visitor = front.inner
        return known
    }
}
#endif

/// The configurations on linear magnitude frames, built as the CLI builds them (ProductInverters).
func visitLinear<V: StreamVisitor>(_ s: StreamSettings, _ visitor: inout V) -> Bool {
    let lookahead = Int(s.lookahead), iterations = Int(s.iterations)
    switch (s.method, s.format) {
    #if REPHASE_CNN_F32
    case (0, 0): visitor.visit { ProductInverters.cnn(.causal, .float32, input: s.networkInput, integrator: s.integrator) }
    #endif
    #if REPHASE_CNN_F16
    case (0, 2): visitor.visit { ProductInverters.cnn(.causal, .float16, input: s.networkInput, integrator: s.integrator) }
    #endif
    #if REPHASE_CNN_Q15
    case (0, 1): visitor.visit { ProductInverters.q15CNN(input: s.networkInput, integrator: s.integrator) }
    #endif
    #if REPHASE_CNN_STRIDED_F32
    case (1, 0): visitor.visit { ProductInverters.cnn(.strided, .float32, input: s.networkInput, integrator: s.integrator) }
    #endif
    #if REPHASE_CNN_STRIDED_F16
    case (1, 2): visitor.visit { ProductInverters.cnn(.strided, .float16, input: s.networkInput, integrator: s.integrator) }
    #endif
    #if REPHASE_CNN_STRIDED_Q15
    case (1, 1): visitor.visit { ProductInverters.q15StridedCNN(input: s.networkInput, integrator: s.integrator) }
    #endif
    #if REPHASE_PGHI_F32
    case (2, 0): visitor.visit { ProductInverters.pghi(lookahead: lookahead, integrator: s.integrator) }
    #endif
    #if REPHASE_PGHI_Q15
    case (2, 1): visitor.visit { ProductInverters.q15PGHI(lookahead: lookahead, integrator: s.integrator) }
    #endif
    #if REPHASE_MCNN_F32
    case (3, 0): visitor.visit { MCNNInverter() }
    #endif
    #if REPHASE_MCNN_F16
    case (3, 2): visitor.visit { MCNNInverter(precision: .float16) }
    #endif
    #if REPHASE_MCNN_Q15
    case (3, 1): visitor.visit { Q15MCNNInverter() }
    #endif
    #if REPHASE_CNN_LA_F32
    case (4, 0): visitor.visit { ProductInverters.cnnLA(.float32, input: s.networkInput, integrator: s.integrator, lookahead: lookahead, iterations: iterations, momentum: s.momentum) }
    #endif
    #if REPHASE_CNN_LA_F16
    case (4, 2): visitor.visit { ProductInverters.cnnLA(.float16, input: s.networkInput, integrator: s.integrator, lookahead: lookahead, iterations: iterations, momentum: s.momentum) }
    #endif
    #if REPHASE_RTPGHI_F32
    case (5, 0): visitor.visit { ProductInverters.rtpghi(lookahead: lookahead) }
    #endif
    #if REPHASE_RTISI_LA_F32
    case (6, 0): visitor.visit { ProductInverters.rtisiLA(lookahead: lookahead, iterations: iterations, momentum: s.momentum) }
    #endif
    #if REPHASE_SPSI_F32
    case (7, 0): visitor.visit { ProductInverters.SPSI() }
    #endif
    #if REPHASE_SPSI_Q15
    case (7, 1): visitor.visit { ProductInverters.Q15SPSI() }
    #endif
    default: return false
    }
    return true
}

/// The first bytes of a stream: a mark that says it was initialised, and its settings (to find
/// its inverter's type again). The inverter follows at `inverterOffset`.
let streamMark: UInt64 = 0x5245_5048_4153_4531  // "REPHASE1"
let inverterOffset = 64
/// Streams must be aligned for any inverter (SIMD rows included).
let streamAlignment = 16

struct StreamSize: StreamVisitor {
    var bytes = 0
    var aligned = true
    mutating func visit<I: MagnitudeInverter>(_ make: () -> I) {
        bytes = inverterOffset + MemoryLayout<I>.size
        aligned = MemoryLayout<I>.alignment <= streamAlignment
    }
}

struct StreamCreate: StreamVisitor {
    let storage: UnsafeMutableRawPointer
    mutating func visit<I: MagnitudeInverter>(_ make: () -> I) {
        (storage + inverterOffset).initializeMemory(as: I.self, repeating: make(), count: 1)
    }
}

struct StreamReset: StreamVisitor {
    let storage: UnsafeMutableRawPointer
    mutating func visit<I: MagnitudeInverter>(_ make: () -> I) {
        (storage + inverterOffset).assumingMemoryBound(to: I.self).pointee.reset()
    }
}

struct StreamLatency: StreamVisitor {
    let storage: UnsafeRawPointer
    var samples = 0
    mutating func visit<I: MagnitudeInverter>(_ make: () -> I) {
        samples = (storage + inverterOffset).assumingMemoryBound(to: I.self).pointee.latency
    }
}

struct StreamProcess: StreamVisitor {
    let storage: UnsafeMutableRawPointer
    let input: UnsafePointer<Float>
    let values: Int
    let frames: Int
    let output: UnsafeMutablePointer<Float>
    mutating func visit<I: MagnitudeInverter>(_ make: () -> I) {
        let inverter = (storage + inverterOffset).assumingMemoryBound(to: I.self)
        for t in 0..<frames {
            let frame = Span(_unsafeElements: UnsafeBufferPointer(start: input + t * values, count: values))
            var out = MutableSpan(_unsafeElements: UnsafeMutableBufferPointer(start: output + t * ProductSTFT.hop, count: ProductSTFT.hop))
            inverter.pointee.process(magnitudes: frame, output: &out)
        }
    }
}

/// The settings of an initialised stream, or nil.
func streamSettings(_ stream: UnsafeRawPointer) -> StreamSettings? {
    guard stream.loadUnaligned(as: UInt64.self) == streamMark else { return nil }
    return StreamSettings(stream + 8)
}

@c(rephase_stream_defaults)
public func rephaseStreamDefaults(_ method: Int32, _ format: Int32, _ settings: UnsafeMutableRawPointer?) -> Int32 {
    guard let settings else { return Status.nullPointer.rawValue }
    // Weights stay 0: tuned for the method and the input the caller chooses (mel_bands).
    var s = StreamSettings(method: method, format: format)
    switch method {
    case 1: s.lookahead = 1
    #if REPHASE_MCNN_F32 || REPHASE_MCNN_F16 || REPHASE_MCNN_Q15
    // (Builds without MCNN do not compile its folder; visitStream refuses the method there.)
    case 3: s.lookahead = Int32(MCNNInverter.lookahead)
    #endif
    default: break
    }
    switch method {
    case 4: (s.lookahead, s.iterations, s.momentum) = (3, 2, ProductInverters.CNNLA.defaultMomentum)
    case 6: (s.lookahead, s.iterations, s.momentum) = (3, 5, ProductInverters.RTISILA.defaultMomentum)
    default: break
    }
    var size = StreamSize()
    guard visitStream(s, &size) else { return Status.unknownConfiguration.rawValue }
    s.write(to: settings)
    return Status.ok.rawValue
}

@c(rephase_stream_size)
public func rephaseStreamSize(_ settings: UnsafeRawPointer?) -> Int32 {
    guard let settings else { return Status.nullPointer.rawValue }
    let s = StreamSettings(settings)
    var size = StreamSize()
    guard visitStream(s, &size) else { return Status.unknownConfiguration.rawValue }
    return Int32(size.bytes)
}

@c(rephase_stream_init)
public func rephaseStreamInit(_ stream: UnsafeMutableRawPointer?, _ bytes: Int32, _ settings: UnsafeRawPointer?) -> Int32 {
    guard let stream, let settings else { return Status.nullPointer.rawValue }
    let s = StreamSettings(settings)
    var size = StreamSize()
    guard visitStream(s, &size) else { return Status.unknownConfiguration.rawValue }
    guard s.isValid else { return Status.invalidSettings.rawValue }
    guard size.aligned, Int(bitPattern: stream) % streamAlignment == 0, Int(bytes) >= size.bytes else {
        return Status.badStorage.rawValue
    }
    var create = StreamCreate(storage: stream)
    _ = visitStream(s, &create)
    s.write(to: stream + 8)
    stream.storeBytes(of: streamMark, as: UInt64.self)
    return Status.ok.rawValue
}

@c(rephase_stream_reset)
public func rephaseStreamReset(_ stream: UnsafeMutableRawPointer?) -> Int32 {
    guard let stream else { return Status.nullPointer.rawValue }
    guard let s = streamSettings(stream) else { return Status.notInitialised.rawValue }
    var reset = StreamReset(storage: stream)
    _ = visitStream(s, &reset)
    return Status.ok.rawValue
}

@c(rephase_stream_latency)
public func rephaseStreamLatency(_ stream: UnsafeRawPointer?) -> Int32 {
    guard let stream else { return Status.nullPointer.rawValue }
    guard let s = streamSettings(stream) else { return Status.notInitialised.rawValue }
    var latency = StreamLatency(storage: stream)
    _ = visitStream(s, &latency)
    return Int32(latency.samples)
}

@c(rephase_stream_process)
public func rephaseStreamProcess(
    _ stream: UnsafeMutableRawPointer?, _ frames: UnsafePointer<Float>?, _ count: Int32, _ samples: UnsafeMutablePointer<Float>?
) -> Int32 {
    guard let stream, let frames, let samples else { return Status.nullPointer.rawValue }
    guard let s = streamSettings(stream) else { return Status.notInitialised.rawValue }
    guard count >= 0 else { return Status.invalidInput.rawValue }
    let values = s.melBands == 0 ? ProductSTFT.bins : Int(s.melBands)
    #if REPHASE_MEL
    // Magnitudes, and mel values without a logarithm, in [0, maximumMagnitude]; log-mel
    // values finite and at most the log of the largest (MelEncoding.admits).
    let encoding = s.melBands == 0 ? MelEncoding.linear : s.melEncoding ?? MelEncoding.linear
    for i in 0..<Int(count) * values {
        guard encoding.admits(frames[i]) else { return Status.invalidInput.rawValue }
    }
    #else
    for i in 0..<Int(count) * values {
        let a = frames[i]
        // Written so that NaN fails too.
        guard a >= 0 && a <= maximumMagnitude else { return Status.invalidInput.rawValue }
    }
    #endif
    var process = StreamProcess(storage: stream, input: frames, values: values, frames: Int(count), output: samples)
    _ = visitStream(s, &process)
    return Status.ok.rawValue
}

/// The largest sample rephase_spectrogram accepts (rephase.h: REPHASE_MAX_SAMPLE).
let maximumSample: Float = 65_536

@c(rephase_spectrogram)
public func rephaseSpectrogram(_ samples: UnsafePointer<Float>?, _ length: Int64, _ magnitudes: UnsafeMutablePointer<Float>?) -> Int32 {
    guard let samples, let magnitudes else { return Status.nullPointer.rawValue }
    guard length >= 0 && length <= 1 << 40 else { return Status.invalidInput.rawValue }
    let count = Int(length)
    for i in 0..<count {
        let x = samples[i]
        guard x >= -maximumSample && x <= maximumSample else { return Status.invalidInput.rawValue }
    }
    // The framing of RephaseOffline's WholeSignalSTFT: the signal zero-padded to whole hops,
    // then 3 hops of zeros, streamed through the core's analysis.
    let h = ProductSTFT.hop, bins = ProductSTFT.bins
    let frames = (count + h - 1) / h + 3
    var analysis = ProductSTFTAnalysis()
    var hop = InlineArray<128, Float>(repeating: 0)
    var spectrum = InlineArray<512, Float>(repeating: 0)
    for t in 0..<frames {
        for i in 0..<h {
            let n = t * h + i
            hop[i] = n < count ? samples[n] : 0
        }
        var packed = spectrum.mutableSpan
        analysis.analyze(hop: hop.span, spectrum: &packed)
        // |X_k| as WholeSignalSTFT's magnitudes compute it, bins 0 and N/2 with a zero
        // imaginary part, so that the bits agree with `rephase analyze`.
        let row = magnitudes + t * bins
        row[0] = (spectrum[0] * spectrum[0]).squareRoot()
        row[bins - 1] = (spectrum[1] * spectrum[1]).squareRoot()
        for k in 1..<bins - 1 {
            let re = spectrum[2 * k], im = spectrum[2 * k + 1]
            row[k] = (re * re + im * im).squareRoot()
        }
    }
    return Status.ok.rawValue
}
#endif
