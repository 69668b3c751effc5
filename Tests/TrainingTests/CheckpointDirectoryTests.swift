import XCTest
@testable import Training

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

final class MetricsLogTests: XCTestCase {
    func testLinesAreOrderedAndNonFiniteIsNull() {
        let line = MetricsJSON.line(kind: "train", step: 3, fields: [
            ("reward", .number(0.5)), ("kl", .number(.nan)), ("num_tokens", .number(1200)),
            ("splits", .object([("seen", .object([("accuracy", .number(0.25))]))])),
        ])
        XCTAssertEqual(line, #"{"kind": "train", "step": 3, "reward": 0.5, "kl": null, "num_tokens": 1200, "splits": {"seen": {"accuracy": 0.25}}}"#)
    }

    func testResumeTruncatesLinesPastTheCheckpointAndTornLines() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: url) }
        let text = """
        {"kind": "train", "step": 1, "loss": 1}
        {"kind": "train", "step": 2, "loss": 2}
        {"kind": "eval", "step": 2, "splits": {}}
        {"kind": "train", "step": 3, "loss": 3}
        {"kind": "train", "st
        """
        try Data(text.utf8).write(to: url)
        let log = try MetricsLog(url: url, keepingThroughStep: 2)
        try log.append(#"{"kind": "train", "step": 3, "loss": 4}"#)
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 4)
        XCTAssertEqual(lines.last, #"{"kind": "train", "step": 3, "loss": 4}"#)
    }
}
