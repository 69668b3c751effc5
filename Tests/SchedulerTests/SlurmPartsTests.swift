import TestSupport
import XCTest
@testable import RunStore
@testable import Scheduler
@testable import Slurm
@testable import Sweep
#if canImport(Glibc)
import Glibc
#endif

/// The Slurm executor's parts that need no cluster: reading squeue and sacct, the batch script,
/// the CLI's checks and `--dry-run`, and array tasks pulling runs from one store.
final class SlurmPartsTests: XCTestCase {
    func testSqueueLinesBecomeTasks() {
        let tasks = SlurmQueue.parseSqueue("""
            123|4|RUNNING|None|node07
            123|5|PENDING|JobArrayTaskLimit|
            124|N/A|PENDING|Dependency|
            125|0|NODE_FAIL|None|node03

            """)
        XCTAssertEqual(tasks.map(\.name), ["123_4", "123_5", "124", "125_0"])
        XCTAssertEqual(tasks.map(\.isActive), [true, true, true, false])
        XCTAssertEqual(tasks.map(\.isRunning), [true, false, false, false])
        let queue = SlurmQueue(tasks: tasks)
        XCTAssertEqual(queue.task(named: "123_5")?.reason, "JobArrayTaskLimit")
        XCTAssertTrue(queue.hasActiveTasks(of: ["124"]))
        XCTAssertFalse(queue.hasActiveTasks(of: ["125"]))
    }

    func testSacctKeepsTheLastStateOfEachTask() {
        let states = SlurmQueue.parseSacct("""
            123_4|NODE_FAIL
            123_4.batch|CANCELLED
            123_5|CANCELLED by 1000
            123_4|COMPLETED
            """)
        XCTAssertEqual(states, ["123_4": "COMPLETED", "123_5": "CANCELLED"])
    }

    func testBatchScriptCarriesTheSettingsAndExecsTheTask() {
        var settings = SlurmSettings()
        settings.partition = "gpu"
        settings.time = "4:00:00"
        settings.gpusPerTask = "a100:1"
        settings.arrayParallelism = 3
        settings.signalGrace = 300
        settings.sbatchOptions = ["--exclusive"]
        settings.setup = ["module load openblas"]
        let folder = SlurmFolder(ledger: Ledger(root: "/shared/runs"), sweep: "grid")
        let script = BatchScript(sweep: "grid", array: .runs, tasks: 12, settings: settings, folder: folder,
                                 command: ["/opt/ablate", "slurm-task", "/shared/runs", "--sweep", "it's"])
        let lines = script.text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "#!/bin/bash")
        for expected in ["#SBATCH --job-name=ablate-grid-runs", "#SBATCH --array=0-11%3", "#SBATCH --output=/shared/runs/grid/slurm/logs/%A_%a.out",
                         "#SBATCH --requeue", "#SBATCH --signal=B:USR1@300", "#SBATCH --partition=gpu", "#SBATCH --time=4:00:00",
                         "#SBATCH --gpus-per-task=a100:1", "#SBATCH --exclusive", "#SBATCH --cpus-per-task=1"] {
            XCTAssertTrue(lines.contains(expected), "\(expected) in\n\(script.text)")
        }
        XCTAssertFalse(script.text.contains("--account"), "unset settings add no line")
        XCTAssertLessThan(try XCTUnwrap(lines.firstIndex(of: "module load openblas")), lines.count - 1)
        XCTAssertEqual(lines.last, #"exec /opt/ablate slurm-task /shared/runs --sweep 'it'\''s'"#)
    }

    func testPlanFileSplitsIntoStageAndRunArrays() throws {
        let harness = try SweepHarness()
        harness.write("s.yaml", "sweep: s\nconfig: {init: stage:base}\nseeds: 2\ngrid: {reward.preset: [original, coarse]}\nstages:\n  base: {train: {algorithm: pretrain}}\n")
        let plan = try harness.plan("s.yaml")
        let recorded = PlanFile(plan)
        let stages = ScheduledRun.units(of: recorded, stages: true)
        let runs = ScheduledRun.units(of: recorded, stages: false)
        XCTAssertEqual(stages.map(\.title), ["stage base seed 0", "stage base seed 1"])
        XCTAssertEqual(runs.count, 4)
        XCTAssertEqual(Set(runs.flatMap(\.dependsOn)), Set(stages.map(\.id)))
        XCTAssertEqual(stages.map(\.id) + runs.map(\.id), ScheduledRun.units(of: plan).map(\.id))
    }

    func testRunChecksItsExecutorOptions() throws {
        let harness = try SweepHarness()
        harness.write("s.yaml", "sweep: s\n")
        let local = try harness.ablate(["run", "s.yaml", "--partition", "gpu"])
        XCTAssertEqual(local.status, 2, local.output)
        XCTAssertTrue(local.output.contains("apply to --executor slurm"), local.output)
        let wait = try harness.ablate(["run", "s.yaml", "--wait"])
        XCTAssertEqual(wait.status, 2, wait.output)
        let cpus = try harness.ablate(["run", "s.yaml", "--executor", "slurm", "--cpus-per-task", "0"])
        XCTAssertEqual(cpus.status, 2, cpus.output)
        XCTAssertTrue(cpus.output.contains("--cpus-per-task: expected at least 1"), cpus.output)
        let failFast = try harness.ablate(["run", "s.yaml", "--executor", "slurm", "--fail-fast"])
        XCTAssertEqual(failFast.status, 2, failFast.output)
    }

    func testDryRunWritesAndPrintsTheScriptsWithoutSubmitting() throws {
        let harness = try SweepHarness()
        harness.write("s.yaml", """
            sweep: dry
            config: {init: stage:base}
            grid: {reward.preset: [original, coarse]}
            stages: {base: {train: {algorithm: pretrain}}}
            executor:
              slurm: {partition: cpu, time: "1:00:00", array_parallelism: 4}
            """)
        let result = try harness.ablate(["run", "s.yaml", "--executor", "slurm", "--dry-run", "--partition", "gpu",
                                         "--sbatch-option", "--exclusive", "--setup", "module load openblas", "--max-attempts", "2"])
        XCTAssertEqual(result.status, 0, result.output)
        let folder = SlurmFolder(ledger: harness.ledger(), sweep: "dry")
        let stages = try String(contentsOfFile: folder.scriptPath(.stages), encoding: .utf8)
        let runs = try String(contentsOfFile: folder.scriptPath(.runs), encoding: .utf8)
        XCTAssertTrue(result.output.contains(stages) && result.output.contains(runs), result.output)
        XCTAssertTrue(result.output.contains("--dependency=afterok:<stages job>"), result.output)
        for line in ["#SBATCH --array=0-1%4", "#SBATCH --partition=gpu", "#SBATCH --time=1:00:00", "#SBATCH --exclusive", "module load openblas"] {
            XCTAssertTrue(runs.contains(line + "\n"), "\(line) in\n\(runs)")
        }
        XCTAssertTrue(stages.contains("#SBATCH --array=0-0%4\n"), stages)
        XCTAssertTrue(runs.contains(" slurm-task \(harness.ledger().root) --sweep dry --array runs --threads 1 --max-attempts 2"), runs)
        XCTAssertEqual(folder.submittedArrays(), [], "nothing was submitted")
    }

    /// Runs of an external trainer that need GPUs: each task asks for the most any run needs, and
    /// fewer per task is refused before anything is written.
    func testTasksAskForTheGPUsTheirRunsNeed() throws {
        let harness = try SweepHarness()
        harness.write("s.yaml", """
            sweep: gpus
            config: {trainer: {command: [/bin/true], gpus: 2}}
            grid: {reward.preset: [original, coarse]}
            """)
        let asked = try harness.ablate(["run", "s.yaml", "--executor", "slurm", "--dry-run"])
        XCTAssertEqual(asked.status, 0, asked.output)
        XCTAssertTrue(asked.output.contains("each task asks for 2 GPUs"), asked.output)
        XCTAssertTrue(asked.output.contains("#SBATCH --gpus-per-task=2\n"), asked.output)
        let tooFew = try harness.ablate(["run", "s.yaml", "--executor", "slurm", "--dry-run", "--gpus-per-task", "a100:1"])
        XCTAssertEqual(tooFew.status, 2, tooFew.output)
        XCTAssertTrue(tooFew.output.contains("needs 2 GPUs (trainer.gpus) but each Slurm task gets a100:1"), tooFew.output)
    }

    /// Two array tasks started at once on one store never train a run twice, and a task started
    /// later finds nothing left.
    func testArrayTasksPullEachRunOnce() throws {
        let harness = try SweepHarness()
        harness.write("s.yaml", "sweep: pull\nseeds: 3\ngrid: {reward.preset: [original, coarse]}\n")
        let planned = try harness.ablate(["plan", "s.yaml", "--runs", "runs"])
        XCTAssertEqual(planned.status, 0, planned.output)
        let task = ["slurm-task", harness.ledger().root, "--sweep", "pull", "--array", "runs", "--worker-executable", harness.worker]
        let (first, _) = try harness.start(task, gated: true)
        let (second, _) = try harness.start(task, gated: true)
        harness.waitUntil("each task trains a run") { harness.runsAtGate().count == 2 }
        harness.openGate()
        first.waitUntilExit()
        second.waitUntilExit()
        XCTAssertEqual([first.terminationStatus, second.terminationStatus], [0, 0])
        let plan = try harness.plan("s.yaml")
        for run in plan.runs {
            XCTAssertEqual(harness.ledger().readState(run.id)?.state, .done)
            XCTAssertEqual(harness.starts(run.id), 1, "run \(run.row) seed \(run.seed)")
        }
        let late = try harness.ablate(task)
        XCTAssertEqual(late.status, 0, late.output)
        XCTAssertTrue(late.output.contains("6 done, 0 running, 0 failed, 0 pending"), late.output)
        XCTAssertEqual(plan.runs.map { harness.starts($0.id) }, Array(repeating: 1, count: 6))
    }

    /// A task's failed run names the task and its log, and the task exits 1 (holding back
    /// `afterok` dependents).
    func testAFailedRunNamesItsTaskAndLog() throws {
        let harness = try SweepHarness()
        harness.write("s.yaml", "sweep: boom\nconfig: {init: explode}\n")
        XCTAssertEqual(try harness.ablate(["plan", "s.yaml", "--runs", "runs"]).status, 0)
        let (process, outputPath) = try harness.start(["slurm-task", harness.ledger().root, "--sweep", "boom", "--array", "runs",
                                                       "--worker-executable", harness.worker],
                                                      environment: ["SLURM_ARRAY_JOB_ID": "77", "SLURM_ARRAY_TASK_ID": "3"])
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 1, (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "")
        let id = try harness.plan("s.yaml").runs[0].id
        let state = try XCTUnwrap(harness.ledger().readState(id))
        XCTAssertEqual(state.job, "77_3")
        XCTAssertEqual(state.error, "diverged: NaN loss at step 1 (job 77_3, log \(harness.ledger().root)/boom/slurm/logs/77_3.out)")
    }
}
