import Config
import Foundation
import Sweep

/// Reading what a worker left in its run directory (docs/architecture.md, worker protocol).
public enum RunFiles {
    /// `result.json`: outcome and reason, when the worker wrote one.
    public static func result(in directory: String) -> (outcome: String, reason: String?)? {
        guard let data = FileManager.default.contents(atPath: directory + "/result.json"),
              let tree = try? JSONTreeParser.parse(data), let outcome = tree["outcome"]?.string else { return nil }
        return (outcome, tree["reason"]?.string)
    }

    /// The `step` of the last complete line of `metrics.jsonl`.
    public static func lastStep(in directory: String) -> Int? {
        guard let line = lastLines(of: directory + "/metrics.jsonl", count: 1, maxBytes: 16_384).last,
              let tree = try? JSONTreeParser.parse(line), case .scalar(.int(let step))? = tree["step"]?.value else { return nil }
        return step
    }

    /// The last `count` complete lines of a file, reading at most `maxBytes` from its end.
    public static func lastLines(of path: String, count: Int, maxBytes: Int = 65_536) -> [String] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        let start = size > UInt64(maxBytes) ? size - UInt64(maxBytes) : 0
        try? handle.seek(toOffset: start)
        guard let data = try? handle.readToEnd() else { return [] }
        var text = String(decoding: data, as: UTF8.self)
        if start > 0, let newline = text.firstIndex(of: "\n") { text = String(text[text.index(after: newline)...]) }
        // A line without its newline may still be being written: leave it out.
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeLast()
        return Array(lines.filter { !$0.isEmpty }.suffix(count))
    }

    /// The last lines of the worker's log and of its captured output, for a failed run's record.
    public static func lastLogLines(in directory: String, count: Int = 10) -> [String] {
        let log = lastLines(of: directory + "/log.txt", count: count)
        let output = lastLines(of: directory + "/worker.out", count: count)
        return Array((log + output).suffix(count))
    }
}
