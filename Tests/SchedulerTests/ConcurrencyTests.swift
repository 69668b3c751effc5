import TestSupport
import XCTest
@testable import RunStore
@testable import Scheduler
@testable import Sweep

final class ConcurrencyTests: XCTestCase {
    func testTwoSchedulersOnOneSpecTrainEachRunOnce() throws {
        let harness = try SweepHarness()
        harness.write("c.yaml", "sweep: both\nseeds: 2\ngrid:\n  reward.preset: [original, coarse]\n")
        // Plan first so both schedulers race on existing store entries.
        XCTAssertEqual(try harness.ablate(["plan", "c.yaml", "--runs", "runs"]).status, 0)
        let arguments = ["run", "c.yaml", "--runs", "runs", "--jobs", "2", "--worker-executable", harness.worker]
        let (first, firstOutput) = try harness.start(arguments, gated: true, name: "first")
        let (second, secondOutput) = try harness.start(arguments, gated: true, name: "second")
        // Four workers at once with --jobs 2 each means both schedulers are training.
        harness.waitUntil("both schedulers run two workers each") { harness.runsAtGate().count == 4 }
        harness.openGate()
        first.waitUntilExit()
        second.waitUntilExit()
        let outputs = [firstOutput, secondOutput].map { (try? String(contentsOfFile: $0, encoding: .utf8)) ?? "" }.joined(separator: "\n---\n")
        XCTAssertEqual(first.terminationStatus, 0, outputs)
        XCTAssertEqual(second.terminationStatus, 0, outputs)
        let plan = try harness.plan("c.yaml")
        for run in plan.runs {
            XCTAssertEqual(harness.starts(run.id), 1, "\(run.row) seed \(run.seed)\n\(outputs)")
            XCTAssertEqual(harness.ledger().readState(run.id)?.state, .done)
        }
    }

    func testAClaimIsExclusiveUntilReleased() throws {
        let harness = try SweepHarness()
        let directory = harness.root + "/run"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let claim = try XCTUnwrap(try RunClaim.take(runDirectory: directory))
        XCTAssertNil(try RunClaim.take(runDirectory: directory))
        XCTAssertTrue(RunClaim.isHeld(runDirectory: directory))
        claim.release()
        XCTAssertFalse(RunClaim.isHeld(runDirectory: directory))
        XCTAssertNotNil(try RunClaim.take(runDirectory: directory))
    }
}
