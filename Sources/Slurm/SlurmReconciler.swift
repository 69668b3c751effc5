import Foundation
import RunStore
import Scheduler
import Sweep
#if canImport(Glibc)
import Glibc
#endif

/// Squares the store with what Slurm says (`ablate status`, `ablate cancel`): a run recorded
/// running by an array task that is no longer running (node lost, `scancel`, time limit with no
/// chance to checkpoint) and whose claim nobody holds goes back to pending, so the next submission
/// (or any task still running) resumes it from its last checkpoint.
public struct SlurmReconciler {
    let ledger: Ledger
    let sweep: String
    let units: [ScheduledRun]
    let folder: SlurmFolder

    /// A run whose task vanished.
    public struct Vanished: Sendable {
        public var unit: ScheduledRun
        /// The task (`123_4`) and how Slurm last saw it: its squeue state, its sacct state when
        /// the site keeps accounting, or nil when Slurm has forgotten it.
        public var task: String
        public var slurmState: String?
        public var log: String
        /// Whether it went back to pending (false while some process still holds its claim).
        public var madePending: Bool
    }

    public struct Report: Sendable {
        /// Every array of the sweep Slurm still knows, with its tasks.
        public var queue: SlurmQueue
        public var arrays: [SubmittedArray]
        public var vanished: [Vanished]
    }

    public init(ledger: Ledger, sweep: String, units: [ScheduledRun]) {
        self.ledger = ledger
        self.sweep = sweep
        self.units = units
        folder = SlurmFolder(ledger: ledger, sweep: sweep)
    }

    /// The array jobs to ask about: those submitted for the sweep, and any other named in a
    /// state.json (a script resubmitted by hand).
    public var arrayJobs: [String] {
        var jobs = folder.submittedArrays().map(\.job)
        for unit in units {
            if let job = ledger.readState(unit.id)?.job, let array = job.split(separator: "_").first.map(String.init), !jobs.contains(array) {
                jobs.append(array)
            }
        }
        return jobs
    }

    /// Asks squeue, finds runs whose task vanished and puts them back to pending.
    public func reconcile() throws -> Report {
        let queue = try SlurmQueue.query(jobs: arrayJobs)
        var vanished: [Vanished] = []
        var gone: [(ScheduledRun, String)] = []
        for unit in units {
            guard let state = ledger.readState(unit.id), state.state == .running, let job = state.job else { continue }
            if queue.task(named: job)?.isRunning == true { continue }
            gone.append((unit, job))
        }
        let accounted = SlurmQueue.accountedStates(of: gone.map(\.1))
        for (unit, job) in gone {
            let slurmState = accounted?[job] ?? queue.task(named: job)?.state
            vanished.append(Vanished(unit: unit, task: job, slurmState: slurmState, log: folder.logPath(task: job),
                                     madePending: backToPending(unit.id, job: job)))
        }
        return Report(queue: queue, arrays: folder.submittedArrays(), vanished: vanished)
    }

    /// Marks the run pending when nobody holds its claim and it is still recorded running under
    /// `job`; returns whether it did.
    func backToPending(_ id: String, job: String) -> Bool {
        guard let claim = try? RunClaim.take(runDirectory: ledger.runDirectory(id)) else { return false }
        defer { claim.release() }
        guard let state = ledger.readState(id), state.state == .running, state.job == job else { return false }
        let step = MetricsLine.lastStep(at: ledger.run(id).metrics)
        return (try? ledger.updateState(id) { state in
            state.state = .pending
            state.pid = nil
            state.leaseExpires = nil
            state.step = step
        }) != nil
    }

    /// `scancel`s every array of the sweep that still has tasks, waits (up to `limit` seconds)
    /// until Slurm has ended them, then reconciles. Tasks that were running get SIGTERM: their
    /// workers checkpoint and their runs go back to pending themselves.
    public func cancel(limit: Double = 180) throws -> (cancelled: [String], report: Report) {
        let jobs = arrayJobs
        let before = try SlurmQueue.query(jobs: jobs)
        let active = jobs.filter { before.hasActiveTasks(of: [$0]) }
        if !active.isEmpty { _ = try SlurmTools.check("scancel", active) }
        let deadline = Date().addingTimeInterval(limit)
        while try SlurmQueue.query(jobs: active).hasActiveTasks(of: active) {
            if Date() > deadline { throw SlurmError("Slurm has not ended arrays \(active.joined(separator: ", ")) after \(Int(limit)) s; run 'ablate status' later") }
            usleep(200_000)
        }
        return (active, try reconcile())
    }
}
