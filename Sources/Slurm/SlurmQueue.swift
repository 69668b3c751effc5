import Foundation

/// One array task as Slurm reports it: `123_4 RUNNING on node07`.
public struct SlurmTask: Equatable, Sendable {
    /// The array's job id (`123`).
    var arrayJob: String
    /// The task's index in the array; nil for a job that is not an array.
    var index: Int?
    /// Slurm's state name: `PENDING`, `RUNNING`, `COMPLETED`, `CANCELLED`, `NODE_FAIL`, …
    public var state: String
    /// Why it is pending (`Dependency`, `JobArrayTaskLimit`, `Priority`), or `None`.
    public var reason: String
    var node: String

    /// `123_4`, as Slurm writes an array task (and as state.json's `job` records it).
    var name: String { index.map { "\(arrayJob)_\($0)" } ?? arrayJob }

    /// States in which a task still holds or waits for a place on the cluster.
    static let activeStates: Set<String> = [
        "PENDING", "RUNNING", "SUSPENDED", "COMPLETING", "CONFIGURING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED",
        "RESIZING", "SIGNALING", "STAGE_OUT", "STOPPED",
    ]

    var isActive: Bool { Self.activeStates.contains(state) }
    var isRunning: Bool { ["RUNNING", "COMPLETING", "CONFIGURING", "SIGNALING", "STAGE_OUT"].contains(state) }
}

/// What `squeue` (and `sacct`, where the site keeps accounting) say about a sweep's arrays.
public struct SlurmQueue: Sendable {
    var tasks: [SlurmTask]

    init(tasks: [SlurmTask]) { self.tasks = tasks }

    /// The task named `123_4`, if Slurm still knows it.
    func task(named name: String) -> SlurmTask? { tasks.first { $0.name == name } }

    /// Tasks of one array.
    public func tasks(ofArray job: String) -> [SlurmTask] { tasks.filter { $0.arrayJob == job } }

    /// Whether any task of these arrays is still pending or running.
    func hasActiveTasks(of jobs: [String]) -> Bool { tasks.contains { jobs.contains($0.arrayJob) && $0.isActive } }

    // MARK: squeue

    /// The fields asked of squeue, one task per line (`--array`): array job id, index, state,
    /// reason, node list.
    static let squeueFormat = "%F|%K|%T|%r|%N"

    /// Asks squeue about these arrays, every task on its own line, finished ones included while
    /// Slurm still remembers them (`MinJobAge`). Arrays it no longer knows are simply absent.
    static func query(jobs: [String]) throws -> SlurmQueue {
        guard !jobs.isEmpty else { return SlurmQueue(tasks: []) }
        let output = try SlurmTools.run("squeue", ["--noheader", "--array", "--states=all", "--jobs=\(jobs.joined(separator: ","))",
                                                   "--format=\(squeueFormat)"])
        if output.status != 0 {
            // Every id unknown (long finished and forgotten): squeue refuses the whole request.
            if output.standardError.contains("Invalid job id") { return SlurmQueue(tasks: []) }
            throw SlurmError("squeue failed: \(output.message)")
        }
        return SlurmQueue(tasks: parseSqueue(output.standardOutput))
    }

    /// Parses lines printed with `squeueFormat`: `123|4|RUNNING|None|node07`.
    static func parseSqueue(_ text: String) -> [SlurmTask] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count >= 5, !fields[0].isEmpty else { return nil }
            return SlurmTask(arrayJob: fields[0], index: Int(fields[1]), state: fields[2], reason: fields[3], node: fields[4])
        }
    }

    // MARK: sacct

    /// The final state of tasks from the accounting database, keyed by task name (`123_4` →
    /// `NODE_FAIL`); nil when the site keeps no accounting (sacct then says so and fails).
    static func accountedStates(of names: [String]) -> [String: String]? {
        guard !names.isEmpty, SlurmTools.path(of: "sacct") != nil,
              let output = try? SlurmTools.run("sacct", ["--noheader", "--parsable2", "--allocations", "--jobs=\(names.joined(separator: ","))",
                                                         "--format=JobID,State"]),
              output.status == 0 else { return nil }
        return parseSacct(output.standardOutput)
    }

    /// Parses `sacct --parsable2 --format=JobID,State` lines: `123_4|CANCELLED by 0` → `CANCELLED`.
    /// A task that ran several times (requeued) has one line per run; the last one wins.
    static func parseSacct(_ text: String) -> [String: String] {
        var states: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "|", omittingEmptySubsequences: false)
            guard fields.count >= 2, !fields[0].isEmpty, !fields[0].contains(".") else { continue }
            states[String(fields[0])] = fields[1].split(separator: " ").first.map(String.init) ?? String(fields[1])
        }
        return states
    }
}
