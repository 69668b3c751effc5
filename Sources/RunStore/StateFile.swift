import Basics
import Foundation

/// Where a run is in its life: pending → running → done | failed. The one name for this concept
/// in every module; `state.json` records it.
public enum RunState: String, Codable, Sendable, CaseIterable {
    case pending, running, done, failed
}

/// `state.json` of a run in the store: its `RunState` and who holds it, written atomically by the
/// scheduler that holds the run's claim.
public struct StateFile: Encodable, Equatable, Sendable {
    public var id: String
    public var state: RunState
    public var attempts: Int
    public var host: String?
    public var pid: Int32?
    public var leaseExpires: String?
    public var startedAt: String?
    public var finishedAt: String?
    public var error: String?
    public var lastLogLines: [String]
    public var step: Int?
    public var totalSteps: Int?
    /// The batch job whose worker holds the run (Slurm's `1234_5`); nil when a local `ablate run`
    /// started it.
    public var job: String?

    enum CodingKeys: String, CodingKey {
        case id, state, attempts, host, pid
        case leaseExpires = "lease_expires", startedAt = "started_at", finishedAt = "finished_at"
        case error, lastLogLines = "last_log_lines", step, totalSteps = "total_steps", job
    }

    public init(id: String, state: RunState = .pending) {
        self.id = id
        self.state = state
        self.attempts = 0
        self.lastLogLines = []
    }

    // MARK: Reading

    /// Reads `state.json` at `path`; nil when there is none. A file that is not JSON, or whose
    /// `state` is missing or unknown, throws a `RunFileError` naming the place. The id defaults to
    /// the run directory's name; other fields are optional.
    public static func read(at path: String) throws -> StateFile? {
        guard let (_, root) = try RunFileError.readJSON(at: path) else { return nil }
        return try read(root, at: path)
    }

    /// `read(at:)` through a reading thread's reusable `buffer`, for reports over many runs.
    public static func read(at path: String, buffer: GrowableBuffer<UInt8>) throws -> StateFile? {
        guard let root = try RunFileError.readJSON(at: path, buffer: buffer) else { return nil }
        return try read(root, at: path)
    }

    private static func read(_ root: JSONNode, at path: String) throws -> StateFile {
        guard root.objectValue != nil else { throw RunFileError(path: path, "expected a JSON object") }
        guard let name = root["state"]?.stringValue, let state = RunState(rawValue: name) else {
            throw RunFileError(path: path, field: "state", "missing or not one of \(RunState.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var file = StateFile(id: root["id"]?.stringValue
                                 ?? URL(fileURLWithPath: path).deletingLastPathComponent().lastPathComponent,
                             state: state)
        file.attempts = root["attempts"]?.intValue ?? 0
        file.host = root["host"]?.stringValue
        file.pid = root["pid"]?.intValue.flatMap { Int32(exactly: $0) }
        file.leaseExpires = root["lease_expires"]?.stringValue
        file.startedAt = root["started_at"]?.stringValue
        file.finishedAt = root["finished_at"]?.stringValue
        file.error = root["error"]?.stringValue
        file.lastLogLines = (root["last_log_lines"]?.arrayValue ?? []).compactMap(\.stringValue)
        file.step = root["step"]?.intValue
        file.totalSteps = root["total_steps"]?.intValue
        file.job = root["job"]?.stringValue
        return file
    }

    // MARK: Writing

    /// Writes the file atomically.
    public func write(to path: String) throws {
        try AtomicFile.write(try encoded(), to: path)
    }

    /// Writes the file only when none is there (another process may be creating or running the
    /// same entry: never overwrite). Returns whether it wrote.
    @discardableResult
    public func createIfAbsent(at path: String) throws -> Bool {
        try AtomicFile.createIfAbsent(try encoded(), at: path)
    }

    /// Pretty JSON, keys sorted.
    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Every field, nulls included, so the file always has the documented shape.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(state, forKey: .state)
        try container.encode(attempts, forKey: .attempts)
        try container.encode(host, forKey: .host)
        try container.encode(pid, forKey: .pid)
        try container.encode(leaseExpires, forKey: .leaseExpires)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(finishedAt, forKey: .finishedAt)
        try container.encode(error, forKey: .error)
        try container.encode(lastLogLines, forKey: .lastLogLines)
        try container.encode(step, forKey: .step)
        try container.encode(totalSteps, forKey: .totalSteps)
        try container.encode(job, forKey: .job)
    }

    // MARK: Times

    /// ISO-8601 text for a time, as state files record them.
    public static func timestamp(_ date: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    public static func date(_ text: String?) -> Date? {
        guard let text else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
