import XCTest
@testable import RunStore

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
