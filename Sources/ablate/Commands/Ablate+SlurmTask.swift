import ArgumentParser
import Foundation
import Model
import RunStore
import Scheduler
import Slurm
import Sweep

extension Ablate {
    /// `ablate slurm-task ROOT --sweep NAME --array runs`: what each task of a sweep's job array runs
    /// (written into the batch script by `ablate run --executor slurm`; not for typing).
    struct SlurmTask: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "slurm-task",
            abstract: "Train runs of a sweep inside one Slurm array task (started by the batch script).",
            discussion: """
                Takes the next run of the array nobody holds from the store under ROOT and trains it in a \
                worker, until none is left. USR1: the worker checkpoints and the task requeues itself. \
                Exit codes: 0 done (or requeued), 1 a run it trained failed, 130 stopped.
                """,
            shouldDisplay: false
        )

        @Argument(help: "Root of the run store and sweep views (the run command's --runs, absolute).")
        var runs: String

        @Option(help: "The sweep's name (its plan is ROOT/<sweep>/plan.json).")
        var sweep: String

        @Option(help: "Which of the sweep's arrays this task belongs to: stages or runs.")
        var array: SweepArray

        @OptionGroup var threadOptions: RunThreadsOptions

        @Option(help: "Attempts per run before it counts as failed.")
        var maxAttempts: Int = 1

        @Option(help: "Wall-clock limit per attempt: 90s, 30m, 2h.")
        var timeout: DurationArgument?

        @Option(help: ArgumentHelp("Worker executable to run instead of 'ablate worker' (for tests).", visibility: .hidden))
        var workerExecutable: String?

        func validate() throws {
            guard maxAttempts >= 1 else { throw ValidationError("--max-attempts must be at least 1") }
        }

        func run() throws {
            var worker = WorkerCommand.ablateWorker(coreType: KernelSet.preferredCoreType)
            worker.threads = threadOptions.threads
            worker.environment["OPENBLAS_NUM_THREADS"] = String(threadOptions.threads)
            if let workerExecutable {
                worker.executable = workerExecutable
                worker.arguments = []
            }
            var options = SchedulerOptions(jobs: 1, worker: worker)
            options.maxAttempts = maxAttempts
            options.timeout = timeout?.seconds
            let task = ArrayTask(ledger: Ledger(root: runs), sweep: sweep, array: array, options: options)
            let code = task.run(progress: PlainProgress())
            if code != 0 { throw ExitCode(code) }
        }
    }
}
