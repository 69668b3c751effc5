import Foundation
import Sweep

/// The sbatch script of one of a sweep's arrays. Every task runs the same command: it claims the
/// next run nobody holds from the shared store and trains it, then the next, until none is left,
/// so tasks are interchangeable and a requeued or extra task never trains a run twice.
///
/// The task process replaces the batch shell (`exec`), so Slurm's `--signal=B:USR1@<grace>`
/// reaches it directly: it has the running worker checkpoint, then requeues its own task.
public struct BatchScript: Sendable {
    var sweep: String
    public var array: SweepArray
    /// Array size: the runs (or stages) left to train at submission.
    var tasks: Int
    var settings: SlurmSettings
    var folder: SlurmFolder
    /// The task's command line (`/path/to/ablate slurm-task …`).
    var command: [String]

    init(sweep: String, array: SweepArray, tasks: Int, settings: SlurmSettings, folder: SlurmFolder, command: [String]) {
        self.sweep = sweep
        self.array = array
        self.tasks = tasks
        self.settings = settings
        self.folder = folder
        self.command = command
    }

    /// The `#SBATCH` options, in the order written.
    var options: [String] {
        let throttle = settings.arrayParallelism.map { "%\($0)" } ?? ""
        var lines = [
            "--job-name=ablate-\(sweep)-\(array.rawValue)",
            "--array=0-\(max(tasks, 1) - 1)\(throttle)",
            "--output=\(folder.logsPath)/%A_%a.out",
            "--open-mode=append",
            "--ntasks=1",
            "--cpus-per-task=\(settings.cpusPerTask ?? 1)",
            "--requeue",
            "--signal=B:USR1@\(settings.signalGrace ?? SlurmSettings.defaultSignalGrace)",
        ]
        let site: [(String, String?)] = [
            ("partition", settings.partition), ("account", settings.account), ("qos", settings.qos),
            ("time", settings.time), ("mem", settings.mem), ("gpus-per-task", settings.gpusPerTask),
            ("constraint", settings.constraint),
        ]
        for case let (name, value?) in site { lines.append("--\(name)=\(value)") }
        return lines + settings.sbatchOptions
    }

    public var text: String {
        let unit = array == .stages ? "stage" : "run"
        let dependency = array == .runs ? "[--dependency=afterok:<stages job> --kill-on-invalid-dep=yes] " : ""
        var lines = [
            "#!/bin/bash",
            "# Sweep '\(sweep)': its \(array.rawValue) as one Slurm job array, written by 'ablate run --executor slurm'.",
            "# Every task takes the next \(unit) nobody holds from the store and trains it, until none is left;",
            "# an extra or requeued task never trains one twice. Resubmit by hand: sbatch \(dependency)\(folder.scriptPath(array))",
        ]
        lines += options.map { "#SBATCH \($0)" }
        lines.append("")
        lines.append("set -e")
        lines += settings.setup
        lines.append("exec " + command.map(Self.quoted).joined(separator: " "))
        return lines.joined(separator: "\n") + "\n"
    }

    /// A word for the shell: single-quoted unless it is plainly safe.
    static func quoted(_ word: String) -> String {
        if !word.isEmpty, word.allSatisfy({ $0.isLetter || $0.isNumber || "-_./=:@%+,".contains($0) }) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
