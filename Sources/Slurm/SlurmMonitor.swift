import Basics
import Foundation
import RunStore
import Scheduler
import Sweep
#if canImport(Glibc)
import Glibc
#endif

/// `ablate run --executor slurm --wait`: follows submitted arrays until Slurm has no task of them
/// left, showing the local executor's progress (events, counts, each running run's step) from what
/// the tasks write to the store. It only watches: ^C stops the watching, not the arrays.
public final class SlurmMonitor {
    let ledger: Ledger
    let units: [ScheduledRun]
    let jobs: [String]
    let progress: ProgressReporter
    let interrupts: () -> Int
    let pollInterval: Double
    /// How long squeue may keep failing (slurmctld restarting) before the watch gives up.
    let queueOutage: Double = 300

    var seen: [String: StateFile] = [:]
    var durations: [Double] = []

    public init(ledger: Ledger, units: [ScheduledRun], jobs: [String], progress: ProgressReporter,
                interrupts: @escaping () -> Int = { Interrupts.count }, pollInterval: Double = 1) {
        self.ledger = ledger
        self.units = units
        self.jobs = jobs
        self.progress = progress
        self.interrupts = interrupts
        self.pollInterval = pollInterval
    }

    public func run() -> SweepOutcome {
        for unit in units { seen[unit.id] = ledger.readState(unit.id) }
        var lastAnswer = Date()
        var interrupted = false
        while true {
            if interrupts() > 0 {
                progress.event("stopped watching; the arrays go on (ablate status, ablate cancel)")
                interrupted = true
                break
            }
            let queue: SlurmQueue?
            do {
                queue = try SlurmQueue.query(jobs: jobs)
                lastAnswer = Date()
            } catch {
                queue = nil
                if Date().timeIntervalSince(lastAnswer) > queueOutage {
                    progress.event("giving up: \(error)")
                    break
                }
            }
            observe()
            progress.update(snapshot())
            if let queue, !queue.hasActiveTasks(of: jobs) {
                observe()
                break
            }
            let deadline = Date().addingTimeInterval(pollInterval)
            while Date() < deadline, interrupts() == 0 { usleep(50_000) }
        }
        progress.finish(snapshot())
        return outcome(interrupted: interrupted)
    }

    /// Reports what changed in the store since the last look.
    func observe() {
        for unit in units {
            let now = ledger.readState(unit.id)
            let before = seen[unit.id]
            seen[unit.id] = now
            guard let now, now.state != before?.state || now.job != before?.job || now.attempts != before?.attempts else { continue }
            switch now.state {
            case .running:
                // A run that had trained steps before resumes from its checkpoint.
                let details = [now.job.map { "job \($0)" }, (now.step ?? 0) > 0 ? "resumed" : nil].compactMap { $0 }
                progress.event("start  \(unit.shortID) \(unit.title)\(details.isEmpty ? "" : " (\(details.joined(separator: ", ")))")")
            case .done:
                let elapsed = StateFile.date(now.finishedAt).flatMap { end in StateFile.date(now.startedAt).map { end.timeIntervalSince($0) } }
                if let elapsed { durations.append(elapsed) }
                progress.event("done   \(unit.shortID) \(unit.title)\(elapsed.map { " in \(SchedulerOptions.describeDuration($0.rounded()))" } ?? "")")
            case .failed:
                progress.event("FAILED \(unit.shortID) \(unit.title): \(now.error ?? "no reason recorded")")
            case .pending where before?.state == .running:
                progress.event("paused \(unit.shortID) \(unit.title) at step \(now.step.map(String.init) ?? "?")")
            case .pending:
                break
            }
        }
    }

    func snapshot() -> ProgressSnapshot {
        var snapshot = ProgressSnapshot()
        let now = Date()
        for unit in units {
            guard let state = seen[unit.id] else { snapshot.pending += 1; continue }
            switch state.state {
            case .done: snapshot.done += 1
            case .failed: snapshot.failed += 1
            case .pending: snapshot.pending += 1
            case .running:
                snapshot.running += 1
                let step = MetricsLine.lastStep(at: ledger.run(unit.id).metrics) ?? state.step
                let elapsed = StateFile.date(state.startedAt).map { now.timeIntervalSince($0) } ?? 0
                snapshot.runningRuns.append(.init(shortID: unit.shortID, title: unit.title, step: step, totalSteps: state.totalSteps, elapsed: elapsed))
            }
        }
        return snapshot
    }

    func outcome(interrupted: Bool) -> SweepOutcome {
        var outcome = SweepOutcome()
        outcome.interrupted = interrupted
        for unit in units {
            let state = ledger.readState(unit.id)
            switch state?.state {
            case .done?: outcome.done.append(unit.id)
            case .failed?: outcome.failed.append((unit.id, state?.error ?? "failed"))
            default:
                if unit.dependsOn.contains(where: { ledger.readState($0)?.state == .failed }) {
                    outcome.blocked.append(unit.id)
                } else {
                    outcome.pending.append(unit.id)
                }
            }
        }
        return outcome
    }
}
