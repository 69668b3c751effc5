import Basics
import Foundation

/// A strict JSON parser into `ConfigTree` that keeps integers and fractions apart, used to read
/// back what a resolver encoded (and `config.json` files). Locations are line:column in `file`.
public enum JSONTreeParser {
    public static func parse(_ data: Data, file: String = "<json>") throws -> ConfigTree {
        var parser = Scanner(bytes: Array(data), file: file)
        parser.skipWhitespace()
        let tree = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.position == parser.bytes.count else { throw parser.error("unexpected text after the JSON value") }
        return tree
    }

    public static func parse(_ text: String, file: String = "<json>") throws -> ConfigTree {
        try parse(Data(text.utf8), file: file)
    }

    private struct Scanner {
        let bytes: [UInt8]
        let file: String
        var position = 0
        var line = 1
        var lineStart = 0

        init(bytes: [UInt8], file: String) {
            self.bytes = bytes
            self.file = file
        }

        /// UTF-8 continuation bytes since `lineStart` (only strings hold them, and a string never
        /// spans lines), so that columns count scalars as `TextPosition` does.
        var continuationBytesOnLine = 0

        var location: SourceLocation {
            SourceLocation(file: file, line: line, column: position - lineStart - continuationBytesOnLine + 1)
        }

        func error(_ message: String) -> ConfigError { ConfigError(at: location, "invalid JSON: \(message)") }

        mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case UInt8(ascii: "\n"): position += 1; line += 1; lineStart = position; continuationBytesOnLine = 0
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): position += 1
                default: return
                }
            }
        }

        mutating func value(depth: Int) throws -> ConfigTree {
            guard depth < 512 else { throw error("nested too deeply") }
            guard position < bytes.count else { throw error("unexpected end of input") }
            let start = location
            switch bytes[position] {
            case UInt8(ascii: "{"):
                position += 1
                var entries: [ConfigEntry] = []
                skipWhitespace()
                if peek("}") { position += 1; return .map(entries, at: start) }
                while true {
                    skipWhitespace()
                    let keyLocation = location
                    guard peek("\"") else { throw error("expected a string key") }
                    let key = try string()
                    skipWhitespace()
                    guard peek(":") else { throw error("expected ':'") }
                    position += 1
                    skipWhitespace()
                    entries.append(ConfigEntry(key: key, keyLocation: keyLocation, value: try value(depth: depth + 1)))
                    skipWhitespace()
                    if peek(",") { position += 1; continue }
                    if peek("}") { position += 1; return .map(entries, at: start) }
                    throw error("expected ',' or '}'")
                }
            case UInt8(ascii: "["):
                position += 1
                var items: [ConfigTree] = []
                skipWhitespace()
                if peek("]") { position += 1; return .list(items, at: start) }
                while true {
                    skipWhitespace()
                    items.append(try value(depth: depth + 1))
                    skipWhitespace()
                    if peek(",") { position += 1; continue }
                    if peek("]") { position += 1; return .list(items, at: start) }
                    throw error("expected ',' or ']'")
                }
            case UInt8(ascii: "\""):
                return .scalar(.string(try string()), at: start)
            default:
                if literal("true") { return .scalar(.bool(true), at: start) }
                if literal("false") { return .scalar(.bool(false), at: start) }
                if literal("null") { return .scalar(.null, at: start) }
                return .scalar(try number(), at: start)
            }
        }

        func peek(_ character: Unicode.Scalar) -> Bool {
            position < bytes.count && bytes[position] == UInt8(character.value)
        }

        mutating func literal(_ word: String) -> Bool {
            let utf8 = Array(word.utf8)
            guard position + utf8.count <= bytes.count, Array(bytes[position..<position + utf8.count]) == utf8 else { return false }
            position += utf8.count
            return true
        }

        mutating func number() throws -> ConfigScalar {
            let start = position
            var isInteger = true
            while position < bytes.count {
                let byte = bytes[position]
                if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") {
                    position += 1
                } else if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                    isInteger = false
                    position += 1
                } else { break }
            }
            let text = String(decoding: bytes[start..<position], as: UTF8.self)
            if isInteger, let value = Int(text) { return .int(value) }
            if let value = Double(text), !text.isEmpty { return .double(value) }
            position = start
            throw error("unexpected character")
        }

        mutating func string() throws -> String {
            position += 1  // opening quote
            var scalars = String.UnicodeScalarView()
            var run: [UInt8] = []
            func flush() { scalars.append(contentsOf: String(decoding: run, as: UTF8.self).unicodeScalars); run.removeAll() }
            while position < bytes.count {
                let byte = bytes[position]
                position += 1
                switch byte {
                case UInt8(ascii: "\""):
                    flush()
                    return String(scalars)
                case UInt8(ascii: "\\"):
                    flush()
                    guard position < bytes.count else { throw error("unterminated string") }
                    let escape = bytes[position]
                    position += 1
                    switch escape {
                    case UInt8(ascii: "\""): scalars.append("\"")
                    case UInt8(ascii: "\\"): scalars.append("\\")
                    case UInt8(ascii: "/"): scalars.append("/")
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "b"): scalars.append("\u{08}")
                    case UInt8(ascii: "f"): scalars.append("\u{0C}")
                    case UInt8(ascii: "u"):
                        var code = try hex4()
                        if (0xD800..<0xDC00).contains(code), literal("\\u") {
                            let low = try hex4()
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let scalar = Unicode.Scalar(code) else { throw error("invalid \\u escape") }
                        scalars.append(scalar)
                    default: throw error("invalid escape")
                    }
                default:
                    guard byte >= 0x20 else { throw error("control character in a string") }
                    if byte & 0xC0 == 0x80 { continuationBytesOnLine += 1 }
                    run.append(byte)
                }
            }
            throw error("unterminated string")
        }

        mutating func hex4() throws -> UInt32 {
            guard position + 4 <= bytes.count,
                  let code = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16)
            else { throw error("invalid \\u escape") }
            position += 4
            return code
        }
    }
}
