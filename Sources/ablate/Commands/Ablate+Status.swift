import ArgumentParser
import Foundation
import Scheduler
import Sweep

extension Ablate {
    /// `ablate status SPEC`: counts per state and why each failed run failed.
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
            let status = SweepStatus(ledger: sweep.ledger, units: ScheduledRun.units(of: plan))
            let counts = status.counts.map { "\($0.count) \($0.state)" }.joined(separator: ", ")
            print("sweep \(plan.sweep): \(status.entries.count) runs: \(counts.isEmpty ? "none" : counts)")
            for entry in status.entries where entry.state == .running {
                let step = entry.record?.step.map { step in entry.record?.totalSteps.map { " step \(step)/\($0)" } ?? " step \(step)" } ?? ""
                let owner = entry.record.map { " (pid \($0.pid.map(String.init) ?? "?") on \($0.host ?? "?"))" } ?? ""
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
