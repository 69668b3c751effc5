import Basics
import Foundation
import RunStore
import Sweep

/// The two job arrays of a sweep: its stages, then its runs (after the stages, `afterok`).
public enum SweepArray: String, Codable, CaseIterable, Sendable {
    case stages, runs
}

/// One array submitted for a sweep, as `jobs.json` records it.
public struct SubmittedArray: Codable, Equatable, Sendable {
    /// Slurm's job id of the array (`123`); its tasks are `123_0`, `123_1`, …
    public var job: String
    public var array: SweepArray
    public var tasks: Int
    var submittedAt: String

    enum CodingKeys: String, CodingKey { case job, array, tasks, submittedAt = "submitted_at" }

    init(job: String, array: SweepArray, tasks: Int, submittedAt: String) {
        self.job = job; self.array = array; self.tasks = tasks; self.submittedAt = submittedAt
    }
}

/// `runs/<sweep>/slurm/`: what the Slurm executor keeps next to a sweep.
///
///     stages.sbatch  runs.sbatch   the batch scripts last submitted (readable, resubmittable)
///     logs/<job>_<task>.out        each array task's output (Slurm's `%A_%a`)
///     jobs.json                    every array submitted for the sweep, oldest first
public struct SlurmFolder: Sendable {
    public let path: String

    init(ledger: Ledger, sweep: String) {
        path = ledger.sweepDirectory(sweep) + "/slurm"
    }

    public var logsPath: String { path + "/logs" }
    var jobsPath: String { path + "/jobs.json" }
    public func scriptPath(_ array: SweepArray) -> String { "\(path)/\(array.rawValue).sbatch" }
    /// The log of task `123_4`.
    func logPath(task: String) -> String { "\(logsPath)/\(task).out" }

    /// The arrays submitted so far (none when the sweep never went to Slurm).
    public func submittedArrays() -> [SubmittedArray] {
        guard let data = FileManager.default.contents(atPath: jobsPath) else { return [] }
        return (try? JSONDecoder().decode([SubmittedArray].self, from: data)) ?? []
    }

    func record(_ arrays: [SubmittedArray]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(try encoder.encode(submittedArrays() + arrays), to: jobsPath)
    }

    func createDirectories() throws {
        do {
            try FileManager.default.createDirectory(atPath: logsPath, withIntermediateDirectories: true)
        } catch {
            throw SlurmError("cannot create '\(logsPath)': \(error.localizedDescription)")
        }
    }
}
