import TestSupport
import XCTest
@testable import RunStore
@testable import Scheduler
@testable import Sweep
#if canImport(Glibc)
import Glibc
#endif

final class ResumeTests: XCTestCase {
    let spec = "sweep: resume\nconfig: {train: {steps: 4}}\nseeds: 2\ngrid:\n  reward.preset: [original, coarse]\n"

    func testSweepKilledWithSIGKILLFinishesWithTheSameMetricsAsAnUninterruptedOne() throws {
        let harness = try SweepHarness()
        harness.write("r.yaml", spec)
        let reference = try harness.runSweep("r.yaml", runs: "reference")
        XCTAssertEqual(reference.status, 0, reference.output)

        let (scheduler, _) = try harness.start(["run", "r.yaml", "--runs", "runs", "--jobs", "2", "--worker-executable", harness.worker], gated: true)
        harness.waitUntil("two workers are mid-run", while: scheduler) { harness.runsAtGate().count == 2 }
        kill(scheduler.processIdentifier, SIGKILL)
        scheduler.waitUntilExit()
        // The machine "crashes": the orphaned workers die too.
        let interrupted = harness.runsAtGate()
        for id in interrupted { for pid in harness.workerPIDs(id) { kill(-pid, SIGKILL) } }
        let plan = try harness.plan("r.yaml")
        for id in interrupted { XCTAssertEqual(harness.ledger().readState(id)?.state, .running, "a killed sweep leaves stale running states") }
        let stale = try harness.ablate(["status", "r.yaml", "--runs", "runs"])
        XCTAssertTrue(stale.output.contains("2 stale"), stale.output)

        harness.openGate()
        let resumed = try harness.runSweep("r.yaml")
        XCTAssertEqual(resumed.status, 0, resumed.output)
        for run in plan.runs {
            XCTAssertEqual(harness.ledger().readState(run.id)?.state, .done)
            XCTAssertEqual(harness.metrics(run.id), harness.metrics(run.id, runs: "reference"), "run \(run.row) seed \(run.seed)")
        }
        XCTAssertEqual(harness.metrics(plan.runs[0].id).split(separator: "\n").count, 4)
        for id in interrupted { XCTAssertEqual(harness.starts(id), 3, "reference, interrupted, resumed") }
    }

    func testFirstSIGTERMLetsWorkersCheckpointAndExits130WithAConsistentLedger() throws {
        let harness = try SweepHarness()
        harness.write("r.yaml", spec)
        let (scheduler, outputPath) = try harness.start(["run", "r.yaml", "--runs", "runs", "--jobs", "2", "--worker-executable", harness.worker], gated: true)
        harness.waitUntil("two workers are mid-run", while: scheduler) { harness.runsAtGate().count == 2 }
        kill(scheduler.processIdentifier, SIGTERM)
        scheduler.waitUntilExit()
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        XCTAssertEqual(scheduler.terminationStatus, 130, output)
        let plan = try harness.plan("r.yaml")
        for run in plan.runs {
            let state = harness.ledger().readState(run.id)
            XCTAssertEqual(state?.state, .pending, output)
            XCTAssertFalse(RunClaim.isHeld(runDirectory: harness.ledger().runDirectory(run.id)), "no worker may outlive the interrupt")
        }
        for id in harness.runsAtGate() {
            XCTAssertEqual(RunResult.read(at: harness.ledger().run(id).result)?.outcome, "interrupted")
        }
        harness.openGate()
        XCTAssertEqual(try harness.runSweep("r.yaml").status, 0)
        for run in plan.runs { XCTAssertEqual(harness.ledger().readState(run.id)?.state, .done) }
    }

    func testRerunningReusesDoneRunsAndTrainsOnlyWhatIsNew() throws {
        let harness = try SweepHarness()
        harness.write("r.yaml", spec)
        XCTAssertEqual(try harness.runSweep("r.yaml").status, 0)
        let before = try harness.plan("r.yaml")
        XCTAssertEqual(try harness.runSweep("r.yaml").status, 0)
        for run in before.runs { XCTAssertEqual(harness.starts(run.id), 1) }
        harness.write("r.yaml", spec.replacingOccurrences(of: "[original, coarse]", with: "[original, coarse, finegrained]"))
        XCTAssertEqual(try harness.runSweep("r.yaml").status, 0)
        let after = try harness.plan("r.yaml")
        XCTAssertEqual(after.runs.count, 6)
        for run in after.runs { XCTAssertEqual(harness.starts(run.id), 1, run.row) }
    }

    /// `--seeds` trains those seeds' runs and the stages they need, leaves the rest pending, and
    /// refuses a seed the spec does not have; a later full run trains only what is left.
    func testSeedsTrainsOnlyThoseSeedsAndTheirStages() throws {
        let harness = try SweepHarness()
        harness.write("s.yaml", """
            sweep: s
            config: {init: stage:sft, train: {steps: 2}}
            seeds: 3
            grid: {reward.preset: [original, coarse]}
            stages:
              base: {seed: 0, train: {algorithm: pretrain, steps: 2}}
              sft:  {init: stage:base, train: {algorithm: sft, steps: 2}}
            """)
        let first = try harness.runSweep("s.yaml", extra: ["--seeds", "1-2"])
        XCTAssertEqual(first.status, 0, first.output)
        XCTAssertTrue(first.output.contains("seeds 1-2"), first.output)
        let plan = try harness.plan("s.yaml")
        let base = try XCTUnwrap(plan.stages.first { $0.stage == "base" })
        XCTAssertEqual(harness.starts(base.id), 1, "the fixed-seed stage the selected seeds need")
        for stage in plan.stages where stage.stage == "sft" {
            XCTAssertEqual(harness.starts(stage.id), stage.seed == 0 ? 0 : 1, "sft seed \(stage.seed)")
        }
        for run in plan.runs {
            XCTAssertEqual(harness.ledger().readState(run.id)?.state, run.seed == 0 ? .pending : .done, "\(run.row) seed \(run.seed)")
        }

        let unknown = try harness.runSweep("s.yaml", extra: ["--seeds", "2,5"])
        XCTAssertEqual(unknown.status, 2, unknown.output)
        XCTAssertTrue(unknown.output.contains("--seeds 2,5: the sweep has no seed 5; its seeds are 0, 1, 2"), unknown.output)
        let malformed = try harness.runSweep("s.yaml", extra: ["--seeds", "2-1"])
        XCTAssertEqual(malformed.status, 2, malformed.output)
        let slurm = try harness.ablate(["run", "s.yaml", "--runs", "runs", "--executor", "slurm", "--seeds", "1"])
        XCTAssertEqual(slurm.status, 2, slurm.output)
        XCTAssertTrue(slurm.output.contains("--seeds applies to the local executor"), slurm.output)

        XCTAssertEqual(try harness.runSweep("s.yaml").status, 0)
        for run in plan.runs + plan.stages {
            XCTAssertEqual(harness.starts(run.id), 1, "\(run.stage ?? run.row) seed \(run.seed) trained once")
            XCTAssertEqual(harness.ledger().readState(run.id)?.state, .done)
        }
    }

    func testSecondInterruptKillsWorkersAndExits130AtOnce() throws {
        let harness = try SweepHarness()
        harness.write("s.yaml", "sweep: stubborn\nconfig: {init: stubborn}\n")
        let (scheduler, outputPath) = try harness.start(["run", "s.yaml", "--runs", "runs", "--worker-executable", harness.worker])
        harness.waitUntil("the worker runs", while: scheduler) { harness.runsAtGate().count == 1 }
        let output = { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }
        kill(scheduler.processIdentifier, SIGINT)
        harness.waitUntil("the scheduler asked the worker to stop", while: scheduler) { output().contains("waiting for running workers to checkpoint") }
        kill(scheduler.processIdentifier, SIGINT)
        scheduler.waitUntilExit()
        XCTAssertEqual(scheduler.terminationStatus, 130, output())
        let id = try XCTUnwrap(harness.runsAtGate().first)
        XCTAssertEqual(harness.ledger().readState(id)?.state, .pending)
        for pid in harness.workerPIDs(id) { XCTAssertNotEqual(kill(pid, 0), 0, "the stubborn worker must be dead") }
        XCTAssertFalse(RunClaim.isHeld(runDirectory: harness.ledger().runDirectory(id)))
    }
}
