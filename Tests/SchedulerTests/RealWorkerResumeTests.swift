import TestSupport
import XCTest
@testable import Config
@testable import RunStore
@testable import Scheduler
@testable import Sweep
#if canImport(Glibc)
import Glibc
#endif

/// The real worker (`ablate worker`, Training's TrainingRun) on a tiny config: a sweep killed with
/// SIGKILL mid-run, its workers killed too (a machine crash), and run again ends with the same
/// metrics as a sweep that was never interrupted.
final class RealWorkerResumeTests: XCTestCase {
    let spec = """
        sweep: real
        config:
          task: {preset: tiny}
          model: {dim: 16, layers: 1, heads: 2, mlp_dim: 32, context: 64}
          train: {steps: 6, batch_size: 2, group_size: 2, max_new_tokens: 3, lr: 1.0e-2, checkpoint_every: 1}
          eval: {every: 3, max_new_tokens: 3, splits: [seen, irrelevant], max_items: 2}
        seeds: [3]
        grid:
          reward.preset: [original, coarse]
        """

    func testKilledSweepResumesToTheSameMetrics() throws {
        let harness = try SweepHarness()
        harness.write("real.yaml", spec)
        let reference = try harness.ablate(["run", "real.yaml", "--runs", "reference", "--jobs", "2"])
        XCTAssertEqual(reference.status, 0, reference.output)
        let plan = try harness.plan("real.yaml")
        XCTAssertEqual(plan.runs.count, 2)

        let (scheduler, _) = try harness.start(["run", "real.yaml", "--runs", "runs", "--jobs", "2"])
        let ledger = harness.ledger()
        let first = plan.runs[0].id
        harness.waitUntil("the first run has trained two steps", limit: 120, while: scheduler) {
            RunLog.lastLines(of: ledger.run(first).metrics, count: 10).count >= 2
        }
        kill(scheduler.processIdentifier, SIGKILL)
        scheduler.waitUntilExit()
        for run in plan.runs {
            if let pid = ledger.readState(run.id)?.pid { kill(-pid, SIGKILL); kill(pid, SIGKILL) }
        }
        harness.waitUntil("the killed workers released their claims") {
            plan.runs.allSatisfy { !RunClaim.isHeld(runDirectory: ledger.runDirectory($0.id)) }
        }
        XCTAssertNotEqual(RunResult.read(at: ledger.run(first).result)?.outcome, "done", "the kill must land mid-run")

        let resumed = try harness.ablate(["run", "real.yaml", "--runs", "runs", "--jobs", "2"])
        XCTAssertEqual(resumed.status, 0, resumed.output)
        for run in plan.runs {
            let directory = ledger.runDirectory(run.id)
            let referenceDirectory = harness.ledger("reference").runDirectory(run.id)
            XCTAssertEqual(ledger.readState(run.id)?.state, .done)
            let metrics = try SweepHarness.deterministicMetrics(try String(contentsOfFile: directory + "/metrics.jsonl", encoding: .utf8))
            let expected = try SweepHarness.deterministicMetrics(try String(contentsOfFile: referenceDirectory + "/metrics.jsonl", encoding: .utf8))
            XCTAssertEqual(metrics.count, 8, "6 train lines and 2 eval lines")
            XCTAssertEqual(metrics, expected, run.row)
            XCTAssertEqual(try String(contentsOfFile: directory + "/eval.json", encoding: .utf8),
                           try String(contentsOfFile: referenceDirectory + "/eval.json", encoding: .utf8), run.row)
        }
    }
}
