import ArgumentParser
import Basics
import Foundation
import Model
import Report
import Scheduler
import Sweep
#if canImport(Glibc)
import Glibc
#endif

extension Ablate {
    /// `ablate run SPEC`: trains every run of the sweep that is not done, `--jobs` at a time, or
    /// sends them to a Slurm cluster (`--executor slurm`, in `Ablate+Run+Slurm.swift`).
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Train the runs of a sweep that are not done yet, each in its own worker process.",
            discussion: """
                Done runs are reused; interrupted runs resume from their last checkpoint; failed runs are \
                retried only with --retry-failed. ^C (or SIGTERM) once: stop launching and let workers \
                checkpoint, exit 130; twice: kill the workers and exit 130 at once. Exit 1 when a run failed.

                --executor slurm submits the sweep as Slurm job arrays (stages first) and returns; --wait \
                follows them to the end. See docs/slurm.md.
                """
        )

        @OptionGroup var sweep: SweepOptions

        @Option(help: "Where runs train: local (worker processes here) or slurm (job arrays on a Slurm cluster).")
        var executor: Executor = .local

        @Option(name: .long, help: "Runs trained at once by the local executor (default: the number of cores).")
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        @Option(name: .long, help: ArgumentHelp(
            "Train only these seeds' runs and the stages they need: 0-2, or 0,3,5 (local executor).", valueName: "seeds"))
        var seeds: SeedSelection?

        @Flag(name: .long, help: "Try runs recorded as failed again.")
        var retryFailed = false

        @Option(name: .long, help: "Attempts per run in this invocation before it counts as failed.")
        var maxAttempts: Int = 1

        @Flag(name: .long, help: "Stop the whole sweep at the first failed run (running workers checkpoint).")
        var failFast = false

        @Option(name: .long, help: "Wall-clock limit per attempt: 90s, 30m, 2h (a plain number is seconds).")
        var timeout: DurationArgument?

        @Option(name: .long, help: "GPU ids for runs with trainer.gpus, comma-separated (default: CUDA_VISIBLE_DEVICES, else every /dev/nvidiaN).")
        var gpus: String?

        @Option(name: .long, help: ArgumentHelp("Worker executable to run instead of 'ablate worker' (for tests).", visibility: .hidden))
        var workerExecutable: String?

        @Flag(help: "With --executor slurm: wait for the arrays to finish, showing progress, then write the report.")
        var wait = false

        @Flag(help: "With --executor slurm: write and print the batch scripts instead of submitting them.")
        var dryRun = false

        @OptionGroup(title: "Slurm (with --executor slurm; also settable in the spec's executor: slurm: section)")
        var slurm: SlurmOptions

        func validate() throws {
            guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
            guard maxAttempts >= 1 else { throw ValidationError("--max-attempts must be at least 1") }
            if executor == .local {
                if wait || dryRun { throw ValidationError("--\(wait ? "wait" : "dry-run") applies to --executor slurm") }
                if !slurm.isEmpty { throw ValidationError("Slurm options (--partition, --time, …) apply to --executor slurm") }
            }
            if executor == .slurm {
                if failFast { throw ValidationError("--fail-fast applies to the local executor; on Slurm, 'ablate cancel SPEC' stops a sweep") }
                if gpus != nil { throw ValidationError("--gpus applies to the local executor; on Slurm, --gpus-per-task asks for them") }
                if seeds != nil { throw ValidationError("--seeds applies to the local executor; on Slurm, the arrays hold every seed") }
            }
        }

        func run() throws {
            Interrupts.install(exitOnSecondSignal: false)
            let plan = try SweepCommandSupport.planAndRecord(sweep)
            if executor == .slurm { return try runOnSlurm(plan) }
            var worker = WorkerCommand.ablateWorker(coreType: KernelSet.preferredCoreType)
            if let workerExecutable {
                worker.executable = URL(fileURLWithPath: workerExecutable).standardizedFileURL.path
                worker.arguments = []
            }
            var options = SchedulerOptions(jobs: jobs, worker: worker)
            options.retryFailed = retryFailed
            options.maxAttempts = maxAttempts
            options.failFast = failFast
            options.timeout = timeout?.seconds
            options.gpus = gpus.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
            let units = try selectedUnits(of: plan)
            let progress: ProgressReporter = isatty(STDOUT_FILENO) == 1 ? LiveProgress() : PlainProgress()
            let selection = seeds.map { ", seeds \($0.text)" } ?? ""
            progress.event("sweep \(plan.sweep): \(units.count) runs (\(plan.runs.count) planned, \(plan.excluded) excluded\(selection)), \(jobs) at a time")
            let scheduler = LocalScheduler(ledger: sweep.ledger, units: units, options: options, progress: progress)
            let outcome = scheduler.run()
            try finish(plan, outcome: outcome, units: units, progress: progress)
        }

        /// Every run of the plan, or with `--seeds` those seeds' runs and their stages; a seed the
        /// spec does not have is bad input.
        func selectedUnits(of plan: SweepPlan) throws -> [ScheduledRun] {
            guard let seeds else { return ScheduledRun.units(of: plan) }
            let planned = Set(plan.runs.map(\.seed))
            let unknown = seeds.seeds.subtracting(planned).sorted()
            guard unknown.isEmpty else {
                let have = planned.sorted().map(String.init).joined(separator: ", ")
                throw BadInput("--seeds \(seeds.text): the sweep has no seed \(unknown.map(String.init).joined(separator: ", ")); its seeds are \(have)")
            }
            return ScheduledRun.units(of: plan, seeds: seeds.seeds)
        }

        /// Names failed runs, writes the report (however the sweep ended: finished, failed or
        /// interrupted) and exits with the outcome's code.
        func finish(_ plan: SweepPlan, outcome: SweepOutcome, units: [ScheduledRun], progress: ProgressReporter) throws {
            for (id, reason) in outcome.failed {
                let title = units.first { $0.id == id }?.title ?? ""
                progress.event("failed \(id.prefix(12)) \(title): \(reason)")
            }
            let reportDirectory = sweep.ledger.sweepDirectory(plan.sweep)
            do {
                try ReportWriter.writeAll(sweepDirectory: URL(fileURLWithPath: reportDirectory),
                                          storeDirectory: URL(fileURLWithPath: sweep.ledger.storePath))
                progress.event("report: \(reportDirectory)/report/report.md (also .html, .csv, .tex, .json)")
            } catch {
                progress.event("report not written: \(error)")
            }
            if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
        }
    }
}
