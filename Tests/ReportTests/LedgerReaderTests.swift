import TestSupport
import XCTest
@testable import Basics
@testable import Report
@testable import RunStore
@testable import Sweep

final class LedgerReaderTests: XCTestCase {
    func testReadsTrainAndEvalLinesAndMergesEvalJSON() throws {
        let fixture = try LedgerFixture()
        try fixture.addRun(labels: [("variant", "a")], seed: 0, final: ["unseen": 0.8, "seen": 0.9],
                           evalLines: [(50, ["unseen": 0.5, "seen": 0.6]), (100, ["unseen": 0.7, "seen": 0.7])],
                           rewards: [1, 2, 3])
        try fixture.writePlan(axes: [])
        let plan = try PlanFile.read(at: fixture.sweepDirectory.appendingPathComponent("plan.json").path)
        let selection = metricSelection(columns: [], headline: .eval(split: "unseen", metric: "accuracy"))
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

    /// One reader per thread serves run after run (`MetricsReader.reset`, the key layout kept):
    /// each run reads as with a fresh reader, also when the keys, components and splits differ
    /// from the run before and when a remembered key is malformed.
    func testReusedReaderReadsEachRunAsAFreshOne() throws {
        let fixture = try LedgerFixture()
        try fixture.addRun(labels: [("variant", "a")], seed: 0, final: ["unseen": 0.8],
                           evalLines: [(2, ["unseen": 0.5, "seen": 0.6])], rewards: [1, 2, 3])
        try fixture.addRun(labels: [("variant", "a")], seed: 1, final: ["seen": 0.4], rewards: [4, 5])
        try fixture.addRun(labels: [("variant", "a")], seed: 2, rewards: [6])
        try fixture.writePlan(axes: [])
        let text = """
        {"kind": "train", "step": 1, "reward": 0.5, "rewards/length/mean": 0.25}
        {"kind": "train", "step": 2, "reward": 1e, "rewards/length/mean": 0.5}
        {"kind": "train", "step": 3, "rewards/length/mean": 0.75, "reward": 2.5}

        """
        try Data(text.utf8).write(to: fixture.store.appendingPathComponent("run0002/metrics.jsonl"))
        let plan = try PlanFile.read(at: fixture.sweepDirectory.appendingPathComponent("plan.json").path)
        let selection = metricSelection(columns: [], headline: .eval(split: "unseen", metric: "accuracy"))
        let reader = LedgerReader(storeDirectory: fixture.store, selection: selection)
        var metrics = MetricsReader(selection: selection)
        let buffer = GrowableBuffer<UInt8>(capacity: 16)
        for run in plan.runs + plan.runs.reversed() {
            let reused = reader.read(run, buffer: buffer, metrics: &metrics), fresh = reader.read(run)
            XCTAssertEqual(reused.train, fresh.train, run.id)
            XCTAssertEqual(reused.eval, fresh.eval, run.id)
            XCTAssertEqual(reused.warnings, fresh.warnings, run.id)
        }
        let last = reader.read(plan.runs[2])
        XCTAssertEqual(last.train["reward"], Series(steps: [1, 3], values: [0.5, 2.5]))
        XCTAssertEqual(last.train["rewards/length/mean"]?.values, [0.25, 0.75])
        XCTAssertEqual(last.warnings.count, 1, "\(last.warnings)")
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
        XCTAssertEqual(report.runs.map(\.status.state), [.pending, nil])
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
}
