/// The online inversion methods, numbered as rephase.h's `rephase_method`.
public enum ProductMethod: Int32, Sendable {
    case cnn = 0
    case cnnStrided = 1
    case pghi = 2
    case mcnn = 3
    case cnnLA = 4
    case rtpghi = 5
    case rtisiLA = 6
    case spsi = 7

    /// The least-squares weights the method is tuned with for what its network is given
    /// (`input`): the CNN variant's (cnn-la refines the causal CNN), the integrator's defaults
    /// for PGHI; the other methods do not use them. cnn-la keeps the linear tuning on mel
    /// input, where its projections refine the magnitudes as well (measured no better with the
    /// mel weights, Tools/cnn/RESULTS.md).
    /// Emitted only into its callers, where the method is a constant: as a function of its own
    /// it would leave its table of weights in every board image (switch tables share one
    /// read-only section, which --gc-sections cannot trim).
    @export(implementation)
    public func weights(input: CNNInput = .linear) -> (exponent: Float, coupling: Float) {
        switch self {
        case .cnn: ProductIntegrator.tunedWeights(for: .causal, input: input)
        case .cnnLA: ProductIntegrator.tunedWeights(for: .causal)
        case .cnnStrided: ProductIntegrator.tunedWeights(for: .strided, input: input)
        case .pghi, .mcnn, .rtpghi, .rtisiLA, .spsi: (ProductIntegrator.defaultExponent, ProductIntegrator.defaultCoupling)
        }
    }

    /// The least-squares integrator with the method's tuned `weights(input:)`, except for a
    /// weight the caller gives (`exponent`, `coupling` not nil), which replaces only itself
    /// (emitted as `weights`).
    @export(implementation)
    public func integrator(input: CNNInput = .linear, exponent: Float? = nil, coupling: Float? = nil) -> ProductIntegrator {
        let weights = weights(input: input)
        return ProductIntegrator(exponent: exponent ?? weights.exponent, coupling: coupling ?? weights.coupling)
    }
}

/// The arithmetic formats, numbered as rephase.h's `rephase_format`: Float32; Q15 (integer
/// network and synthesis, Float32 least squares; for MCNN and SPSI integers throughout);
/// Float16 network weights with Float32 arithmetic.
public enum ProductFormat: Int32, Sendable {
    case f32 = 0
    case q15 = 1
    case f16 = 2

    /// How a Float configuration stores its network weights.
    public var precision: CNNPrecision { self == .f16 ? .float16 : .float32 }
}

// The host's view: the list of configurations and the names (the CLI's and
// Targets/c-api/configurations'). Embedded builds leave them out: a board image would keep
// their strings and lookup tables (which share sections that --gc-sections cannot trim) and the
// list's array storage, and its C interface dispatches on rephase.h's numbers instead.
#if !hasFeature(Embedded)
/// The configurations the product offers (the CLI's online methods, the C interface's
/// rephase_init and stream interface): each a method in one arithmetic format. Numbered as
/// rephase.h's enums, so that Targets/c-api/configurations, which the board scripts read, can
/// be checked against this list. Naming the cases, not building them: dispatch over all of
/// them stays with each caller, so that a product image links only the configurations its
/// build selects (ProductInverters builds each).
public enum ProductConfiguration: CaseIterable, Sendable {
    case cnnF32, cnnF16, cnnQ15
    case cnnStridedF32, cnnStridedF16, cnnStridedQ15
    case pghiF32, pghiQ15
    case mcnnF32, mcnnF16, mcnnQ15
    case cnnLAF32, cnnLAF16
    case rtpghiF32
    case rtisiLAF32
    case spsiF32, spsiQ15

    public var method: ProductMethod {
        switch self {
        case .cnnF32, .cnnF16, .cnnQ15: .cnn
        case .cnnStridedF32, .cnnStridedF16, .cnnStridedQ15: .cnnStrided
        case .pghiF32, .pghiQ15: .pghi
        case .mcnnF32, .mcnnF16, .mcnnQ15: .mcnn
        case .cnnLAF32, .cnnLAF16: .cnnLA
        case .rtpghiF32: .rtpghi
        case .rtisiLAF32: .rtisiLA
        case .spsiF32, .spsiQ15: .spsi
        }
    }

    public var format: ProductFormat {
        switch self {
        case .cnnF32, .cnnStridedF32, .pghiF32, .mcnnF32, .cnnLAF32, .rtpghiF32, .rtisiLAF32, .spsiF32: .f32
        case .cnnF16, .cnnStridedF16, .mcnnF16, .cnnLAF16: .f16
        case .cnnQ15, .cnnStridedQ15, .pghiQ15, .mcnnQ15, .spsiQ15: .q15
        }
    }

    /// The configuration-list name: method and format, "cnn-strided-q15".
    public var name: String { "\(method.name)-\(format.name)" }
}

extension ProductMethod: CaseIterable {
    /// The command-line name.
    public var name: String {
        switch self {
        case .cnn: "cnn"
        case .cnnStrided: "cnn-strided"
        case .pghi: "pghi"
        case .mcnn: "mcnn"
        case .cnnLA: "cnn-la"
        case .rtpghi: "rtpghi"
        case .rtisiLA: "rtisi-la"
        case .spsi: "spsi"
        }
    }

    /// The formats the method runs in, in the list's order.
    public var formats: [ProductFormat] { ProductConfiguration.allCases.filter { $0.method == self }.map(\.format) }
}

extension ProductFormat: CaseIterable {
    /// The command-line name.
    public var name: String {
        switch self {
        case .f32: "f32"
        case .q15: "q15"
        case .f16: "f16"
        }
    }
}
#endif
