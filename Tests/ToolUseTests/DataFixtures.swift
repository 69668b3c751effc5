import Foundation
import TestSupport

/// The data files under `Tests/ToolUseTests/Fixtures/` (README.md there describes them).
enum DataFixtures {
    /// The same five records in every accepted format.
    static let formats = ["toolrl-raw.json", "toolrl-raw.jsonl", "messages.jsonl", "verl-rows.jsonl"]

    static func path(_ name: String) throws -> String { try fixtureURL(name).path }

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: try path(name))))
    }
}
