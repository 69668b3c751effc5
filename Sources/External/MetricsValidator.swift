import Foundation
import ToolUse

/// Checks what an external trainer writes against the schema of docs/architecture.md
/// ("metrics.jsonl") and names the file, line and field of the first problem.
///
/// - A `metrics.jsonl` line is a JSON object with `kind` (`"train"` or `"eval"`) and `step` (an
///   integer ≥ 0). Every other field of a train line is a number or null; an eval line has
///   `splits`, an object of splits, each an object of numbers or nulls.
/// - `eval.json` is `{"step": N, "splits": {…}}` with the same `splits`.
///
/// The file is read incrementally (`check(final:)` reads what was appended since the last call),
/// so a trainer writing a bad line can be stopped while it runs. A trainer that rewrites the file
/// (dropping lines past its checkpoint on resume) is noticed — another inode, a shorter file, or
/// other bytes just before the read position — and the file is checked again from its start.
struct MetricsValidator {
    let url: URL
    private var offset: UInt64 = 0
    private var lineNumber = 0
    private var pending = Data()
    private var inode: UInt64?
    /// The last bytes read (up to 64), to notice a file rewritten in place.
    private var lastBytes = Data()

    init(url: URL) {
        self.url = url
    }

    /// Checks the complete lines appended since the last call (and, when `final`, a last line
    /// without its newline). Returns the first problem as `path:line: …`.
    mutating func check(final: Bool) -> String? {
        guard let handle = FileHandle(forReadingAtPath: url.path) else { return nil }
        defer { try? handle.close() }
        var info = stat()
        guard fstat(handle.fileDescriptor, &info) == 0 else { return nil }
        let overlap = UInt64(lastBytes.count)
        try? handle.seek(toOffset: offset - overlap)
        let data = (try? handle.readToEnd()) ?? Data()
        if inode != UInt64(info.st_ino) || UInt64(info.st_size) < offset || !data.starts(with: lastBytes) {
            // Rewritten since the last read: start over.
            (offset, lineNumber, pending, inode, lastBytes) = (0, 0, Data(), UInt64(info.st_ino), Data())
            try? handle.seek(toOffset: 0)
            return check(data: (try? handle.readToEnd()) ?? Data(), final: final)
        }
        return check(data: data.dropFirst(Int(overlap)), final: final)
    }

    /// Checks `data`, the bytes from `offset` on.
    private mutating func check(data: Data, final: Bool) -> String? {
        offset += UInt64(data.count)
        lastBytes = (lastBytes + data).suffix(64)
        pending.append(data)
        while let newline = pending.firstIndex(of: 0x0A) {
            let line = pending[pending.startIndex..<newline]
            pending = pending[(newline + 1)...]
            lineNumber += 1
            if let problem = Self.checkLine(line) { return "\(url.path):\(lineNumber):\(problem)" }
        }
        if final, !pending.isEmpty {
            lineNumber += 1
            let line = pending
            pending = Data()
            if let problem = Self.checkLine(line) { return "\(url.path):\(lineNumber):\(problem)" }
        }
        return nil
    }

    /// One line's problem (`column: message` or ` message`), nil when it is well formed or blank.
    static func checkLine(_ line: Data) -> String? {
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return nil }
        let value: JSONValue
        do {
            value = try line.withUnsafeBytes { try JSONValue.parse(utf8: $0.bindMemory(to: UInt8.self)) }
        } catch let error as JSONParseError {
            return "\(error.column): not valid JSON: \(error.message)"
        } catch {
            return " \(error)"
        }
        guard case .object(let fields) = value else { return " expected a JSON object, found \(value.typeName)" }
        guard let kind = value["kind"] else { return " missing field \"kind\" (\"train\" or \"eval\")" }
        guard let kindName = kind.stringValue, kindName == "train" || kindName == "eval" else {
            return " field \"kind\": expected \"train\" or \"eval\", found \(kind.dumps())"
        }
        if let problem = checkStep(value) { return " " + problem }
        if kindName == "eval" {
            guard let splits = value["splits"] else { return " missing field \"splits\" in an eval line" }
            if let problem = checkSplits(splits) { return " " + problem }
            return nil
        }
        for (key, field) in fields where key != "kind" && key != "step" {
            if let problem = checkNumber(field, name: key) { return " " + problem }
        }
        return nil
    }

    /// `eval.json`'s problem as `path: …`, or nil. A missing file is a problem too.
    static func checkFinalEvaluation(_ url: URL) -> String? {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            return "\(url.path): missing: the trainer must write its final evaluation there (docs/external.md)"
        }
        let value: JSONValue
        do {
            value = try data.withUnsafeBytes { try JSONValue.parse(utf8: $0.bindMemory(to: UInt8.self)) }
        } catch let error as JSONParseError {
            return "\(url.path):\(error.line):\(error.column): not valid JSON: \(error.message)"
        } catch {
            return "\(url.path): \(error)"
        }
        guard case .object = value else { return "\(url.path): expected a JSON object, found \(value.typeName)" }
        if let problem = checkStep(value) { return "\(url.path): \(problem)" }
        guard let splits = value["splits"] else { return "\(url.path): missing field \"splits\"" }
        if let problem = checkSplits(splits) { return "\(url.path): \(problem)" }
        return nil
    }

    static func checkStep(_ object: JSONValue) -> String? {
        guard let step = object["step"] else { return "missing field \"step\"" }
        if case .integer(let whole) = step, whole >= 0 { return nil }
        return "field \"step\": expected an integer ≥ 0, found \(step.dumps())"
    }

    static func checkSplits(_ splits: JSONValue) -> String? {
        guard case .object(let entries) = splits else { return "field \"splits\": expected an object of splits, found \(splits.typeName)" }
        for (split, metrics) in entries {
            guard case .object(let values) = metrics else {
                return "field \"splits.\(split)\": expected an object of metrics, found \(metrics.typeName)"
            }
            for (name, metric) in values {
                if let problem = checkNumber(metric, name: "splits.\(split).\(name)") { return problem }
            }
        }
        return nil
    }

    static func checkNumber(_ value: JSONValue, name: String) -> String? {
        switch value {
        case .integer, .double, .null: return nil
        case .string: return "field \"\(name)\": expected a number or null, found \(value.dumps())"
        default:
            let article = "aeiou".contains(value.typeName.prefix(1)) ? "an" : "a"
            return "field \"\(name)\": expected a number or null, found \(article) \(value.typeName)"
        }
    }
}
