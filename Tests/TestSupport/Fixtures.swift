import Foundation

/// A file committed with the tests in the `Fixtures/` folder beside the test file that asks for it
/// (each such folder has a README.md saying where its files came from).
public func fixtureURL(_ name: String, besides testFile: String = #filePath) throws -> URL {
    let url = URL(fileURLWithPath: testFile).deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent(name)
    guard FileManager.default.fileExists(atPath: url.path) else {
        throw NSError(domain: "Fixtures", code: 1, userInfo: [NSLocalizedDescriptionKey:
            "fixture \(name) is missing at \(url.path); it is committed with the tests"])
    }
    return url
}
