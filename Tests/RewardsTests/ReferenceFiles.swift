import Foundation

/// Files under `Tests/RewardsTests/Fixtures/`, committed with the tests (README.md there says
/// where each came from).
enum ReferenceFiles {
    static func url(_ name: String) throws -> URL {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: fixture.path) else {
            throw NSError(domain: "ReferenceFiles", code: 1, userInfo: [NSLocalizedDescriptionKey:
                "fixture \(name) is missing at \(fixture.path); it is committed with the tests"])
        }
        return fixture
    }
}
