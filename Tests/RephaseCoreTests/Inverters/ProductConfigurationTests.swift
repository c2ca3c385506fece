import Foundation
import Testing
import RephaseCore

/// The C interface's configuration list (Targets/c-api/configurations), which the board
/// scripts read, against the core's registry: the same configurations, by the same names, with
/// rephase.h's method and format numbers, so that neither can change without the other.
@Suite struct ProductConfigurationTests {
    /// (name, method, format) of each line of Targets/c-api/configurations.
    static func listed() throws -> [(name: String, method: Int32, format: Int32)] {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(4)  // .../Tests/RephaseCoreTests/Inverters/ProductConfigurationTests.swift
        let path = parts.joined(separator: "/") + "/Targets/c-api/configurations"
        return try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            .filter { !$0.hasPrefix("#") && !$0.allSatisfy(\.isWhitespace) }
            .map { line in
                let fields = line.split(separator: " ")
                return (String(fields[0]), Int32(fields[1]) ?? -1, Int32(fields[2]) ?? -1)
            }
    }

    @Test func theCInterfaceListsExactlyTheRegistrysConfigurations() throws {
        let listed = try Self.listed()
        let expected = ProductConfiguration.allCases.map { ($0.name, $0.method.rawValue, $0.format.rawValue) }
        #expect(listed.count == expected.count)
        for configuration in expected {
            let line = listed.first { $0.name == configuration.0 }
            #expect(line != nil, "\(configuration.0) is not in Targets/c-api/configurations")
            if let line {
                #expect((line.method, line.format) == (configuration.1, configuration.2), "\(configuration.0)")
            }
        }
    }

    @Test func eachMethodAndFormatIsOneConfiguration() {
        let pairs = ProductConfiguration.allCases.map { "\($0.method.rawValue),\($0.format.rawValue)" }
        #expect(Set(pairs).count == pairs.count)
        #expect(Set(ProductConfiguration.allCases.map(\.name)).count == pairs.count)
    }
}
