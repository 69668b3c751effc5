import Basics
import Foundation

/// `result.json`: how a worker's attempt ended, written when it exits:
/// `{"outcome": "done"|"failed"|"interrupted", "reason": "…", "step": N}`.
public struct RunResult: Equatable, Sendable {
    public enum Outcome: String, Sendable {
        case done, failed, interrupted
    }

    /// The outcome as written (a worker may write another word; the scheduler reports it).
    public var outcome: String
    /// Why it failed; empty or nil otherwise.
    public var reason: String?
    public var step: Int?

    public init(outcome: Outcome, reason: String = "", step: Int) {
        self.outcome = outcome.rawValue
        self.reason = reason
        self.step = step
    }

    init(outcome: String, reason: String?, step: Int?) {
        self.outcome = outcome
        self.reason = reason
        self.step = step
    }

    public func write(to path: String) throws {
        let json = "{\"outcome\": \(JSONText.quoted(outcome)), \"reason\": \(JSONText.quoted(reason ?? "")), \"step\": \(step ?? 0)}\n"
        try AtomicFile.write(Data(json.utf8), to: path)
    }

    /// The file at `path`, or nil when there is none or it has no `outcome`.
    public static func read(at path: String) -> RunResult? {
        guard let (_, root) = try? RunFileError.readJSON(at: path), let outcome = root["outcome"]?.stringValue else { return nil }
        return RunResult(outcome: outcome, reason: root["reason"]?.stringValue, step: root["step"]?.intValue)
    }
}
