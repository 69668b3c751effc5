import Foundation
import Rewards
import RunStore
import Scheduler
import Training
#if canImport(Glibc)
import Glibc
#endif

/// One run trained by an external command (`RunConfig.trainer`), under the contract of
/// docs/external.md. It runs inside the worker, so every executor (local, Slurm) gets it:
///
/// 1. a fresh start (no checkpoint, or a command that is not resumable) clears the files of an
///    earlier attempt; the task is exported to `task/` once;
/// 2. the run's reward is served on a Unix socket (`ABLATE_REWARD_SOCKET`);
/// 3. the command starts in the run directory, in the worker's process group (the scheduler's
///    SIGTERM and SIGKILL reach it), its output appended to `log.txt`, with the `ABLATE_*`
///    variables and `trainer.env` in its environment;
/// 4. while it runs, new `metrics.jsonl` lines are validated; a malformed one stops it;
/// 5. exit 0 with valid files is done; anything else fails with the reason and the log's tail.
public final class ExternalTrainerRun {
    public let directory: URL
    public let config: RunConfig
    public let trainer: TrainerConfig
    /// After asking the command to stop (SIGTERM), how long it gets before SIGKILL. Shorter than
    /// the scheduler's own grace, so the worker escalates first.
    public var terminationGrace: Double = 20
    /// Where the command's relative paths and `{launch_dir}` point: the worker's directory at start.
    public let launchDirectory: String

    public init(directory: URL, config: RunConfig, trainer: TrainerConfig) {
        self.directory = directory.standardizedFileURL
        self.config = config
        self.trainer = trainer
        launchDirectory = FileManager.default.currentDirectoryPath
    }

    var checkpointDirectory: URL { directory.appendingPathComponent("checkpoint") }
    var taskDirectory: URL { directory.appendingPathComponent("task") }

    /// Runs the command to its end; never throws (failures are returned and written to
    /// `result.json`). `shouldStop` is polled: true → SIGTERM to the command, `.interrupted`.
    public func run(shouldStop: () -> Bool) -> RunOutcome {
        var step = 0
        let outcome: RunOutcome
        do {
            outcome = try supervise(shouldStop: shouldStop, step: &step)
        } catch {
            outcome = .failed(reason: String(describing: error))
        }
        switch outcome {
        case .done: log("done at step \(step)")
        case .interrupted: log("interrupted at step \(step)")
        case .failed(let reason): log("failed at step \(step): \(reason)")
        }
        try? outcome.result(step: step).write(to: files.result)
        return outcome
    }

    func log(_ message: String) { RunLog.append(message, to: files.log) }

    /// The run's files.
    var files: RunDirectory { RunDirectory(directory.path) }

    // MARK: - The run

    private func supervise(shouldStop: () -> Bool, step: inout Int) throws -> RunOutcome {
        let manager = FileManager.default
        let hasCheckpoint = ((try? manager.contentsOfDirectory(atPath: checkpointDirectory.path)) ?? []).contains { !$0.hasPrefix(".") }
        let resume = trainer.resumable && hasCheckpoint
        if !resume {
            // A fresh start: nothing of an earlier attempt may mix with this one.
            for name in ["metrics.jsonl", "eval.json"] { try? manager.removeItem(at: directory.appendingPathComponent(name)) }
            if hasCheckpoint { try? manager.removeItem(at: checkpointDirectory) }
        }
        if !TaskExport.isComplete(taskDirectory) { try TaskExport.write(config: config, to: taskDirectory) }

        var environment = ProcessInfo.processInfo.environment
        let placeholders = try TrainerPlaceholders(config: config, runDirectory: directory.path, launchDirectory: launchDirectory)
        for (name, value) in trainer.env { environment[name] = try placeholders.expand(value) }
        environment["ABLATE_RUN_DIR"] = directory.path
        environment["ABLATE_CONFIG"] = directory.appendingPathComponent("config.json").path
        environment["ABLATE_SEED"] = String(config.seed)
        environment["ABLATE_TASK_DIR"] = taskDirectory.path
        environment["ABLATE_RESUME"] = resume ? "1" : nil

        // The reward server: a failure to start it is logged, the command may not need it.
        var server: RewardServer?
        do {
            let service = RewardService(reward: try ToolCallReward(spec: config.reward), totalSteps: config.train.steps)
            server = try RewardServer(service: service, socketPath: RewardServer.temporarySocketPath(tag: "run"))
            environment["ABLATE_REWARD_SOCKET"] = server?.socketPath
        } catch {
            log("warning: reward server not started: \(error)")
            environment["ABLATE_REWARD_SOCKET"] = nil
        }
        defer { server?.stop() }

        var arguments = try trainer.command.map(placeholders.expand)
        arguments[0] = try resolveProgram(arguments[0], path: environment["PATH"] ?? "/usr/bin:/bin")
        log("start: \(resume ? "resuming" : "starting") external trainer: \(arguments.joined(separator: " "))"
            + (environment["CUDA_VISIBLE_DEVICES"].map { " (CUDA_VISIBLE_DEVICES=\($0))" } ?? ""))

        let logURL = directory.appendingPathComponent("log.txt")
        let outputStart = ((try? manager.attributesOfItem(atPath: logURL.path))?[.size] as? NSNumber)?.uint64Value ?? 0
        guard manager.changeCurrentDirectoryPath(directory.path) else {
            throw RunError("cannot enter the run directory \(directory.path)")
        }
        let process = try WorkerProcess(arguments: arguments, environment: environment,
                                        outputPath: logURL.path,
                                        inheritedDescriptor: Self.claimDescriptor(), ownProcessGroup: false)
        var metrics = MetricsValidator(url: directory.appendingPathComponent("metrics.jsonl"))
        var terminationSentAt: Date?
        var problem: String?
        var interrupted = false
        let status: WorkerProcess.ExitStatus
        while true {
            if let exit = process.poll() {
                status = exit
                break
            }
            if problem == nil, let found = metrics.check(final: false) { problem = found }
            if !interrupted, shouldStop() { interrupted = true }
            if terminationSentAt == nil, problem != nil || interrupted {
                process.send(SIGTERM)
                terminationSentAt = Date()
            }
            if let sent = terminationSentAt, Date().timeIntervalSince(sent) > terminationGrace { process.send(SIGKILL) }
            usleep(20_000)
        }
        if problem == nil { problem = metrics.check(final: true) }
        step = MetricsLine.lastStep(at: files.metrics) ?? 0
        if let problem { return .failed(reason: "malformed output: \(problem)") }
        switch status {
        case .exited(0):
            if let problem = MetricsValidator.checkFinalEvaluation(directory.appendingPathComponent("eval.json")) {
                return .failed(reason: "the trainer exited 0 but \(problem)")
            }
            return .done
        case _ where interrupted:
            return .interrupted
        case .exited(let code):
            return .failed(reason: "the trainer command exited with status \(code)\(outputTail(from: outputStart))")
        case .signaled(let signal):
            return .failed(reason: "the trainer command was killed by \(signalName(signal))\(outputTail(from: outputStart))")
        }
    }

    /// `: <the command's last output lines>` for a failure reason: what it wrote to log.txt
    /// since `offset` (where its output started), at most `count` lines, joined with " | ".
    func outputTail(from offset: UInt64, lines count: Int = 3) -> String {
        guard let handle = FileHandle(forReadingAtPath: directory.appendingPathComponent("log.txt").path) else { return "" }
        defer { try? handle.close() }
        try? handle.seek(toOffset: offset)
        let text = String(decoding: (try? handle.readToEnd()) ?? Data(), as: UTF8.self)
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return lines.isEmpty ? " (no output)" : ": " + lines.suffix(count).joined(separator: " | ")
    }

    /// `program` as a path: searched in `path` when it has no slash, else relative to the
    /// launch directory.
    func resolveProgram(_ program: String, path: String) throws -> String {
        let manager = FileManager.default
        if program.contains("/") {
            let url = URL(fileURLWithPath: program, relativeTo: URL(fileURLWithPath: launchDirectory, isDirectory: true))
            guard manager.isExecutableFile(atPath: url.path) else {
                throw RunError("trainer.command[0]: '\(program)' is not an executable file (relative paths start at \(launchDirectory))")
            }
            return url.standardizedFileURL.path
        }
        for directory in path.split(separator: ":") {
            let candidate = String(directory) + "/" + program
            if manager.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw RunError("trainer.command[0]: '\(program)' was not found on PATH")
    }

    /// The run's claim lock when the scheduler handed it to this worker as descriptor 3: the
    /// command inherits it, so the run stays claimed while the command lives.
    static func claimDescriptor() -> Int32? {
        guard fcntl(3, F_GETFD) >= 0,
              let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/3"),
              target.hasSuffix("/claim") else { return nil }
        return 3
    }
}
