import TestSupport
import XCTest
@testable import RunStore
@testable import Scheduler
@testable import Slurm
@testable import Sweep
#if canImport(Glibc)
import Glibc
#endif

/// The Slurm executor against a real slurmctld and slurmd (scripts/slurm-dev-cluster.sh, which
/// `make test` starts when it runs as root or with sudo), with the real trainer on a tiny sweep
/// that has a stage. Every test compares final metrics with the same sweep trained by the local
/// executor. Worker processes are paused (SIGSTOP) before a signal is sent, so that the signal
/// lands mid-run however loaded the machine is; everything else is waited for by polling.
final class SlurmIntegrationTests: XCTestCase {
    static let spec = """
        sweep: cluster
        config:
          init: stage:base
          task: {preset: tiny}
          model: {dim: 16, layers: 1, heads: 2, mlp_dim: 32, context: 64}
          train: {steps: 12, batch_size: 2, group_size: 2, max_new_tokens: 3, checkpoint_every: 1}
          eval: {every: 6, max_new_tokens: 3, splits: [seen, irrelevant], max_items: 2}
        seeds: [3]
        grid:
          train.lr: [1.0e-2, 3.0e-2]
        stages:
          base: {train: {algorithm: sft, steps: 3}}
        executor:
          slurm: {array_parallelism: 2}
        """

    /// The sweep under the local executor, trained once for all tests.
    static var localReference: SweepHarness?
    var harness: SweepHarness!
    var plan: SweepPlan!

    override func setUpWithError() throws {
        if let reason = Self.whyNoCluster {
            let environment = ProcessInfo.processInfo.environment
            if environment["CI"] == "true" || environment["ABLATE_REQUIRE_SLURM"] == "1" {
                throw SlurmError("CI=true (or ABLATE_REQUIRE_SLURM=1), so the Slurm tests must run, but \(reason)")
            }
            throw XCTSkip("\(reason). `make test` starts a one-node cluster when it runs as root or with sudo; `make test-slurm` runs these tests alone")
        }
        harness = try SweepHarness()
        harness.write("s.yaml", Self.spec)
        plan = try harness.plan("s.yaml")
        if Self.localReference == nil {
            let reference = try SweepHarness()
            reference.write("s.yaml", Self.spec)
            let result = try reference.ablate(["run", "s.yaml", "--runs", "runs", "--jobs", "2"])
            XCTAssertEqual(result.status, 0, result.output)
            Self.localReference = reference
        }
    }

    override func tearDownWithError() throws {
        // Nothing of a failed test may keep running into the next one (or into a deleted folder).
        guard let harness else { return }
        let jobs = ["cluster", "bandit"].flatMap { SlurmFolder(ledger: harness.ledger(), sweep: $0).submittedArrays().map(\.job) }
        if !jobs.isEmpty {
            _ = try? SlurmTools.run("scancel", jobs)
            harness.waitUntil("the test's arrays have ended", limit: 120) { (try? SlurmQueue.query(jobs: jobs).hasActiveTasks(of: jobs)) == false }
        }
    }

    /// One test class at a time on the cluster, across processes (two checkouts' `make test` on
    /// one machine): the tests need both of a small node's CPUs for their own tasks.
    static var clusterLock: Int32 = -1

    override class func setUp() {
        clusterLock = open("/tmp/ablate-slurm-tests.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        if clusterLock >= 0 { flock(clusterLock, LOCK_EX) }
    }

    override class func tearDown() {
        localReference = nil
        if clusterLock >= 0 { close(clusterLock) }
    }

    /// Why the tests cannot run here, or nil when a cluster answers. Asked once: without a
    /// controller, sinfo takes its message timeout (10 s) to fail.
    static let whyNoCluster: String? = clusterUnavailable()

    static func clusterUnavailable() -> String? {
        guard SlurmTools.path(of: "sinfo") != nil else { return "Slurm is not installed (no sinfo on PATH)" }
        guard let output = try? SlurmTools.run("sinfo", ["--noheader", "--format=%t"]), output.status == 0 else {
            return "no Slurm controller answers (sinfo fails)"
        }
        let states = output.standardOutput.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        guard states.contains(where: { ["idle", "mix", "alloc"].contains($0) }) else {
            return "no Slurm node is up (sinfo says \(states.joined(separator: ", ")))"
        }
        return nil
    }

    // MARK: Helpers

    var ledger: Ledger { harness.ledger() }
    var folder: SlurmFolder { SlurmFolder(ledger: ledger, sweep: "cluster") }

    func submit(_ extra: [String] = []) throws -> (status: Int32, output: String) {
        try harness.ablate(["run", "s.yaml", "--runs", "runs", "--executor", "slurm"] + extra)
    }

    func state(_ id: String) -> StateFile? { ledger.readState(id) }

    func lastStep(_ id: String) -> Int { MetricsLine.lastStep(at: ledger.run(id).metrics) ?? 0 }

    /// The step a worker checkpointed at when it was stopped, from its log.
    func interruptedStep(_ id: String) -> Int? {
        let line = log(id).split(separator: "\n").last { $0.contains("interrupted at step ") }
        return line.flatMap { $0.components(separatedBy: "interrupted at step ").last?.split(separator: " ").first.flatMap { Int($0) } }
    }

    func taskLog(_ job: String) -> String {
        (try? String(contentsOfFile: folder.logPath(task: job), encoding: .utf8)) ?? ""
    }

    func log(_ id: String) -> String {
        (try? String(contentsOfFile: ledger.runDirectory(id) + "/log.txt", encoding: .utf8)) ?? ""
    }

    /// Waits until both runs train, with at least one step checkpointed, and pauses their workers.
    func pauseBothRunsMidway() -> [String: (pid: Int32, job: String, step: Int)] {
        let runs = plan.runs.map(\.id)
        harness.waitUntil("both runs are training in array tasks", limit: 180) {
            runs.allSatisfy { state($0)?.state == .running && state($0)?.job != nil && lastStep($0) >= 1 }
        }
        var paused: [String: (pid: Int32, job: String, step: Int)] = [:]
        for id in runs {
            guard let pid = state(id)?.pid, let job = state(id)?.job else { continue }
            kill(pid, SIGSTOP)
            paused[id] = (pid, job, lastStep(id))
        }
        for (id, run) in paused { XCTAssertLessThan(run.step, 12, "run \(id.prefix(12)) was paused mid-run") }
        return paused
    }

    /// Every unit's final metrics and evaluation equal the local executor's.
    func assertSameResultsAsTheLocalExecutor(file: StaticString = #filePath, line: UInt = #line) throws {
        let reference = try XCTUnwrap(Self.localReference).ledger()
        for unit in plan.stages + plan.runs {
            XCTAssertEqual(state(unit.id)?.state, .done, "\(unit.stage ?? unit.row)", file: file, line: line)
            let metrics = try SweepHarness.deterministicMetrics(try String(contentsOfFile: ledger.runDirectory(unit.id) + "/metrics.jsonl", encoding: .utf8))
            let expected = try SweepHarness.deterministicMetrics(try String(contentsOfFile: reference.runDirectory(unit.id) + "/metrics.jsonl", encoding: .utf8))
            XCTAssertEqual(metrics, expected, "\(unit.stage ?? unit.row)", file: file, line: line)
            XCTAssertEqual(try String(contentsOfFile: ledger.runDirectory(unit.id) + "/eval.json", encoding: .utf8),
                           try String(contentsOfFile: reference.runDirectory(unit.id) + "/eval.json", encoding: .utf8), file: file, line: line)
        }
    }

    /// The parent of a process (`/proc/<pid>/stat`, fourth field).
    func parent(of pid: Int32) -> Int32? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(after: close)...].split(separator: " ").dropFirst().first.flatMap { Int32($0) }
    }

    // MARK: Tests

    func testSweepWithAStageTrainsAsUnderTheLocalExecutor() throws {
        let result = try submit(["--wait"])
        XCTAssertEqual(result.status, 0, result.output)
        try assertSameResultsAsTheLocalExecutor()

        // One array for the stage, one for the runs, which started after the stage had finished.
        let arrays = folder.submittedArrays()
        XCTAssertEqual(arrays.map(\.array), [.stages, .runs])
        XCTAssertEqual(arrays.map(\.tasks), [1, 2])
        let stageDone = try XCTUnwrap(StateFile.date(state(plan.stages[0].id)?.finishedAt))
        for run in plan.runs {
            XCTAssertGreaterThanOrEqual(try XCTUnwrap(StateFile.date(state(run.id)?.startedAt)), stageDone)
        }
        // Each unit names the task that trained it; that task's log (%A_%a) tells it.
        for unit in plan.stages + plan.runs {
            let job = try XCTUnwrap(state(unit.id)?.job)
            XCTAssertTrue(job.hasPrefix((unit.stage == nil ? arrays[1] : arrays[0]).job + "_"), job)
            XCTAssertTrue(taskLog(job).contains("start  \(unit.shortID)"), taskLog(job))
        }
        XCTAssertTrue(result.output.contains("done   \(plan.runs[0].shortID)"), result.output)
        let script = try String(contentsOfFile: folder.scriptPath(.runs), encoding: .utf8)
        XCTAssertTrue(script.contains("#SBATCH --array=0-1%2\n"), script)
        XCTAssertTrue(script.contains("#SBATCH --signal=B:USR1@120\n"), script)

        let status = try harness.ablate(["status", "s.yaml", "--runs", "runs"])
        XCTAssertTrue(status.output.contains("3 runs: 3 done"), status.output)
        XCTAssertTrue(status.output.contains("job array \(arrays[1].job) (runs, 2 tasks): 2 completed"), status.output)
    }

    func testScancelledAndSignalledTasksBothResumeFromTheirCheckpoints() throws {
        let submitted = try submit()
        XCTAssertEqual(submitted.status, 0, submitted.output)
        let paused = pauseBothRunsMidway()
        let cancelled = plan.runs[0].id, signalled = plan.runs[1].id
        let cancelledRun = try XCTUnwrap(paused[cancelled]), signalledRun = try XCTUnwrap(paused[signalled])

        // scancel: Slurm sends SIGCONT and SIGTERM to every process of the task.
        _ = try SlurmTools.check("scancel", [cancelledRun.job])
        // The warning before a time limit: USR1 to the batch shell only (the task process).
        _ = try SlurmTools.check("scancel", ["--signal=USR1", "--batch", signalledRun.job])
        harness.waitUntil("the signalled task asks its worker to checkpoint") { taskLog(signalledRun.job).contains("asked to checkpoint") }
        kill(signalledRun.pid, SIGCONT)

        harness.waitUntil("the cancelled run is back to pending, its task gone", limit: 120) {
            state(cancelled)?.state == .pending
                && (try? SlurmQueue.query(jobs: [String(cancelledRun.job.split(separator: "_")[0])]).task(named: cancelledRun.job)?.isActive) == false
        }
        let status = try harness.ablate(["status", "s.yaml", "--runs", "runs"])
        print("ablate status after scancel of task \(cancelledRun.job):\n\(status.output)")
        XCTAssertTrue(status.output.contains("1 cancelled"), status.output)

        harness.waitUntil("the requeued task has finished the signalled run", limit: 180) { state(signalled)?.state == .done }
        XCTAssertTrue(taskLog(signalledRun.job).contains("requeued \(signalledRun.job)"), taskLog(signalledRun.job))
        XCTAssertTrue(taskLog(signalledRun.job).contains("(restart 1)"), taskLog(signalledRun.job))

        let resubmitted = try submit(["--wait"])
        XCTAssertEqual(resubmitted.status, 0, resubmitted.output)
        try assertSameResultsAsTheLocalExecutor()
        for (id, run) in paused {
            // Paused inside a step, a worker finishes that step, then checkpoints.
            let step = try XCTUnwrap(interruptedStep(id), log(id))
            XCTAssertTrue((run.step...run.step + 1).contains(step), "paused at \(run.step), checkpointed at \(step)")
            XCTAssertTrue(log(id).contains(String(format: "resumed from step-%07d", step)), log(id))
        }
    }

    func testTwoSubmissionsOfOneSweepTrainEachRunOnce() throws {
        let first = try submit()
        XCTAssertEqual(first.status, 0, first.output)
        let second = try submit(["--wait"])
        XCTAssertEqual(second.status, 0, second.output)
        XCTAssertEqual(folder.submittedArrays().count, 4, "both submissions sent both arrays")
        try assertSameResultsAsTheLocalExecutor()
        for unit in plan.stages + plan.runs {
            let starts = log(unit.id).split(separator: "\n").filter { $0.contains(" start: ") }.count
            XCTAssertEqual(starts, 1, "\(unit.stage ?? unit.row) trained once:\n\(log(unit.id))")
        }
    }

    /// An external trainer (examples/bandit, a Python process) as a Slurm task's worker: USR1
    /// reaches it through the task, it checkpoints, the task requeues itself, and the run resumes
    /// to the metrics of the same run trained locally.
    func testExternalTrainerResumesAfterUSR1() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        harness.write("bandit.yaml", """
            sweep: bandit
            config:
              task: {preset: tiny}
              train: {steps: 12, batch_size: 4, group_size: 4, lr: 2.0, checkpoint_every: 2}
              eval: {every: 6, max_items: 4}
              trainer: {command: [python3, "\(repository)/examples/bandit/bandit_trainer.py"], resumable: true}
            seeds: [5]
            """)
        let reference = try harness.ablate(["run", "bandit.yaml", "--runs", "reference"])
        XCTAssertEqual(reference.status, 0, reference.output)
        let id = try harness.plan("bandit.yaml").runs[0].id

        // The trainer waits after step 3 (its checkpoint is at step 2) until told to stop.
        let (submitter, outputPath) = try harness.start(["run", "bandit.yaml", "--runs", "runs", "--executor", "slurm"],
                                                        environment: ["BANDIT_GATE": harness.root + "/never", "BANDIT_GATE_STEP": "3"])
        submitter.waitUntilExit()
        XCTAssertEqual(submitter.terminationStatus, 0, (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "")
        harness.waitUntil("the trainer waits after step 3", limit: 120) { lastStep(id) == 3 && state(id)?.job != nil }
        let job = try XCTUnwrap(state(id)?.job)
        _ = try SlurmTools.check("scancel", ["--signal=USR1", "--batch", job])
        let bandit = SlurmFolder(ledger: ledger, sweep: "bandit")
        harness.waitUntil("the requeued task has finished the run", limit: 180) { state(id)?.state == .done }
        let taskLog = (try? String(contentsOfFile: bandit.logPath(task: job), encoding: .utf8)) ?? ""
        XCTAssertTrue(taskLog.contains("requeued \(job)"), taskLog)
        XCTAssertTrue(log(id).contains("bandit: resumed at step 3"), log(id))
        let local = harness.ledger("reference")
        XCTAssertEqual(try String(contentsOfFile: ledger.runDirectory(id) + "/metrics.jsonl", encoding: .utf8),
                       try String(contentsOfFile: local.runDirectory(id) + "/metrics.jsonl", encoding: .utf8))
        XCTAssertEqual(try String(contentsOfFile: ledger.runDirectory(id) + "/eval.json", encoding: .utf8),
                       try String(contentsOfFile: local.runDirectory(id) + "/eval.json", encoding: .utf8))
    }

    func testStatusReturnsARunWhoseTaskVanishedAndCancelLeavesTheStoreConsistent() throws {
        let submitted = try submit()
        XCTAssertEqual(submitted.status, 0, submitted.output)
        let paused = pauseBothRunsMidway()
        let lost = plan.runs[0].id
        let lostRun = try XCTUnwrap(paused[lost])
        // The node is lost: worker and task die without a word.
        let task = try XCTUnwrap(parent(of: lostRun.pid))
        kill(lostRun.pid, SIGKILL)
        kill(task, SIGKILL)
        let array = String(lostRun.job.split(separator: "_")[0])
        harness.waitUntil("Slurm no longer runs the lost task", limit: 120) {
            (try? SlurmQueue.query(jobs: [array]).task(named: lostRun.job)?.isRunning) == false
        }
        XCTAssertEqual(state(lost)?.state, .running, "nobody could record anything")

        let status = try harness.ablate(["status", "s.yaml", "--runs", "runs"])
        XCTAssertTrue(status.output.contains("vanished \(plan.runs[0].shortID)"), status.output)
        XCTAssertTrue(status.output.contains("back to pending"), status.output)
        XCTAssertEqual(state(lost)?.state, .pending)

        for (id, run) in paused where id != lost { kill(run.pid, SIGCONT) }
        let cancel = try harness.ablate(["cancel", "s.yaml", "--runs", "runs"])
        XCTAssertEqual(cancel.status, 0, cancel.output)
        XCTAssertTrue(cancel.output.contains("cancelled job array"), cancel.output)
        for unit in plan.stages + plan.runs {
            XCTAssertNotEqual(state(unit.id)?.state, .running, "after cancel no run is left recorded running")
            XCTAssertFalse(RunClaim.isHeld(runDirectory: ledger.runDirectory(unit.id)))
        }

        let resubmitted = try submit(["--wait"])
        XCTAssertEqual(resubmitted.status, 0, resubmitted.output)
        try assertSameResultsAsTheLocalExecutor()
    }
}
