import Foundation

/// How a worker is started: `executable arguments… <run dir> --threads N`, with environment
/// additions on top of the scheduler's own environment.
public struct WorkerCommand: Sendable {
    public var executable: String
    public var arguments: [String]
    public var threads: Int
    public var environment: [String: String]

    /// The real worker: this very binary (`/proc/self/exe`) with `worker`, one BLAS thread, and
    /// the kernel set the caller chose (`KernelSet.preferredCoreType`).
    public static func ablateWorker(coreType: String?) -> WorkerCommand {
        var environment = ["OPENBLAS_NUM_THREADS": "1"]
        if let coreType { environment["OPENBLAS_CORETYPE"] = coreType }
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return WorkerCommand(executable: executable, arguments: ["worker"], threads: 1, environment: environment)
    }

    init(executable: String, arguments: [String] = [], threads: Int = 1, environment: [String: String] = [:]) {
        self.executable = executable
        self.arguments = arguments
        self.threads = threads
        self.environment = environment
    }

    func commandLine(runDirectory: String) -> [String] {
        [executable] + arguments + [runDirectory, "--threads", String(threads)]
    }
}

/// The knobs of `ablate run`.
public struct SchedulerOptions: Sendable {
    /// Runs trained at once.
    public var jobs: Int
    /// Whether runs recorded failed are tried again.
    public var retryFailed = false
    /// Attempts per run in one invocation (a failed attempt is retried until this many).
    public var maxAttempts = 1
    /// Stop everything at the first failure.
    public var failFast = false
    /// Wall-clock limit per attempt, in seconds.
    public var timeout: Double?
    /// After SIGTERM (interrupt, timeout), how long a worker gets to checkpoint before SIGKILL.
    public var terminationGrace: Double = 30
    /// How often state files get their lease and step renewed.
    public var heartbeat: Double = 5
    /// How long a lease lasts past each heartbeat.
    public var lease: Double = 60
    /// GPU ids handed to runs with `trainer.gpus` (as `CUDA_VISIBLE_DEVICES`); nil: detected
    /// from this process's `CUDA_VISIBLE_DEVICES` or `/dev/nvidia*`.
    public var gpus: [String]? = nil
    public var worker: WorkerCommand
    /// Pull mode, for one of many schedulers on a shared store (a Slurm array task): take only
    /// runs nobody holds, never wait for others, return when nothing is left to take.
    public var pull = false
    /// Whether a SIGINT/SIGTERM that reaches the scheduler reached its workers too (Slurm signals
    /// every process of a job), so it is not sent to them again.
    public var interruptsReachWorkers = false
    /// The batch job this scheduler runs in (Slurm's `1234_5`) and its log: recorded in each
    /// started run's state.json and named in failure reasons.
    public var job: String?
    public var jobLog: String?

    public init(jobs: Int, worker: WorkerCommand) {
        self.jobs = max(1, jobs)
        self.worker = worker
    }

    /// Parses `90`, `90s`, `30m`, `2h`, `1d` (also `1.5h`) into seconds.
    public static func parseDuration(_ text: String) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        var number = Substring(text.trimmingCharacters(in: .whitespaces))
        var scale = 1.0
        if let last = number.last, let unit = units[last] {
            scale = unit
            number = number.dropLast()
        }
        guard let value = Double(number), value > 0, value.isFinite else { return nil }
        return value * scale
    }

    public static func describeDuration(_ seconds: Double) -> String {
        if seconds >= 3600, seconds.truncatingRemainder(dividingBy: 3600) == 0 { return "\(Int(seconds / 3600))h" }
        if seconds >= 60, seconds.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(seconds / 60))m" }
        if seconds == seconds.rounded() { return "\(Int(seconds))s" }
        return String(format: "%.1fs", seconds)
    }
}
