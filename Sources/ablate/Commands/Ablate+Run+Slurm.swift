import ArgumentParser
import Foundation
import Scheduler
import Slurm
import Sweep
#if canImport(Glibc)
import Glibc
#endif

/// `ablate run SPEC --executor slurm`: submits the sweep as job arrays and returns, or with
/// `--wait` follows them to the end like the local executor (docs/slurm.md).
extension Ablate.Run {
    func runOnSlurm(_ plan: SweepPlan) throws {
        let settings = plan.executor.slurm.overridden(by: slurm.settings)
        if let problem = settings.problems().first {
            throw BadInput("Slurm settings (the spec's executor: slurm: section with the command line's on top): \(problem.key): \(problem.message)")
        }
        var submitter = SlurmSubmitter(ledger: sweep.ledger, plan: plan, settings: settings) { array in
            taskCommand(plan: plan, array: array, settings: settings)
        }
        if let gpus = submitter.askForRunsGPUs() {
            print("each task asks for \(gpus) GPU\(gpus == 1 ? "" : "s"), the most a run needs (trainer.gpus); --gpus-per-task sets it")
        }
        if let (unit, gpus) = submitter.runNeedingMoreGPUs() {
            throw BadInput("run \(unit.shortID) \(unit.title) needs \(gpus) GPU\(gpus == 1 ? "" : "s") (trainer.gpus) but each Slurm task gets \(submitter.settings.gpusPerTask ?? "none"): raise --gpus-per-task (or gpus_per_task in the spec's executor: slurm: section)")
        }
        if dryRun { return try printScripts(submitter) }
        if retryFailed {
            let reset = submitter.resetFailed()
            if reset > 0 { print("\(reset) failed run\(reset == 1 ? "" : "s") back to pending (--retry-failed)") }
        }
        let arrays: [SubmittedArray]
        do { arrays = try submitter.submit() } catch let error as SlurmError { throw BadInput(error.description) }
        let units = ScheduledRun.units(of: plan)
        let blocked = submitter.blocked
        if !blocked.isEmpty {
            print("\(blocked.count) run\(blocked.count == 1 ? "" : "s") wait on a failed stage (see 'ablate status'; --retry-failed tries it again)")
        }
        guard !arrays.isEmpty else {
            let states = units.map { sweep.ledger.readState($0.id)?.state }
            let done = states.filter { $0 == .done }.count, failed = states.filter { $0 == .failed }.count
            print("sweep \(plan.sweep): nothing to submit (\(done) done\(failed > 0 ? ", \(failed) failed; --retry-failed tries them again" : ""))")
            if done < units.count { throw ExitCode(AblateExitCode.someRunsFailed) }
            return
        }
        let folder = submitter.folder
        for array in arrays {
            let after = array.array == .runs ? arrays.first { $0.array == .stages }.map { ", after \($0.job)" } ?? "" : ""
            let throttle = settings.arrayParallelism.map { ", \($0) at a time" } ?? ""
            print("submitted \(array.array.rawValue) of sweep \(plan.sweep): job array \(array.job) (\(array.tasks) task\(array.tasks == 1 ? "" : "s")\(throttle)\(after)), script \(folder.scriptPath(array.array))")
        }
        let jobs = arrays.map(\.job).joined(separator: ",")
        let runsOption = sweep.runsOptions.runs == "runs" ? "" : " --runs \(sweep.runsOptions.runs)"
        fflush(stdout)
        guard wait else {
            print("""
                follow:  squeue --array --jobs=\(jobs)
                         ablate status \(sweep.spec)\(runsOption)
                logs:    \(folder.logsPath)/<job>_<task>.out
                cancel:  ablate cancel \(sweep.spec)\(runsOption)
                """)
            return
        }
        let progress: ProgressReporter = isatty(STDOUT_FILENO) == 1 ? LiveProgress() : PlainProgress()
        // Earlier submissions of the sweep still in the queue are waited for too: their tasks may
        // hold runs that this submission's tasks skipped.
        let watched = folder.submittedArrays().map(\.job)
        progress.event("waiting for job arrays \(jobs)\(watched.count > arrays.count ? " (and any earlier one of this sweep still queued)" : ""); ^C stops waiting, not the arrays")
        let outcome = SlurmMonitor(ledger: sweep.ledger, units: units, jobs: watched, progress: progress).run()
        try finish(plan, outcome: outcome, units: units, progress: progress)
    }

    /// What each array task runs: this very binary's hidden `slurm-task` command, with the
    /// options that shape a worker.
    func taskCommand(plan: SweepPlan, array: SweepArray, settings: SlurmSettings) -> [String] {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var command = [executable, "slurm-task", sweep.ledger.root, "--sweep", plan.sweep, "--array", array.rawValue,
                       "--threads", String(settings.cpusPerTask ?? 1), "--max-attempts", String(maxAttempts)]
        if let timeout { command += ["--timeout", timeout.text] }
        if let workerExecutable { command += ["--worker-executable", URL(fileURLWithPath: workerExecutable).standardizedFileURL.path] }
        return command
    }

    /// `--dry-run`: writes the scripts (a user may submit them by hand) and prints them.
    func printScripts(_ submitter: SlurmSubmitter) throws {
        let scripts: [BatchScript]
        do { scripts = try submitter.writeScripts() } catch let error as SlurmError { throw BadInput(error.description) }
        if scripts.isEmpty { print("# nothing to submit: every run is done or failed") }
        for script in scripts {
            let dependency = script.array == .runs && scripts.count == 2 ? " --dependency=afterok:<stages job> --kill-on-invalid-dep=yes" : ""
            print("# \(submitter.folder.scriptPath(script.array)): sbatch --parsable\(dependency) <this file>")
            print(script.text)
        }
    }
}
