import Foundation
import TestSupport
import XCTest
@testable import Config
@testable import RunStore

/// Each run file's reader and writer, and the malformed-file messages.
final class RunFilesTests: XCTestCase {
    func testLastLinesSkipAPartialLineAndReadTheStep() throws {
        let directory = TemporaryDirectory("runfiles")
        let run = RunDirectory(directory.path)
        try "{\"kind\": \"train\", \"step\": 1}\n{\"kind\": \"train\", \"step\": 2}\n{\"kind\": \"tr".write(toFile: run.metrics, atomically: true, encoding: .utf8)
        XCTAssertEqual(MetricsLine.lastStep(at: run.metrics), 2)
        XCTAssertEqual(RunLog.lastLines(of: run.metrics, count: 5).count, 2)
        XCTAssertNil(MetricsLine.lastStep(at: directory.path + "/missing/metrics.jsonl"))
    }

    func testStateRoundTripsAndMalformedStateNamesPathLineAndField() throws {
        let directory = TemporaryDirectory("state")
        let path = directory.path + "/state.json"
        XCTAssertNil(try StateFile.read(at: path), "no file: no state yet")
        var state = StateFile(id: "abc", state: .failed)
        state.attempts = 2
        state.pid = 42
        state.error = "diverged: NaN loss at step 3"
        state.lastLogLines = ["step 3 loss nan"]
        state.totalSteps = 100
        try state.write(to: path)
        XCTAssertEqual(try StateFile.read(at: path), state)
        XCTAssertTrue(try String(contentsOfFile: path, encoding: .utf8).contains("\"lease_expires\" : null"))

        try "{\n  \"state\": done\n}".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try StateFile.read(at: path)) { error in
            XCTAssertEqual("\(error)", "\(path):2:12: expected a value")
        }
        try #"{"id": "abc", "state": "sleeping"}"#.write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try StateFile.read(at: path)) { error in
            XCTAssertEqual("\(error)", "\(path): field 'state': missing or not one of pending, running, done, failed")
        }
    }

    func testResultAndEvalFilesRoundTrip() throws {
        let directory = TemporaryDirectory("result")
        let run = RunDirectory(directory.path)
        try RunResult(outcome: .failed, reason: "loss is \"NaN\"", step: 7).write(to: run.result)
        XCTAssertEqual(try String(contentsOfFile: run.result, encoding: .utf8),
                       #"{"outcome": "failed", "reason": "loss is \"NaN\"", "step": 7}"# + "\n")
        XCTAssertEqual(RunResult.read(at: run.result), RunResult(outcome: .failed, reason: "loss is \"NaN\"", step: 7))
        XCTAssertNil(RunResult.read(at: run.eval))
        try EvalFile.write(step: 12, splits: [("seen", .object([("accuracy", .number(0.5))]))], to: run.eval)
        XCTAssertEqual(try String(contentsOfFile: run.eval, encoding: .utf8), #"{"step": 12, "splits": {"seen": {"accuracy": 0.5}}}"# + "\n")
        XCTAssertEqual(EvalFile.step(at: run.eval), 12)
    }

    func testConfigFileIsPrettyCanonicalJSONAndReadsBackWithLocations() throws {
        let directory = TemporaryDirectory("config")
        let run = RunDirectory(directory.path)
        let tree = try JSONTreeParser.parse(#"{"train": {"lr": 1e-3, "steps": 5}, "seed": 0}"#)
        try ConfigFile.write(tree, to: run.config)
        XCTAssertEqual(try String(contentsOfFile: run.config, encoding: .utf8), "{\n  \"seed\": 0,\n  \"train\": {\n    \"lr\": 0.001,\n    \"steps\": 5\n  }\n}\n")
        let read = try XCTUnwrap(try ConfigFile.read(at: run.config))
        XCTAssertEqual(read.value(atPath: "train.steps")?.location?.description, "\(run.config):5:14")
    }
}
