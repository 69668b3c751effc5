import TestSupport
import XCTest
@testable import Benchmarks
@testable import Report

/// The benchmark's synthetic sweep is well-formed and fully reported (its time is for `ablate
/// bench` to print, never asserted).
final class BenchmarkTests: XCTestCase {
    func testBenchmarkReportsItsSyntheticSweep() throws {
        let result = try ReportBenchmark.measure(runs: 40, steps: 10, evalEvery: 5)
        XCTAssertEqual(result.runs, 40)
        XCTAssertTrue(result.seconds.isFinite && result.seconds > 0)
    }

    func testSyntheticLedgerReadsBackAsPlanned() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ablate-synthetic-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        var ledger = SyntheticLedger()
        ledger.seeds = 2
        ledger.steps = 20
        ledger.evalEvery = 5
        ledger.state = { $0 == 0 ? .failed : .done }
        let (sweepDirectory, store) = try ledger.write(into: root)
        let report = try SweepReport.load(sweepDirectory: sweepDirectory, storeDirectory: store)
        XCTAssertTrue(report.warnings.isEmpty, "\(report.warnings)")
        XCTAssertEqual(report.runs.count, 6)
        XCTAssertEqual(report.main.rows.map(\.name), ["baseline", "length", "coarse"])
        XCTAssertEqual(report.main.columns.map(\.description),
                       ["eval.overall.accuracy", "eval.seen.accuracy", "eval.unseen.accuracy", "eval.multi.accuracy",
                        "eval.irrelevant.accuracy", "train.reward"])
        XCTAssertEqual(try report.main.cell("baseline", "eval.unseen.accuracy").summary?.n, 1)
        XCTAssertEqual(try report.main.cell("length", "eval.unseen.accuracy").summary?.n, 2)
        // Evaluation points: every 5 steps, the last from eval.json.
        let curve = try XCTUnwrap(report.charts.last?.curves.first { $0.row == "length" })
        XCTAssertEqual(curve.steps, [5, 10, 15, 20])
    }
}
