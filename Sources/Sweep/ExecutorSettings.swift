import Config
import Foundation

/// The spec's `executor:` section: site settings for the executors that send runs elsewhere
/// (today `slurm:`). They say where and with what resources runs train, never what a run is: they
/// are not part of any run's config or id (docs/spec.md, docs/slurm.md).
public struct ExecutorSettings: Codable, Equatable, Sendable {
    public var slurm: SlurmSettings

    init(slurm: SlurmSettings = SlurmSettings()) { self.slurm = slurm }

    enum CodingKeys: String, CodingKey { case slurm }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        slurm = try container.decodeIfPresent(SlurmSettings.self, forKey: .slurm) ?? SlurmSettings()
    }
}

/// What every array task of a sweep asks Slurm for, as `#SBATCH` lines. Values are Slurm's own
/// spellings (`time: "4:00:00"`, `mem: 16G`); nil means "the site's default" and adds no line.
public struct SlurmSettings: Codable, Equatable, Sendable {
    public var partition: String?
    public var account: String?
    public var qos: String?
    /// Time limit per array task, in Slurm's forms: `30` (minutes), `30:00`, `4:00:00`, `1-12:00:00`.
    public var time: String?
    /// Memory per node: `16G`, `4000M`, `500` (megabytes).
    public var mem: String?
    /// CPUs per task; the worker's BLAS threads follow it.
    public var cpusPerTask: Int?
    /// GPUs per task: `1`, or with a type, `a100:1`.
    public var gpusPerTask: String?
    public var constraint: String?
    /// Array tasks running at once (the `%N` of `--array`); nil leaves it to the site.
    public var arrayParallelism: Int?
    /// Seconds before the time limit that Slurm sends USR1 (`--signal=B:USR1@<grace>`), so the
    /// task checkpoints and requeues itself. Slurm may send it up to a minute early.
    public var signalGrace: Int?
    /// Free `#SBATCH` lines, each one option as sbatch takes it (`--exclusive`, `--nice=10`).
    public var sbatchOptions: [String]
    /// Shell lines run before the task starts (`module load openblas`, `source venv/bin/activate`).
    public var setup: [String]

    public static let defaultSignalGrace = 120

    public init() {
        sbatchOptions = []
        setup = []
    }

    enum CodingKeys: String, CodingKey {
        case partition, account, qos, time, mem, constraint, setup
        case cpusPerTask = "cpus_per_task", gpusPerTask = "gpus_per_task", arrayParallelism = "array_parallelism"
        case signalGrace = "signal_grace", sbatchOptions = "sbatch_options"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        partition = try container.decodeIfPresent(String.self, forKey: .partition)
        account = try container.decodeIfPresent(String.self, forKey: .account)
        qos = try container.decodeIfPresent(String.self, forKey: .qos)
        time = try container.decodeIfPresent(LabelText.self, forKey: .time)?.text
        mem = try container.decodeIfPresent(LabelText.self, forKey: .mem)?.text
        cpusPerTask = try container.decodeIfPresent(Int.self, forKey: .cpusPerTask)
        gpusPerTask = try container.decodeIfPresent(LabelText.self, forKey: .gpusPerTask)?.text
        constraint = try container.decodeIfPresent(String.self, forKey: .constraint)
        arrayParallelism = try container.decodeIfPresent(Int.self, forKey: .arrayParallelism)
        signalGrace = try container.decodeIfPresent(Int.self, forKey: .signalGrace)
        sbatchOptions = try container.decodeIfPresent([String].self, forKey: .sbatchOptions) ?? []
        setup = try container.decodeIfPresent([String].self, forKey: .setup) ?? []
        if let problem = problems().first, let key = CodingKeys(rawValue: problem.key) {
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: problem.message)
        }
    }

    /// What is wrong with these settings, by key (`cpus_per_task`): the same checks for the spec's
    /// section and for `ablate run`'s options.
    public func problems() -> [(key: String, message: String)] {
        let checks: [(CodingKeys, String?)] = [
            (.time, time.flatMap { Self.seconds(ofTime: $0) == nil ? "expected a Slurm time like 30, 30:00, 4:00:00 or 1-12:00:00, found \(CanonicalJSON.quoted($0))" : nil }),
            (.mem, mem.flatMap { Self.isMemory($0) ? nil : "expected a memory size like 16G, 4000M or 500, found \(CanonicalJSON.quoted($0))" }),
            (.cpusPerTask, cpusPerTask.flatMap { $0 >= 1 ? nil : "expected at least 1, found \($0)" }),
            (.gpusPerTask, gpusPerTask.flatMap { Self.isGPUCount($0) ? nil : "expected a count like 1 or a typed count like a100:1, found \(CanonicalJSON.quoted($0))" }),
            (.arrayParallelism, arrayParallelism.flatMap { $0 >= 1 ? nil : "expected at least 1, found \($0)" }),
            (.signalGrace, signalGrace.flatMap { $0 >= 0 ? nil : "expected seconds (0 or more), found \($0)" }),
            (.signalGrace, time.flatMap(Self.seconds(ofTime:)).flatMap { limit in
                let grace = signalGrace ?? Self.defaultSignalGrace
                return grace < limit ? nil : "the USR1 warning (\(grace) s before the time limit) must come after the task starts; the time limit is \(limit) s: lower signal_grace"
            }),
            (.sbatchOptions, sbatchOptions.first { !$0.hasPrefix("-") }.map { "each line is one sbatch option starting with '-', found \(CanonicalJSON.quoted($0))" }),
        ]
        return checks.compactMap { key, message in message.map { (key.rawValue, $0) } }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(partition, forKey: .partition)
        try container.encodeIfPresent(account, forKey: .account)
        try container.encodeIfPresent(qos, forKey: .qos)
        try container.encodeIfPresent(time, forKey: .time)
        try container.encodeIfPresent(mem, forKey: .mem)
        try container.encodeIfPresent(cpusPerTask, forKey: .cpusPerTask)
        try container.encodeIfPresent(gpusPerTask, forKey: .gpusPerTask)
        try container.encodeIfPresent(constraint, forKey: .constraint)
        try container.encodeIfPresent(arrayParallelism, forKey: .arrayParallelism)
        try container.encodeIfPresent(signalGrace, forKey: .signalGrace)
        try container.encode(sbatchOptions, forKey: .sbatchOptions)
        try container.encode(setup, forKey: .setup)
    }

    /// These settings with `overrides` on top: a value given there wins; lines are added after ours.
    public func overridden(by overrides: SlurmSettings) -> SlurmSettings {
        var merged = self
        merged.partition = overrides.partition ?? partition
        merged.account = overrides.account ?? account
        merged.qos = overrides.qos ?? qos
        merged.time = overrides.time ?? time
        merged.mem = overrides.mem ?? mem
        merged.cpusPerTask = overrides.cpusPerTask ?? cpusPerTask
        merged.gpusPerTask = overrides.gpusPerTask ?? gpusPerTask
        merged.constraint = overrides.constraint ?? constraint
        merged.arrayParallelism = overrides.arrayParallelism ?? arrayParallelism
        merged.signalGrace = overrides.signalGrace ?? signalGrace
        merged.sbatchOptions = sbatchOptions + overrides.sbatchOptions
        merged.setup = setup + overrides.setup
        return merged
    }

    /// Seconds in a Slurm time limit (`minutes`, `minutes:seconds`, `hours:minutes:seconds`,
    /// `days-hours`, `days-hours:minutes`, `days-hours:minutes:seconds`), nil when malformed.
    /// `UNLIMITED` and `infinite` have no seconds: nil too, and they are not accepted here.
    static func seconds(ofTime text: String) -> Int? {
        let dayParts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard dayParts.count <= 2, dayParts.allSatisfy({ !$0.isEmpty }) else { return nil }
        let clock = dayParts.last!.split(separator: ":", omittingEmptySubsequences: false)
        let numbers = clock.map { Int($0) }
        guard clock.count <= 3, numbers.allSatisfy({ ($0 ?? -1) >= 0 }) else { return nil }
        let values = numbers.map { $0! }
        if dayParts.count == 2 {
            guard let days = Int(dayParts[0]), days >= 0 else { return nil }
            // days-hours[:minutes[:seconds]]
            let padded = values + Array(repeating: 0, count: 3 - values.count)
            return days * 86_400 + padded[0] * 3600 + padded[1] * 60 + padded[2]
        }
        switch values.count {
        case 1: return values[0] * 60
        case 2: return values[0] * 60 + values[1]
        default: return values[0] * 3600 + values[1] * 60 + values[2]
        }
    }

    static func isMemory(_ text: String) -> Bool {
        text.range(of: "^[0-9]+[KMGT]?$", options: [.regularExpression, .caseInsensitive]) != nil
    }

    static func isGPUCount(_ text: String) -> Bool {
        text.range(of: "^([A-Za-z0-9_.-]+:)?[0-9]+$", options: .regularExpression) != nil
    }
}
