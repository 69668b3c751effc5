import TestSupport
import XCTest
@testable import Scheduler
@testable import Sweep

final class FailureIsolationTests: XCTestCase {
    func testFailedAndCrashedRunsAreRecordedWhileTheOthersFinish() throws {
        let harness = try SweepHarness()
        harness.write("s.yaml", "sweep: iso\nconfig: {train: {steps: 4}}\ngrid:\n  init: [a, explode, crash, b]\n")
        let (status, output) = try harness.runSweep("s.yaml", extra: ["--jobs", "2"])
        XCTAssertEqual(status, 1, output)
        let plan = try harness.plan("s.yaml")
        let ledger = harness.ledger()
        let byRow = Dictionary(uniqueKeysWithValues: plan.runs.map { ($0.row, $0.id) })
        for row in ["a", "b"] {
            XCTAssertEqual(ledger.readState(byRow[row]!)?.state, .done, output)
            XCTAssertEqual(ledger.readState(byRow[row]!)?.step, 4)
        }
        let exploded = try XCTUnwrap(ledger.readState(byRow["explode"]!))
        XCTAssertEqual(exploded.state, .failed)
        XCTAssertEqual(exploded.error, "diverged: NaN loss at step 1")
        XCTAssertEqual(exploded.lastLogLines.first, "step 1 loss nan")
        let crashed = try XCTUnwrap(ledger.readState(byRow["crash"]!))
        XCTAssertEqual(crashed.state, .failed)
        XCTAssertEqual(crashed.error, "worker killed by SIGSEGV (a trap or crash)")
        XCTAssertTrue(crashed.lastLogLines.contains("about to crash"), "\(crashed.lastLogLines)")

        let report = try harness.ablate(["status", "s.yaml", "--runs", "runs"])
        XCTAssertEqual(report.status, 0)
        XCTAssertTrue(report.output.contains("4 runs: 2 done, 2 failed"), report.output)
        XCTAssertTrue(report.output.contains("explode seed 0 (1 attempt): diverged: NaN loss at step 1"), report.output)

        // A rerun leaves failed runs alone; --retry-failed with two attempts tries each twice more.
        XCTAssertEqual(try harness.runSweep("s.yaml").status, 1)
        XCTAssertEqual(harness.starts(byRow["explode"]!), 1)
        XCTAssertEqual(harness.starts(byRow["a"]!), 1)
        XCTAssertEqual(try harness.runSweep("s.yaml", extra: ["--retry-failed", "--max-attempts", "2"]).status, 1)
        XCTAssertEqual(harness.starts(byRow["explode"]!), 3)
        XCTAssertEqual(ledger.readState(byRow["explode"]!)?.attempts, 3)
        XCTAssertEqual(harness.starts(byRow["a"]!), 1)
    }

    func testTimeoutIsAFailureWithItsReason() throws {
        let harness = try SweepHarness()
        harness.write("t.yaml", "sweep: slow\ngrid:\n  init: [hang, a]\n")
        let (status, output) = try harness.runSweep("t.yaml", extra: ["--timeout", "1s", "--jobs", "2"])
        XCTAssertEqual(status, 1, output)
        let plan = try harness.plan("t.yaml")
        XCTAssertEqual(harness.ledger().readState(plan.runs[0].id)?.error, "timed out after 1s")
        XCTAssertEqual(harness.ledger().readState(plan.runs[1].id)?.state, .done)
    }

    func testFailFastStopsLaunching() throws {
        let harness = try SweepHarness()
        harness.write("f.yaml", "sweep: ff\ngrid:\n  init: [explode, a, b]\n")
        let (status, output) = try harness.runSweep("f.yaml", extra: ["--fail-fast", "--jobs", "1"])
        XCTAssertEqual(status, 1, output)
        let plan = try harness.plan("f.yaml")
        XCTAssertEqual(harness.starts(plan.runs[1].id), 0, output)
        XCTAssertEqual(harness.ledger().readState(plan.runs[2].id)?.state, .pending)
    }

    func testBadSpecExitsTwoWithLocation() throws {
        let harness = try SweepHarness()
        harness.write("bad.yaml", "sweep: bad\nzip:\n  - a: [1, 2]\n    b: [1]\n")
        let (status, output) = try harness.runSweep("bad.yaml")
        XCTAssertEqual(status, 2)
        XCTAssertTrue(output.contains("bad.yaml:3:5: error: the axes of a zip group must have equal lengths"), output)
    }
}
