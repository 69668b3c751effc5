import Basics
import Foundation
import RunStore
import Scheduler
import Sweep
#if canImport(Glibc)
import Glibc
#endif

/// One task of a sweep's job array, running on a compute node: a pull-mode scheduler with one
/// worker at a time over the sweep's stages or runs (docs/slurm.md).
///
/// - It takes the next run nobody holds (the store's claims), trains it, and goes on until none is
///   left; runs held by other tasks or done meanwhile by a local `ablate run` are skipped.
/// - USR1 (`--signal=B:USR1@<grace>` before the time limit): the worker checkpoints, its run goes
///   back to pending, and the task requeues itself (`scontrol requeue <job>_<task>`, never the
///   whole array), so the run resumes where it stopped when the task starts again.
/// - SIGTERM (`scancel`, a preemption, the time limit itself): Slurm signals every process of the
///   task, the worker checkpoints, its run goes back to pending for the next task or submission.
public struct ArrayTask {
    public let ledger: Ledger
    public let sweep: String
    public let array: SweepArray
    public var options: SchedulerOptions
    public let environment: [String: String]

    public init(ledger: Ledger, sweep: String, array: SweepArray, options: SchedulerOptions,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.ledger = ledger
        self.sweep = sweep
        self.array = array
        self.options = options
        self.environment = environment
    }

    /// `123_4` from Slurm's environment (`SLURM_JOB_ID` for a job that is not an array).
    var jobName: String? {
        if let job = environment["SLURM_ARRAY_JOB_ID"], let task = environment["SLURM_ARRAY_TASK_ID"] { return "\(job)_\(task)" }
        return environment["SLURM_JOB_ID"]
    }

    /// Trains what it can take; returns the exit status: 0 when every run it attempted ended
    /// done (or it requeued itself), 1 when one failed (so that `afterok` holds back the runs of a
    /// failed stage), 130 when it was stopped.
    public func run(progress: ProgressReporter) -> Int32 {
        // First: USR1's default action would end the process.
        CheckpointRequests.install()
        Interrupts.install(exitOnSecondSignal: false)
        let plan: PlanFile
        do { plan = try ledger.readPlan(sweep: sweep) } catch {
            progress.event("error: \(error)")
            return 1
        }
        var options = options
        options.jobs = 1
        options.pull = true
        options.interruptsReachWorkers = true
        options.job = jobName
        options.jobLog = jobName.map { SlurmFolder(ledger: ledger, sweep: sweep).logPath(task: $0) }
        let units = ScheduledRun.units(of: plan, stages: array == .stages)
        let restarts = environment["SLURM_RESTART_COUNT"].map { " (restart \($0))" } ?? ""
        progress.event("task \(jobName ?? "?")\(restarts) on \(ProcessInfo.processInfo.hostName): \(units.count) \(array.rawValue) in sweep \(sweep)")
        let scheduler = LocalScheduler(ledger: ledger, units: units, options: options, progress: progress,
                                       checkpointRequests: { CheckpointRequests.count })
        let outcome = scheduler.run()
        if outcome.interrupted, CheckpointRequests.count > 0, Interrupts.count == 0 {
            return requeue(progress: progress)
        }
        if outcome.interrupted { return 130 }
        let failedHere = outcome.failed.filter { outcome.attempted.contains($0.id) }
        return failedHere.isEmpty ? 0 : 1
    }

    /// Puts this task back in the queue; Slurm then ends this incarnation.
    func requeue(progress: ProgressReporter) -> Int32 {
        guard let job = jobName else {
            progress.event("cannot requeue: no SLURM_JOB_ID in the environment")
            return 130
        }
        do {
            _ = try SlurmTools.check("scontrol", ["requeue", job])
            progress.event("requeued \(job): its run resumes from its checkpoint when the task starts again")
            return 0
        } catch {
            progress.event("cannot requeue \(job): \(error); its run is pending for the next submission")
            return 130
        }
    }
}
