import Basics
import Foundation

/// The one textual form of a config that run ids hash.
///
/// - Map keys sorted by their UTF-8 bytes; no whitespace anywhere.
/// - Numbers and strings by `JSONText`'s rule: an integer-valued number below 2^53 as an integer
///   (`1.0`, `1e0` and `1` are all `1`), any other in Swift's shortest round-trip form (`1e-3` and
///   `0.001` are both `0.001`); NaN and infinities are refused.
/// - `null`, `true`, `false` as in JSON.
public enum CanonicalJSON {
    /// The compact canonical text of `tree`.
    public static func string(_ tree: ConfigTree) throws -> String {
        var output = ""
        try write(tree, into: &output, indent: nil, level: 0)
        return output
    }

    /// The same values, keys sorted, indented by two spaces (for files people read).
    public static func prettyString(_ tree: ConfigTree) throws -> String {
        var output = ""
        try write(tree, into: &output, indent: "  ", level: 0)
        return output + "\n"
    }

    static func write(_ tree: ConfigTree, into output: inout String, indent: String?, level: Int) throws {
        let newline = indent.map { "\n" + String(repeating: $0, count: level + 1) } ?? ""
        let closing = indent.map { "\n" + String(repeating: $0, count: level) } ?? ""
        let colon = indent == nil ? ":" : ": "
        switch tree.value {
        case .scalar(let scalar):
            guard let text = scalarText(scalar) else {
                throw ConfigError(at: tree.location, "\(tree.shortDescription) cannot be part of a run config (JSON has no NaN or infinity)")
            }
            output += text
        case .list(let items):
            if items.isEmpty { output += "[]"; return }
            output += "["
            for (index, item) in items.enumerated() {
                output += index == 0 ? newline : "," + newline
                try write(item, into: &output, indent: indent, level: level + 1)
            }
            output += closing + "]"
        case .map(let entries):
            if entries.isEmpty { output += "{}"; return }
            output += "{"
            let sorted = entries.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
            for (index, entry) in sorted.enumerated() {
                output += index == 0 ? newline : "," + newline
                output += quoted(entry.key) + colon
                try write(entry.value, into: &output, indent: indent, level: level + 1)
            }
            output += closing + "}"
        }
    }

    public static func scalarText(_ scalar: ConfigScalar) -> String? {
        switch scalar {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .string(let text): return quoted(text)
        case .int, .double: return numberText(scalar)
        }
    }

    /// The canonical text of a number, or nil for a non-number, NaN or an infinity.
    public static func numberText(_ scalar: ConfigScalar) -> String? {
        switch scalar {
        case .int(let value): return String(value)
        case .double(let value): return JSONText.number(value)
        default: return nil
        }
    }

    public static func quoted(_ text: String) -> String { JSONText.quoted(text) }
}
