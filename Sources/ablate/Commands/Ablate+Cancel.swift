import ArgumentParser
import Foundation
import Scheduler
import Slurm
import Sweep

extension Ablate {
    /// `ablate cancel SPEC`: cancels the sweep's Slurm arrays and leaves the store consistent.
    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cancel",
            abstract: "Cancel a sweep's Slurm job arrays; runs they were training go back to pending.",
            discussion: """
                scancels every array submitted for the sweep that still has tasks and waits until Slurm \
                has ended them. Running workers checkpoint on the way out; any run left recorded running \
                goes back to pending, so the next 'ablate run' resumes it from its last checkpoint.
                """
        )

        @OptionGroup var sweep: SweepOptions

        @Option(help: "Seconds to wait for Slurm to end the tasks.")
        var waitLimit: Double = 180

        func run() throws {
            let (plan, _) = try SweepCommandSupport.plan(sweep)
            let reconciler = SlurmReconciler(ledger: sweep.ledger, sweep: plan.sweep, units: ScheduledRun.units(of: plan))
            guard !reconciler.arrayJobs.isEmpty else {
                print("sweep \(plan.sweep): no Slurm arrays were submitted; nothing to cancel")
                return
            }
            let (cancelled, report) = try reconciler.cancel(limit: waitLimit)
            print(cancelled.isEmpty ? "sweep \(plan.sweep): no array had tasks left" : "cancelled job array\(cancelled.count == 1 ? "" : "s") \(cancelled.joined(separator: ", ")) of sweep \(plan.sweep)")
            SlurmStatusLines.print(report)
            let status = SweepStatus(ledger: sweep.ledger, units: ScheduledRun.units(of: plan))
            print("sweep \(plan.sweep): \(status.entries.count) runs: \(status.counts.map { "\($0.count) \($0.state)" }.joined(separator: ", "))")
        }
    }
}
