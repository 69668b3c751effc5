import Foundation
import TestSupport
import XCTest

/// `ablate score --output`: a regular file appears only when every line scored; a device or pipe
/// already at the path is written in place, never replaced by a regular file.
final class ScoreOutputTests: XCTestCase {
    private let goodLine = #"{"gold": "<think> g </think>\n<response>ok</response>", "completion": "<think> a </think>\n<response>ok</response>", "step": 0}"#

    func testABadLineLeavesTheOldFileAndAGoodRunReplacesIt() throws {
        let harness = try SweepHarness()
        harness.write("good.jsonl", goodLine + "\n")
        harness.write("bad.jsonl", goodLine + "\n{\"completion\": \"x\"}\n")
        harness.write("out.jsonl", "old\n")
        let bad = try harness.ablate(["score", "--reward", "original", "--input", "bad.jsonl", "--output", "out.jsonl"])
        XCTAssertEqual(bad.status, 2, bad.output)
        XCTAssertEqual(try String(contentsOfFile: harness.root + "/out.jsonl", encoding: .utf8), "old\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: harness.root + "/out.jsonl.partial"))

        let good = try harness.ablate(["score", "--reward", "original", "--input", "good.jsonl", "--output", "out.jsonl"])
        XCTAssertEqual(good.status, 0, good.output)
        let written = try String(contentsOfFile: harness.root + "/out.jsonl", encoding: .utf8)
        XCTAssertTrue(written.contains("\"total\""), written)
    }

    func testAPipeAtTheOutputPathStaysAPipe() throws {
        let harness = try SweepHarness()
        harness.write("good.jsonl", goodLine + "\n")
        let fifo = harness.root + "/out.fifo"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        // Opened for reading without blocking, so the writer can open it; the output is a few
        // hundred bytes, well within the pipe's buffer, and is read after the command ends.
        let reader = open(fifo, O_RDONLY | O_NONBLOCK)
        XCTAssertGreaterThanOrEqual(reader, 0)
        defer { close(reader) }

        let result = try harness.ablate(["score", "--reward", "original", "--input", "good.jsonl", "--output", "out.fifo"])
        XCTAssertEqual(result.status, 0, result.output)
        var status = stat()
        XCTAssertEqual(stat(fifo, &status), 0)
        XCTAssertEqual(status.st_mode & S_IFMT, S_IFIFO, "the pipe is still a pipe")
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = read(reader, &buffer, buffer.count)
        let text = String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self)
        XCTAssertTrue(text.contains("\"total\""), "the scored line went through the pipe: \(text)")
    }
}
