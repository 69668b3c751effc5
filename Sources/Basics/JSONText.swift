import Foundation

/// The one rule for writing JSON text, used by every JSON file Ablate writes by hand (canonical
/// configs, metrics lines, eval and result files, reports):
///
/// - Strings: `"` and `\` escaped, `\n` `\r` `\t` `\b` `\f` by name, other control characters as
///   `\u00xx`; everything else (non-ASCII too) written as UTF-8.
/// - Numbers: an integer-valued number with magnitude below 2^53 is written as an integer (`1.0`
///   and `1e0` are both `1`, `-0.0` is `0`); any other finite number in Swift's shortest
///   round-trip form (`0.001`, `1e-05`). JSON has no NaN or infinity: `number` returns nil for
///   them and each writer decides (canonical configs refuse them, metrics write `null`).
public enum JSONText {
    /// `value` as a JSON string literal.
    public static func quoted(_ text: String) -> String {
        var output = ""
        appendQuoted(text, to: &output)
        return output
    }

    /// Appends `value` as a JSON string literal.
    static func appendQuoted(_ text: String, to output: inout String) {
        // Fast path: nothing to escape.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            output += "\""
            output += text
            output += "\""
            return
        }
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            default:
                if scalar.value < 0x20 {
                    output += String(format: "\\u%04x", scalar.value)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }

    /// The text of a finite number, or nil for NaN and infinities.
    public static func number(_ value: Double) -> String? {
        guard value.isFinite else { return nil }
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 {
            return String(Int64(value))
        }
        return "\(value)"
    }

    /// The text of a number, `null` for NaN and infinities.
    public static func numberOrNull(_ value: Double) -> String { number(value) ?? "null" }
}
