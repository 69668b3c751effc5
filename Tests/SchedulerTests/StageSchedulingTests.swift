import TestSupport
import XCTest
@testable import RunStore
@testable import Scheduler
@testable import Sweep

final class StageSchedulingTests: XCTestCase {
    func testStagesRunOnceBeforeTheRunsThatNeedThem() throws {
        let harness = try SweepHarness()
        harness.write("s.yaml", """
            sweep: staged
            config: {init: stage:sft}
            seeds: 2
            grid: {reward.preset: [original, coarse]}
            stages:
              base: {train: {algorithm: pretrain}}
              sft: {init: stage:base, train: {algorithm: sft}}
            """)
        let (status, output) = try harness.runSweep("s.yaml", extra: ["--jobs", "2"])
        XCTAssertEqual(status, 0, output)
        let plan = try harness.plan("s.yaml")
        let order = try String(contentsOfFile: harness.control + "/order", encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(order.count, 8)
        for unit in plan.stages + plan.runs {
            XCTAssertEqual(harness.starts(unit.id), 1)
            for dependency in unit.dependsOn {
                XCTAssertLessThan(try XCTUnwrap(order.firstIndex(of: dependency)), try XCTUnwrap(order.firstIndex(of: unit.id)))
                // The dependency had finished before the dependent started.
                XCTAssertEqual(RunResult.read(at: harness.ledger().run(dependency).result)?.outcome, "done")
            }
        }
    }

    func testAFailedStageBlocksItsDependentsOnly() throws {
        let harness = try SweepHarness()
        harness.write("s.yaml", """
            sweep: blocked
            grid:
              init: [stage:bad, scratch]
            stages:
              bad: {init: explode}
            """)
        let (status, output) = try harness.runSweep("s.yaml")
        XCTAssertEqual(status, 1, output)
        let plan = try harness.plan("s.yaml")
        XCTAssertEqual(harness.starts(plan.runs[0].id), 0)
        XCTAssertEqual(harness.ledger().readState(plan.runs[1].id)?.state, .done)
    }
}
