import Basics

/// Where and why `JSONValue.parse` rejected its input. Messages follow Python's `json` module
/// ("Expecting value", "Invalid control character at", "Extra data", …).
public struct JSONParseError: Error, Equatable, CustomStringConvertible, Sendable {
    public var message: String
    /// UTF-8 byte offset of the problem in the parsed text.
    public var offset: Int
    /// 1-based line and column; the column counts Unicode scalars.
    public var line: Int
    public var column: Int

    public var description: String { "\(message) at line \(line) column \(column)" }
}

extension JSONValue {
    /// Parses `text` strictly, as Python's `json.loads` does: only ` \t\n\r` around the value, no
    /// trailing data, no raw control characters in strings, `NaN`/`Infinity`/`-Infinity` accepted,
    /// nesting limited to `JSONValue.maximumDepth` levels.
    public static func parse(_ text: String) throws -> JSONValue {
        var copy = text
        return try copy.withUTF8 { try parse(utf8: $0) }
    }

    public static func parse(_ text: Substring) throws -> JSONValue {
        var copy = text
        return try copy.withUTF8 { try parse(utf8: $0) }
    }

    /// Parses UTF-8 bytes; invalid UTF-8 inside strings is repaired with U+FFFD.
    public static func parse(utf8 bytes: UnsafeBufferPointer<UInt8>) throws -> JSONValue {
        var parser = JSONByteParser(bytes: bytes)
        return try parser.parseDocument()
    }

    /// Deeper nesting is rejected (Python raises RecursionError near 1000; Swift threads have
    /// small stacks, so the limit is lower).
    static let maximumDepth = 256
}

struct JSONByteParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    var depth = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func parseDocument() throws -> JSONValue {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            throw error("Unexpected UTF-8 BOM (decode using utf-8-sig)", at: 0)
        }
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        if position != bytes.count { throw error("Extra data", at: position) }
        return value
    }

    // MARK: - Values

    mutating func parseValue() throws -> JSONValue {
        guard position < bytes.count else { throw error("Expecting value", at: position) }
        switch bytes[position] {
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "n"):
            if matches("null") { position += 4; return .null }
        case UInt8(ascii: "t"):
            if matches("true") { position += 4; return .bool(true) }
        case UInt8(ascii: "f"):
            if matches("false") { position += 5; return .bool(false) }
        case UInt8(ascii: "N"):
            if matches("NaN") { position += 3; return .double(.nan) }
        case UInt8(ascii: "I"):
            if matches("Infinity") { position += 8; return .double(.infinity) }
        case UInt8(ascii: "-"):
            if matches("-Infinity") { position += 9; return .double(-.infinity) }
            if let number = parseNumber() { return number }
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            if let number = parseNumber() { return number }
        default: break
        }
        throw error("Expecting value", at: position)
    }

    mutating func parseObject() throws -> JSONValue {
        let start = position
        try enterNesting(at: start)
        defer { depth -= 1 }
        position += 1
        var pairs: [(String, JSONValue)] = []
        pairs.reserveCapacity(4)
        var indexByKey: [ScalarKey: Int]? = nil
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .object(pairs)
        }
        while true {
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                throw error("Expecting property name enclosed in double quotes", at: position)
            }
            let key = try parseString()
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                throw error("Expecting ':' delimiter", at: position)
            }
            position += 1
            skipWhitespace()
            let value = try parseValue()
            // Duplicate keys: first position, last value (Python dict semantics).
            if pairs.count >= 16, indexByKey == nil {
                var table: [ScalarKey: Int] = [:]
                for (index, pair) in pairs.enumerated() { table[ScalarKey(pair.0)] = index }
                indexByKey = table
            }
            if indexByKey != nil {
                let scalarKey = ScalarKey(key)
                if let existing = indexByKey![scalarKey] {
                    pairs[existing].1 = value
                } else {
                    indexByKey![scalarKey] = pairs.count
                    pairs.append((key, value))
                }
            } else if let existing = pairs.firstIndex(where: { $0.0.hasSameScalars(as: key) }) {
                pairs[existing].1 = value
            } else {
                pairs.append((key, value))
            }
            skipWhitespace()
            guard position < bytes.count else { throw error("Expecting ',' delimiter", at: position) }
            if bytes[position] == UInt8(ascii: "}") { position += 1; return .object(pairs) }
            guard bytes[position] == UInt8(ascii: ",") else { throw error("Expecting ',' delimiter", at: position) }
            position += 1
            skipWhitespace()
        }
    }

    mutating func parseArray() throws -> JSONValue {
        let start = position
        try enterNesting(at: start)
        defer { depth -= 1 }
        position += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return .array(items)
        }
        while true {
            items.append(try parseValue())
            skipWhitespace()
            guard position < bytes.count else { throw error("Expecting ',' delimiter", at: position) }
            if bytes[position] == UInt8(ascii: "]") { position += 1; return .array(items) }
            guard bytes[position] == UInt8(ascii: ",") else { throw error("Expecting ',' delimiter", at: position) }
            position += 1
            skipWhitespace()
        }
    }

    /// Python's number grammar: `-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?`, ASCII digits only. A
    /// fraction or exponent without digits is not part of the number (what follows is then
    /// "Extra data" or a delimiter error). Returns nil when no number starts here.
    mutating func parseNumber() -> JSONValue? {
        let start = position
        var cursor = position
        if bytes[cursor] == UInt8(ascii: "-") { cursor += 1 }
        guard cursor < bytes.count, isDigit(bytes[cursor]) else { return nil }
        if bytes[cursor] == UInt8(ascii: "0") {
            cursor += 1
        } else {
            while cursor < bytes.count, isDigit(bytes[cursor]) { cursor += 1 }
        }
        var isFloat = false
        if cursor + 1 < bytes.count, bytes[cursor] == UInt8(ascii: "."), isDigit(bytes[cursor + 1]) {
            cursor += 2
            while cursor < bytes.count, isDigit(bytes[cursor]) { cursor += 1 }
            isFloat = true
        }
        if cursor < bytes.count, bytes[cursor] == UInt8(ascii: "e") || bytes[cursor] == UInt8(ascii: "E") {
            var exponent = cursor + 1
            if exponent < bytes.count, bytes[exponent] == UInt8(ascii: "+") || bytes[exponent] == UInt8(ascii: "-") {
                exponent += 1
            }
            if exponent < bytes.count, isDigit(bytes[exponent]) {
                while exponent < bytes.count, isDigit(bytes[exponent]) { exponent += 1 }
                cursor = exponent
                isFloat = true
            }
        }
        position = cursor
        if !isFloat {
            let negative = bytes[start] == UInt8(ascii: "-")
            var value = 0
            var overflow = false
            var index = negative ? start + 1 : start
            while index < cursor {
                let digit = Int(bytes[index] &- UInt8(ascii: "0"))
                let (times, o1) = value.multipliedReportingOverflow(by: 10)
                let (sum, o2) = negative ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
                if o1 || o2 { overflow = true; break }
                value = sum
                index += 1
            }
            if !overflow { return .integer(value) }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<cursor]), as: UTF8.self)
        return .double(Double(text) ?? .nan)
    }

    // MARK: - Strings

    /// Parses a string starting at the opening quote; leaves `position` after the closing quote.
    mutating func parseString() throws -> String {
        let quote = position
        position += 1
        let contentStart = position
        // Fast path: no escapes.
        while position < bytes.count {
            position = plainRunEnd(from: position)
            guard position < bytes.count else { break }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[contentStart..<position]), as: UTF8.self)
                position += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw error("Invalid control character at", at: position) }
            position += 1
        }
        guard position < bytes.count else { throw error("Unterminated string starting at", at: quote) }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(position - contentStart + 16)
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[contentStart..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return String(decoding: buffer, as: UTF8.self)
            }
            if byte < 0x20 { throw error("Invalid control character at", at: position) }
            if byte != UInt8(ascii: "\\") {
                // Copy the run of plain bytes up to the next quote, backslash or control byte.
                let runStart = position
                position = plainRunEnd(from: position + 1)
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
                continue
            }
            let escapeStart = position
            position += 1
            guard position < bytes.count else { throw error("Unterminated string starting at", at: quote) }
            let code = bytes[position]
            position += 1
            switch code {
            case UInt8(ascii: "\""): buffer.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "/"): buffer.append(UInt8(ascii: "/"))
            case UInt8(ascii: "b"): buffer.append(0x08)
            case UInt8(ascii: "f"): buffer.append(0x0C)
            case UInt8(ascii: "n"): buffer.append(0x0A)
            case UInt8(ascii: "r"): buffer.append(0x0D)
            case UInt8(ascii: "t"): buffer.append(0x09)
            case UInt8(ascii: "u"):
                guard let unit = hexQuad(at: position) else {
                    throw error("Invalid \\uXXXX escape", at: escapeStart)
                }
                position += 4
                var scalarValue = UInt32(unit)
                if (0xD800...0xDBFF).contains(unit), position + 6 <= bytes.count,
                   bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u"),
                   let low = hexQuad(at: position + 2), (0xDC00...0xDFFF).contains(low) {
                    scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                    position += 6
                }
                appendScalar(Unicode.Scalar(scalarValue) ?? "\u{FFFD}", to: &buffer)
            default:
                throw error("Invalid \\escape", at: escapeStart)
            }
        }
        throw error("Unterminated string starting at", at: quote)
    }

    func hexQuad(at index: Int) -> UInt16? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt16 = 0
        for offset in 0..<4 {
            let byte = bytes[index + offset]
            let digit: UInt16
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt16(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt16(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt16(byte - UInt8(ascii: "A") + 10)
            default: return nil
            }
            value = value << 4 | digit
        }
        return value
    }

    func appendScalar(_ scalar: Unicode.Scalar, to buffer: inout [UInt8]) {
        UTF8.encode(scalar) { buffer.append($0) }
    }

    // MARK: - Helpers

    /// The first index at or after `start` holding a quote, a backslash or a control byte
    /// (< 0x20), or `bytes.count`. Eight bytes per step (SWAR: a byte b is flagged when
    /// b − c borrows, for b = byte ^ '"', byte ^ '\\', or byte with c = 0x20 for the last; a
    /// borrow only spreads upwards, so the lowest flag marks the first such byte exactly).
    @inline(__always) func plainRunEnd(from start: Int) -> Int {
        var ignored: UInt64 = 0
        return plainRunEnd(from: start, orInto: &ignored)
    }

    /// `plainRunEnd`, also OR-ing into `high` every byte it passes (and, within the last word,
    /// the bytes after the stop: they can only make a string look non-ASCII, which a caller
    /// checking for ASCII then handles as the general case).
    @inline(__always) func plainRunEnd(from start: Int, orInto high: inout UInt64) -> Int {
        var index = start
        if let base = bytes.baseAddress {
            let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
            while index + 8 <= bytes.count {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
                high |= word
                let quote = word ^ (ones &* 0x22), backslash = word ^ (ones &* 0x5C)
                let flagged = ((quote &- ones) & ~quote | (backslash &- ones) & ~backslash | (word &- ones &* 0x20) & ~word) & highs
                if flagged != 0 { return index + flagged.trailingZeroBitCount >> 3 }
                index += 8
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { return index }
            high |= UInt64(byte)
            index += 1
        }
        return index
    }

    @inline(__always) func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    @inline(__always) mutating func skipWhitespace() {
        while position < bytes.count {
            let byte = bytes[position]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            position += 1
        }
    }

    func matches(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        let pointer = literal.utf8Start
        for offset in 0..<count where bytes[position + offset] != pointer[offset] { return false }
        return true
    }

    mutating func enterNesting(at offset: Int) throws {
        depth += 1
        if depth > JSONValue.maximumDepth {
            throw error("Nesting deeper than \(JSONValue.maximumDepth) levels", at: offset)
        }
    }

    func error(_ message: String, at offset: Int) -> JSONParseError {
        let position = TextPosition(bytes, offset: offset)
        return JSONParseError(message: message, offset: offset, line: position.line, column: position.column)
    }
}

/// A `String` hashed and compared by its scalars (Python `str` semantics), for dictionary keys.
public struct ScalarKey: Hashable, Sendable {
    public let text: String
    public init(_ text: String) { self.text = text }
    public static func == (lhs: ScalarKey, rhs: ScalarKey) -> Bool { lhs.text.hasSameScalars(as: rhs.text) }
    /// Hashes the length and at most the first and last 64 bytes (equality compares them all):
    /// gold answers of a few KB are keys, and they differ within their ends.
    public func hash(into hasher: inout Hasher) {
        var copy = text
        copy.withUTF8 { bytes in
            hasher.combine(bytes.count)
            if bytes.count <= 128 {
                hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
            } else {
                hasher.combine(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[..<64])))
                hasher.combine(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[(bytes.count - 64)...])))
            }
        }
    }
}
