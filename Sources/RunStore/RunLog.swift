import Foundation

/// `log.txt`: human-readable lines, each stamped with its ISO-8601 time, appended by the worker.
/// The scheduler keeps the last ones of a failed run (with the worker's captured output) in
/// `state.json`.
public enum RunLog {
    /// Appends `message` as one stamped line.
    public static func append(_ message: String, to path: String) {
        let line = "\(ISO8601DateFormatter().string(from: Date())) \(message)\n"
        if let handle = FileHandle(forWritingAtPath: path) {
            _ = try? handle.seekToEnd()
            try? handle.write(contentsOf: Data(line.utf8))
            try? handle.close()
        } else {
            try? Data(line.utf8).write(to: URL(fileURLWithPath: path))
        }
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
    public static func lastLines(in run: RunDirectory, count: Int = 10) -> [String] {
        let log = lastLines(of: run.log, count: count)
        let output = lastLines(of: run.workerOutput, count: count)
        return Array((log + output).suffix(count))
    }
}
