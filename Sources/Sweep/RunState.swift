import Foundation

/// `state.json` of a run in the store: where it is in pending → running → done | failed.
public struct RunState: Codable, Equatable, Sendable {
    public enum Phase: String, Codable, Sendable, CaseIterable {
        case pending, running, done, failed
    }

    public var id: String
    public var state: Phase
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

    public init(id: String, state: Phase = .pending) {
        self.id = id
        self.state = state
        self.attempts = 0
        self.lastLogLines = []
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        state = try container.decode(Phase.self, forKey: .state)
        attempts = try container.decodeIfPresent(Int.self, forKey: .attempts) ?? 0
        host = try container.decodeIfPresent(String.self, forKey: .host)
        pid = try container.decodeIfPresent(Int32.self, forKey: .pid)
        leaseExpires = try container.decodeIfPresent(String.self, forKey: .leaseExpires)
        startedAt = try container.decodeIfPresent(String.self, forKey: .startedAt)
        finishedAt = try container.decodeIfPresent(String.self, forKey: .finishedAt)
        error = try container.decodeIfPresent(String.self, forKey: .error)
        lastLogLines = try container.decodeIfPresent([String].self, forKey: .lastLogLines) ?? []
        step = try container.decodeIfPresent(Int.self, forKey: .step)
        totalSteps = try container.decodeIfPresent(Int.self, forKey: .totalSteps)
        job = try container.decodeIfPresent(String.self, forKey: .job)
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
