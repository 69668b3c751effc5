import Foundation

/// The data files under `Tests/ToolUseTests/Fixtures/` (README.md there describes them), and
/// temporary copies for tests that damage or rename them.
enum DataFixtures {
    /// The same five records in every accepted format.
    static let formats = ["toolrl-raw.json", "toolrl-raw.jsonl", "messages.jsonl", "verl-rows.jsonl"]

    static func path(_ name: String) throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw NSError(domain: "DataFixtures", code: 1, userInfo: [NSLocalizedDescriptionKey:
                "fixture \(name) is missing at \(url.path); it is committed with the tests"])
        }
        return url.path
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: try path(name))))
    }

    /// A fresh temporary directory, removed by the caller's `defer`.
    static func temporaryDirectory() throws -> String {
        let directory = NSTemporaryDirectory() + "ablate-data-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }
}
