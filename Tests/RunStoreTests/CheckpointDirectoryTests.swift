import XCTest
@testable import RunStore

final class CheckpointDirectoryTests: XCTestCase {
    var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("ablate-checkpoint-\(UUID().uuidString)")
    }

    override func tearDown() { try? FileManager.default.removeItem(at: root) }

    func testWritesLatestAndPrunesOlderSteps() throws {
        let directory = CheckpointDirectory(root: root)
        XCTAssertNil(directory.latest())
        try directory.write(step: 5, files: [("trainer.json", Data("{\"step\":5}".utf8)), ("parameters.bin", Data([1, 2]))])
        try directory.write(step: 10, files: [("trainer.json", Data("{\"step\":10}".utf8)), ("parameters.bin", Data([3]))])
        let latest = try XCTUnwrap(directory.latest())
        XCTAssertEqual(latest.lastPathComponent, "step-0000010")
        XCTAssertEqual(try Data(contentsOf: latest.appendingPathComponent("parameters.bin")), Data([3]))
        let names = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
        XCTAssertEqual(names, ["latest", "step-0000010"])
        // Rewriting the same step replaces it.
        try directory.write(step: 10, files: [("trainer.json", Data("{}".utf8)), ("parameters.bin", Data([4]))])
        XCTAssertEqual(try Data(contentsOf: directory.latest()!.appendingPathComponent("parameters.bin")), Data([4]))
    }

    /// A temp directory left by a crash mid-write is never taken for a checkpoint.
    func testLeftoverTemporaryDirectoryIsIgnored() throws {
        let directory = CheckpointDirectory(root: root)
        try directory.write(step: 3, files: [("trainer.json", Data("{}".utf8))])
        let torn = root.appendingPathComponent(".tmp-step-0000006-999")
        try FileManager.default.createDirectory(at: torn, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: torn.appendingPathComponent("trainer.json"))
        XCTAssertEqual(directory.latest()?.lastPathComponent, "step-0000003")
        // `latest` naming a vanished directory falls back to the newest complete one.
        try Data("step-0000009\n".utf8).write(to: root.appendingPathComponent("latest"))
        XCTAssertEqual(directory.latest()?.lastPathComponent, "step-0000003")
        directory.removeLeftovers()
        XCTAssertFalse(FileManager.default.fileExists(atPath: torn.path))
    }
}
