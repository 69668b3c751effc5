import Basics
import XCTest
@testable import Report

final class LedgerReaderTests: XCTestCase {
    func testReadsTrainAndEvalLinesAndMergesEvalJSON() throws {
        let fixture = try LedgerFixture()
        try fixture.addRun(labels: [("variant", "a")], seed: 0, final: ["unseen": 0.8, "seen": 0.9],
                           evalLines: [(50, ["unseen": 0.5, "seen": 0.6]), (100, ["unseen": 0.7, "seen": 0.7])],
                           rewards: [1, 2, 3])
        try fixture.writePlan(axes: [])
        let plan = try ReportPlan.read(from: fixture.sweepDirectory.appendingPathComponent("plan.json"))
        let selection = MetricSelection(columns: [], headline: .eval(split: "unseen", metric: "accuracy"))
        let record = LedgerReader(storeDirectory: fixture.store, selection: selection).read(plan.runs[0])
        XCTAssertEqual(record.status.state, .done)
        XCTAssertEqual(record.train["reward"], Series(steps: [1, 2, 3], values: [1, 2, 3]))
        XCTAssertEqual(record.train["rewards/format/mean"]?.values, [0.25, 0.5, 0.75])
        XCTAssertNil(record.train["loss"], "only selected metrics are kept")
        // eval.json (step 100) replaces the eval line at step 100.
        XCTAssertEqual(record.eval["unseen"]?["accuracy"], Series(steps: [50, 100], values: [0.5, 0.8]))
        XCTAssertEqual(record.eval["seen"]?["accuracy"]?.values, [0.6, 0.9])
        XCTAssertTrue(record.warnings.isEmpty)
    }

    func testMalformedLineIsSkippedWithLineNumberAndPartialLastLineIgnored() throws {
        let fixture = try LedgerFixture()
        try fixture.addRun(labels: [("variant", "a")], seed: 0, state: "running")
        try fixture.writePlan(axes: [])
        let text = """
        {"kind": "train", "step": 1, "reward": 0.5}
        {"kind": "train", "step": 2, "reward": oops}
        {"kind": "train", "step": 3, "reward": 1.5, "rewards/length/mean": 0.25}
        {"kind": "train", "step": 4, "rew
        """
        try Data(text.utf8).write(to: fixture.store.appendingPathComponent("run0000/metrics.jsonl"))
        let report = try fixture.report()
        XCTAssertEqual(report.warnings.count, 1, "\(report.warnings)")
        XCTAssertTrue(report.warnings[0].contains("metrics.jsonl:2:"), report.warnings[0])
        let curve = try XCTUnwrap(report.charts.first { $0.metric == "train.reward" }?.curves.first)
        XCTAssertEqual(curve.steps, [1, 3])
        XCTAssertEqual(curve.mean, [0.5, 1.5])
        XCTAssertTrue(report.charts.contains { $0.metric == "train.rewards/length/mean" })
    }

    func testMissingStateIsPendingAndBadStateIsReported() throws {
        let fixture = try LedgerFixture()
        try fixture.addRun(labels: [("variant", "a")], seed: 0, state: nil)
        try fixture.addRun(labels: [("variant", "a")], seed: 1, state: "sleeping")
        try fixture.writePlan(axes: [])
        let report = try fixture.report()
        XCTAssertEqual(report.runs.map(\.status.state), [.pending, .unreadable])
        XCTAssertTrue(report.warnings.contains { $0.contains("run0001/state.json") && $0.contains("pending, running, done, failed") })
    }

    func testPlanErrorsSayWhereAndHowToFix() throws {
        let fixture = try LedgerFixture()
        try Data("{\n  \"sweep\": \"demo\",\n  \"runs\": [,]\n}".utf8).write(to: fixture.sweepDirectory.appendingPathComponent("plan.json"))
        XCTAssertThrowsError(try fixture.report()) { error in
            XCTAssertTrue("\(error)".contains("plan.json:3:"), "\(error)")
        }
        try Data("{\"runs\": [], \"report\": {\"reduce\": \"median\"}}".utf8).write(to: fixture.sweepDirectory.appendingPathComponent("plan.json"))
        XCTAssertThrowsError(try fixture.report()) { error in
            XCTAssertTrue("\(error)".contains("expected one of last, best, mean-last-k"), "\(error)")
        }
        try FileManager.default.removeItem(at: fixture.sweepDirectory.appendingPathComponent("plan.json"))
        XCTAssertThrowsError(try fixture.report()) { error in
            XCTAssertTrue("\(error)".contains("ablate plan"), "\(error)")
        }
    }

    func testScannerHandlesEscapesExponentsAndPythonNaN() throws {
        let node = try parseJSONDocument(Data(#"{"s": "a\"b\u00e9\ud83d\ude00", "x": [1e-3, -2.5E+2, NaN, -Infinity, 12345678901234567890]}"#.utf8))
        XCTAssertEqual(node["s"]?.stringValue, "a\"bé😀")
        let xs = try XCTUnwrap(node["x"]?.arrayValue).compactMap(\.doubleValue)
        XCTAssertEqual(xs[0], 0.001)
        XCTAssertEqual(xs[1], -250)
        XCTAssertTrue(xs[2].isNaN)
        XCTAssertEqual(xs[3], -.infinity)
        XCTAssertEqual(xs[4], Double("12345678901234567890"))
        // The fast path agrees with Double(String) on short decimals.
        for text in ["0.1", "0.30000000000000004", "123.456", "-0.000123", "0.8128329581890011"] {
            XCTAssertEqual(try parseJSONDocument(Data(text.utf8)).doubleValue, Double(text), text)
        }
    }
}

final class NumberParsingTests: XCTestCase {
    /// Up to 15 significant digits the fast path is correctly rounded (equal to Double(String));
    /// 16–19 digits are within one ulp.
    func testNumbersAgreeWithTheStandardLibrary() throws {
        var state: UInt64 = 12345
        for i in 0..<5000 {
            state = SplitMix64.mix(state)
            let x = Double(bitPattern: (state >> 12) | 0x3FF0_0000_0000_0000) - 1 // [0, 1)
            let scaled = x * pow(10, Double(i % 7) - 3)
            for text in ["\(scaled)", String(format: "%.6f", scaled), String(format: "%.15g", -scaled)] {
                let parsed = try XCTUnwrap(parseJSONDocument(Data(text.utf8)).doubleValue)
                let expected = try XCTUnwrap(Double(text))
                let significant = text.filter(\.isNumber).drop { $0 == "0" }.count
                if significant <= 15 && !text.contains("e") {
                    XCTAssertEqual(parsed, expected, text)
                } else {
                    XCTAssertLessThanOrEqual(abs(parsed - expected), expected.ulp.magnitude, text)
                }
            }
        }
        XCTAssertEqual(try parseJSONDocument(Data("1e22".utf8)).doubleValue, 1e22)
        XCTAssertEqual(try parseJSONDocument(Data("0.0000000000000000000001".utf8)).doubleValue, 1e-22)
    }
}

final class StringScanningTests: XCTestCase {
    /// Strings of every length around the 8-byte scanning blocks, with quotes and backslashes
    /// at every position, read back exactly.
    func testStringsAtEveryAlignment() throws {
        for length in 0..<20 {
            for special in [nil, "\\\"", "\\\\", "\\n"] as [String?] {
                for at in 0...length {
                    var body = String(repeating: "k", count: length)
                    if let special { body.insert(contentsOf: special, at: body.index(body.startIndex, offsetBy: at)) }
                    let text = "{\"" + body + "\": 1, \"z\": \"" + body + "\"}"
                    let node = try parseJSONDocument(Data(text.utf8))
                    let expected = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
                    XCTAssertEqual(node["z"]?.stringValue, expected["z"] as? String, text)
                    XCTAssertEqual(node.objectValue?.first?.0, expected.keys.first { $0 != "z" }, text)
                }
            }
        }
        XCTAssertThrowsError(try parseJSONDocument(Data("\"abcdefghijk".utf8)))
        XCTAssertThrowsError(try parseJSONDocument(Data("\"abc\\".utf8)))
    }
}
