import Testing
import RephaseCore
import RephaseOffline

/// The offline aliases restate the product sizes (value generics take literals only): they
/// must be ProductSTFT's.
@Suite struct ProductOfflineSTFTTests {
    @Test func theOfflineSTFTHasTheProductSizes() {
        typealias STFT = ProductWholeSignalSTFT
        let hop = ProductSTFT.hop
        #expect(STFT.bins == ProductSTFT.bins)
        // frameCount = ceil(length / H) + N / H - 1: one frame more exactly past each hop.
        #expect(STFT.frameCount(length: hop) == STFT.frameCount(length: 1))
        #expect(STFT.frameCount(length: hop + 1) == STFT.frameCount(length: 1) + 1)
        #expect(STFT.frameCount(length: 1) == ProductSTFT.frameLength / hop)
    }
}
