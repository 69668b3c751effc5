import ArgumentParser
import Foundation
import RunStore
import Scheduler
import Slurm
import Sweep

extension Ablate {
    /// `ablate status SPEC`: counts per state and why each failed run failed; for a sweep sent to
    /// Slurm, also what squeue says of its arrays, and runs whose task vanished go back to pending.
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Show how many runs of a sweep are done, running, pending or failed, and why runs failed."
        )

        @OptionGroup var sweep: SweepOptions

        @Option(name: .long, help: "Log lines shown under each failed run.")
        var logLines: Int = 3

        func run() throws {
            let (plan, _) = try SweepCommandSupport.plan(sweep)
            let units = ScheduledRun.units(of: plan)
            // Squared with Slurm first, so that the counts below are what the next submission sees.
            let reconciler = SlurmReconciler(ledger: sweep.ledger, sweep: plan.sweep, units: units)
            var slurmReport: SlurmReconciler.Report?
            var slurmProblem: String?
            if !reconciler.arrayJobs.isEmpty {
                do { slurmReport = try reconciler.reconcile() } catch { slurmProblem = "\(error)" }
            }
            let status = SweepStatus(ledger: sweep.ledger, units: units)
            let counts = status.counts.map { "\($0.count) \($0.state)" }.joined(separator: ", ")
            print("sweep \(plan.sweep): \(status.entries.count) runs: \(counts.isEmpty ? "none" : counts)")
            if let slurmReport { SlurmStatusLines.print(slurmReport) }
            if let slurmProblem { print("slurm: cannot ask the cluster: \(slurmProblem)") }
            for entry in status.entries where entry.state == .running {
                // The metrics file is fresher than the state's step (renewed every few seconds).
                let latest = MetricsLine.lastStep(at: sweep.ledger.run(entry.unit.id).metrics) ?? entry.record?.step
                let step = latest.map { step in entry.record?.totalSteps.map { " step \(step)/\($0)" } ?? " step \(step)" } ?? ""
                let owner = entry.record.map { record in
                    " (\(record.job.map { "job \($0), " } ?? "")pid \(record.pid.map(String.init) ?? "?") on \(record.host ?? "?"))"
                } ?? ""
                print("\(entry.shownState) \(entry.unit.shortID) \(entry.unit.title)\(step)\(entry.isStale ? ": resumes on the next 'ablate run'" : owner)")
            }
            for entry in status.entries where entry.state == .failed {
                let record = entry.record
                print("failed \(entry.unit.shortID) \(entry.unit.title) (\(record?.attempts ?? 0) attempt\(record?.attempts == 1 ? "" : "s")): \(record?.error ?? "no reason recorded")")
                for line in (record?.lastLogLines ?? []).suffix(logLines) { print("    \(line)") }
            }
        }
    }
}
