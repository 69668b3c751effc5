import Foundation

/// A small JSON reader over raw bytes, written for speed: reports read every run's ledger files,
/// and 10,000 runs must report in under two seconds. It builds `JSONNode` trees for the small
/// files (plan.json, state.json, eval.json) and lets `MetricsFileReader` walk metrics lines
/// without allocating a string per key.
enum JSONNode {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONNode])
    case object([(String, JSONNode)])

    subscript(key: String) -> JSONNode? {
        guard case .object(let pairs) = self else { return nil }
        for (name, value) in pairs where name == key { return value }
        return nil
    }
    var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    var doubleValue: Double? { if case .number(let x) = self { return x } else { return nil } }
    var intValue: Int? {
        guard case .number(let x) = self, x.isFinite, x == x.rounded(.towardZero) else { return nil }
        return Int(x)
    }
    var arrayValue: [JSONNode]? { if case .array(let a) = self { return a } else { return nil } }
    var objectValue: [(String, JSONNode)]? { if case .object(let o) = self { return o } else { return nil } }
}

/// What went wrong and where: the byte offset is turned into line:column by the caller.
struct JSONSyntaxError: Error {
    var message: String
    var offset: Int
}

/// A cursor over one JSON text held in memory (`bytes[start..<end]`).
struct JSONScanner {
    let base: UnsafePointer<UInt8>
    var position: Int
    let end: Int

    init(base: UnsafePointer<UInt8>, start: Int, end: Int) {
        self.base = base
        self.position = start
        self.end = end
    }

    mutating func skipWhitespace() {
        while position < end {
            let c = base[position]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { position += 1 } else { return }
        }
    }

    func fail(_ message: String) -> JSONSyntaxError { JSONSyntaxError(message: message, offset: position) }

    mutating func expect(_ byte: UInt8, _ what: String) throws {
        skipWhitespace()
        guard position < end, base[position] == byte else {
            throw fail(position < end ? "expected \(what)" : "unexpected end of text, expected \(what)")
        }
        position += 1
    }

    /// Peeks the next non-space byte (nil at the end).
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return position < end ? base[position] : nil
    }

    /// Parses a whole value into a tree.
    mutating func parseValue() throws -> JSONNode {
        guard let c = peek() else { throw fail("unexpected end of text, expected a value") }
        switch c {
        case UInt8(ascii: "{"):
            position += 1
            var pairs: [(String, JSONNode)] = []
            if peek() == UInt8(ascii: "}") { position += 1; return .object(pairs) }
            while true {
                let key = try parseString()
                try expect(UInt8(ascii: ":"), "':' after an object key")
                pairs.append((key, try parseValue()))
                if try endOfContainer(close: UInt8(ascii: "}"), what: "',' or '}'") { return .object(pairs) }
            }
        case UInt8(ascii: "["):
            position += 1
            var items: [JSONNode] = []
            if peek() == UInt8(ascii: "]") { position += 1; return .array(items) }
            while true {
                items.append(try parseValue())
                if try endOfContainer(close: UInt8(ascii: "]"), what: "',' or ']'") { return .array(items) }
            }
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "N"): try literal("NaN"); return .number(.nan)
        case UInt8(ascii: "I"): try literal("Infinity"); return .number(.infinity)
        default: return .number(try parseNumber())
        }
    }

    /// After a member: true at the closing bracket (consumed), false after a comma.
    mutating func endOfContainer(close: UInt8, what: String) throws -> Bool {
        guard let c = peek() else { throw fail("unexpected end of text, expected \(what)") }
        position += 1
        if c == close { return true }
        if c == UInt8(ascii: ",") { return false }
        position -= 1
        throw fail("expected \(what)")
    }

    mutating func literal(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        guard position + count <= end, memcmp(base + position, word.utf8Start, count) == 0 else {
            throw fail("unexpected character")
        }
        position += count
    }

    /// Numbers: JSON syntax plus the `NaN`, `Infinity`, `-Infinity` that Python's json writes.
    mutating func parseNumber() throws -> Double {
        skipWhitespace()
        let start = position
        if position < end, base[position] == UInt8(ascii: "-") {
            position += 1
            if position < end, base[position] == UInt8(ascii: "I") { try literal("Infinity"); return -.infinity }
        }
        // Fast path: an integer part and an optional short fraction, no exponent.
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var sawDot = false
        var simple = true
        while position < end {
            let c = base[position]
            if c >= 0x30 && c <= 0x39 {
                if digits < 18 { mantissa = mantissa &* 10 &+ UInt64(c - 0x30) } else { simple = false }
                digits += 1
                if sawDot { fractionDigits += 1 }
            } else if c == UInt8(ascii: ".") && !sawDot {
                sawDot = true
            } else if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
                simple = false
            } else {
                break
            }
            position += 1
        }
        guard digits > 0 else { position = start; throw fail("expected a value") }
        let negative = base[start] == UInt8(ascii: "-")
        if simple && fractionDigits <= 15 {
            let value = Double(mantissa) / JSONScanner.powersOfTen[fractionDigits]
            // Exact when the mantissa and the power are exactly representable (< 2^53, ≤ 1e15 … 1e22).
            if mantissa < (1 << 53) { return negative ? -value : value }
        }
        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: position - start), as: UTF8.self)
        guard let value = Double(text) else { position = start; throw fail("malformed number '\(text)'") }
        return value
    }

    static let powersOfTen: [Double] = (0...22).map { pow(10.0, Double($0)) }

    /// A string; escapes decoded (including \u surrogate pairs).
    mutating func parseString() throws -> String {
        let (start, count, escaped) = try rawString()
        let raw = UnsafeBufferPointer(start: base + start, count: count)
        if !escaped { return String(decoding: raw, as: UTF8.self) }
        return try JSONScanner.unescape(raw, offset: start)
    }

    /// The bytes between the quotes of the next string, and whether it holds escapes.
    mutating func rawString() throws -> (start: Int, count: Int, escaped: Bool) {
        try expect(UInt8(ascii: "\""), "a string")
        let start = position
        var escaped = false
        while position < end {
            let c = base[position]
            if c == UInt8(ascii: "\"") {
                position += 1
                return (start, position - 1 - start, escaped)
            }
            if c == UInt8(ascii: "\\") { escaped = true; position += 2; continue }
            if c < 0x20 { throw fail("control character inside a string") }
            position += 1
        }
        throw fail("unterminated string")
    }

    static func unescape(_ raw: UnsafeBufferPointer<UInt8>, offset: Int) throws -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        func hex4(_ at: Int) throws -> UInt32 {
            guard at + 4 <= raw.count, let v = UInt32(String(decoding: UnsafeBufferPointer(rebasing: raw[at..<at + 4]), as: UTF8.self), radix: 16)
            else { throw JSONSyntaxError(message: "bad \\u escape", offset: offset + at) }
            return v
        }
        while i < raw.count {
            let c = raw[i]
            guard c == UInt8(ascii: "\\"), i + 1 < raw.count else { out.append(c); i += 1; continue }
            let e = raw[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                var scalar = try hex4(i)
                i += 4
                if scalar >= 0xD800 && scalar < 0xDC00, i + 6 <= raw.count, raw[i] == UInt8(ascii: "\\"), raw[i + 1] == UInt8(ascii: "u") {
                    let low = try hex4(i + 2)
                    if low >= 0xDC00 && low < 0xE000 {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                }
                out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8))
            default: out.append(e)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Skips one value of any kind.
    mutating func skipValue() throws {
        guard let c = peek() else { throw fail("unexpected end of text, expected a value") }
        switch c {
        case UInt8(ascii: "{"):
            position += 1
            if peek() == UInt8(ascii: "}") { position += 1; return }
            while true {
                _ = try rawString()
                try expect(UInt8(ascii: ":"), "':' after an object key")
                try skipValue()
                if try endOfContainer(close: UInt8(ascii: "}"), what: "',' or '}'") { return }
            }
        case UInt8(ascii: "["):
            position += 1
            if peek() == UInt8(ascii: "]") { position += 1; return }
            while true {
                try skipValue()
                if try endOfContainer(close: UInt8(ascii: "]"), what: "',' or ']'") { return }
            }
        case UInt8(ascii: "\""): _ = try rawString()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "N"): try literal("NaN")
        case UInt8(ascii: "I"): try literal("Infinity")
        default: _ = try parseNumber()
        }
    }

    /// True when the raw key bytes equal `key`'s UTF-8.
    func keyEquals(_ start: Int, _ count: Int, _ key: [UInt8]) -> Bool {
        count == key.count && key.withUnsafeBufferPointer { memcmp(base + start, $0.baseAddress!, count) == 0 }
    }
}

/// Parses a whole JSON document (a file's bytes) into a tree.
func parseJSONDocument(_ data: Data) throws -> JSONNode {
    try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> JSONNode in
        guard let base = raw.bindMemory(to: UInt8.self).baseAddress else {
            throw JSONSyntaxError(message: "the file is empty", offset: 0)
        }
        var scanner = JSONScanner(base: base, start: 0, end: raw.count)
        let value = try scanner.parseValue()
        scanner.skipWhitespace()
        if scanner.position != scanner.end { throw scanner.fail("unexpected text after the JSON value") }
        return value
    }
}

/// 1-based line and column of a byte offset.
func lineAndColumn(in data: Data, offset: Int) -> (line: Int, column: Int) {
    var line = 1
    var column = 1
    for (i, byte) in data.enumerated() {
        if i >= offset { break }
        if byte == 0x0A { line += 1; column = 1 } else { column += 1 }
    }
    return (line, column)
}
