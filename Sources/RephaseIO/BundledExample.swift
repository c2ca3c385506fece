/// The example clip that ships in the repository (Tests/Fixtures/arctic-clb-a0001.flac, CMU
/// ARCTIC speaker clb, BSD-style licence): what `rephase demo` and the tests run on, so
/// neither needs the speech corpus. Found relative to this source file, i.e. in the checkout
/// the tool was built from.
public enum BundledExample {
    public static var path: String { fixture("arctic-clb-a0001.flac") }

    /// The path of `name` under Tests/Fixtures of the same checkout (other bundled test data).
    public static func fixture(_ name: String) -> String {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // .../Sources/RephaseIO/BundledExample.swift -> the checkout
        return parts.joined(separator: "/") + "/Tests/Fixtures/" + name
    }
}
