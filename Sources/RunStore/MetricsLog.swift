import Basics
import Foundation

/// A metric value in a `metrics.jsonl` line: a number, or a nested object (evaluation splits).
public indirect enum MetricValue: Equatable, Sendable {
    case number(Double)
    case object([(String, MetricValue)])

    public static func == (a: MetricValue, b: MetricValue) -> Bool {
        switch (a, b) {
        case let (.number(x), .number(y)): return x == y || (x.isNaN && y.isNaN)
        case let (.object(x), .object(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }
}

/// Writes JSON lines with keys in the order given and `JSONText`'s number rule, so that two
/// identical runs write identical bytes. Non-finite numbers are written as `null`.
public enum MetricsJSON {
    public static func number(_ value: Double) -> String { JSONText.numberOrNull(value) }

    public static func string(_ text: String) -> String { JSONText.quoted(text) }

    static func members(_ fields: [(String, MetricValue)]) -> [String] {
        fields.map { key, value -> String in
            switch value {
            case .number(let x): return string(key) + ": " + number(x)
            case .object(let inner): return string(key) + ": " + object(inner)
            }
        }
    }

    public static func object(_ fields: [(String, MetricValue)]) -> String {
        "{" + members(fields).joined(separator: ", ") + "}"
    }

    /// A line `{"kind": kind, "step": step, fields…}`.
    public static func line(kind: String, step: Int, fields: [(String, MetricValue)]) -> String {
        let head = ["\"kind\": " + string(kind), "\"step\": " + String(step)]
        return "{" + (head + members(fields)).joined(separator: ", ") + "}"
    }
}

/// Appends lines to `metrics.jsonl`, flushing each one: the file's one writer.
public final class MetricsLog {
    public let url: URL
    private let handle: FileHandle

    /// Opens (creating if needed) `url` for appending. Lines past `keepingThroughStep` (a resume
    /// point) and a torn last line are dropped first.
    public init(url: URL, keepingThroughStep: Int?) throws {
        self.url = url
        let manager = FileManager.default
        if !manager.fileExists(atPath: url.path) {
            manager.createFile(atPath: url.path, contents: nil)
        } else {
            try MetricsLog.truncate(url: url, keepingThroughStep: keepingThroughStep ?? 0)
        }
        handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
    }

    deinit { try? handle.close() }

    public func append(_ line: String) throws {
        try handle.write(contentsOf: Data((line + "\n").utf8))
        try handle.synchronize()
    }

    /// Keeps only complete lines whose `step` is at most `step` (rewritten atomically).
    static func truncate(url: URL, keepingThroughStep step: Int) throws {
        let data = try Data(contentsOf: url)
        var kept = Data()
        var changed = false
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            if line.isEmpty { continue }
            guard let lineStep = MetricsLine.step(of: Data(line)), lineStep <= step else {
                changed = true
                continue
            }
            kept.append(contentsOf: line)
            kept.append(UInt8(ascii: "\n"))
        }
        if changed || kept.count != data.count {
            try AtomicFile.write(kept, to: url.path)
        }
    }
}

/// Reading single lines of `metrics.jsonl` (the scheduler's progress; resuming).
public enum MetricsLine {
    /// The `step` of one line, or nil when the line is not a JSON object with a numeric step.
    public static func step(of line: Data) -> Int? {
        guard let root = try? JSONNode.parse(line), root.objectValue != nil, let step = root["step"]?.doubleValue,
              step.isFinite else { return nil }
        return Int(step)
    }

    /// The `step` of the last complete line of the file at `path`.
    public static func lastStep(at path: String) -> Int? {
        guard let line = RunLog.lastLines(of: path, count: 1, maxBytes: 16_384).last else { return nil }
        return step(of: Data(line.utf8))
    }
}
