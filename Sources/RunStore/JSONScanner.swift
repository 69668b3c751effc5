import Foundation

/// A small JSON reader over raw bytes, written for speed: reports read every run's files, and
/// 10,000 runs must report in under two seconds. It builds `JSONNode` trees for the small files
/// (plan.json, state.json, eval.json, result.json) and lets `MetricsReader` walk metrics lines
/// without allocating a string per key. Beyond JSON it accepts the `NaN`, `Infinity` and
/// `-Infinity` that Python's json module writes.
public enum JSONNode: Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONNode])
    case object([(String, JSONNode)])

    public subscript(key: String) -> JSONNode? {
        guard case .object(let pairs) = self else { return nil }
        for (name, value) in pairs where name == key { return value }
        return nil
    }
    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    var doubleValue: Double? { if case .number(let x) = self { return x } else { return nil } }
    public var intValue: Int? {
        guard case .number(let x) = self, x.isFinite, x == x.rounded(.towardZero) else { return nil }
        return Int(x)
    }
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    public var isNull: Bool { if case .null = self { return true } else { return false } }
    public var arrayValue: [JSONNode]? { if case .array(let a) = self { return a } else { return nil } }
    public var objectValue: [(String, JSONNode)]? { if case .object(let o) = self { return o } else { return nil } }

    /// Parses a whole JSON document (a file's bytes).
    public static func parse(_ data: Data) throws -> JSONNode { try parseJSONDocument(data) }
}

/// What went wrong and where: the byte offset is turned into line:column by the caller.
public struct JSONSyntaxError: Error, Sendable {
    public var message: String
    public var offset: Int

    /// 1-based line and column of the error in `data`.
    public func lineAndColumn(in data: Data) -> (line: Int, column: Int) {
        textPosition(in: data, offset: offset)
    }
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

    @inline(__always)
    mutating func expect(_ byte: UInt8, _ what: @autoclosure () -> String) throws {
        // Fast path: compact JSON puts the byte right here.
        if position < end && base[position] == byte { position += 1; return }
        skipWhitespace()
        guard position < end, base[position] == byte else {
            throw fail(position < end ? "expected \(what())" : "unexpected end of text, expected \(what())")
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
    @inline(__always)
    mutating func endOfContainer(close: UInt8, what: @autoclosure () -> String) throws -> Bool {
        if position < end && base[position] == UInt8(ascii: ",") { position += 1; return false }
        guard let c = peek() else { throw fail("unexpected end of text, expected \(what())") }
        position += 1
        if c == close { return true }
        if c == UInt8(ascii: ",") { return false }
        position -= 1
        throw fail("expected \(what())")
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
        if let value = parsePlainDecimal(negative: position > start) { return value }
        // Fast path: up to 19 significant digits, a fraction of up to 22 digits, no exponent.
        // Mantissa < 2^53: one rounding (the division), so the result is correctly rounded.
        // Larger mantissas (16–19 digits) round twice: within one ulp of the correctly rounded
        // value (relative error ≤ 2.2e-16), far below anything a report prints or tests.
        var mantissa: UInt64 = 0
        var significant = 0
        var sawDigit = false
        var fractionDigits = 0
        var sawDot = false
        var simple = true
        while position < end {
            let c = base[position]
            if c >= 0x30 && c <= 0x39 {
                sawDigit = true
                if mantissa != 0 || c != 0x30 {
                    if significant < 19 { mantissa = mantissa &* 10 &+ UInt64(c - 0x30) } else { simple = false }
                    significant += 1
                }
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
        guard sawDigit else { position = start; throw fail("expected a value") }
        let negative = base[start] == UInt8(ascii: "-")
        if simple && fractionDigits <= 22 {
            let value = Double(mantissa) / JSONScanner.powerOfTen(fractionDigits)
            return negative ? -value : value
        }
        // Slow path: strtod on a NUL-terminated copy (numbers are short).
        let length = position - start
        let value: Double? = withUnsafeTemporaryAllocation(of: CChar.self, capacity: length + 1) { text in
            let chars = text.baseAddress!
            UnsafeMutableRawPointer(chars).copyMemory(from: base + start, byteCount: length)
            chars[length] = 0
            var stop: UnsafeMutablePointer<CChar>? = nil
            let x = strtod(chars, &stop)
            return stop == chars + length ? x : nil
        }
        guard let value else {
            let text = String(decoding: UnsafeBufferPointer(start: base + start, count: length), as: UTF8.self)
            position = start
            throw fail("malformed number '\(text)'")
        }
        return value
    }

    /// The commonest number, digits with at most one '.' and no exponent, with at most 19 digits
    /// in all (so at most 19 significant) and at most 22 after the '.': the value the general
    /// loop below computes for it (the same mantissa, divided by the same power of ten), with
    /// the digits read eight at a time. nil, the position unchanged, for anything else.
    @inline(__always)
    private mutating func parsePlainDecimal(negative: Bool) -> Double? {
        var p = position
        var mantissa: UInt64 = 0
        var digits = 0
        func readDigits() {
            while p + 8 <= end {
                let word = UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self)
                guard Self.areEightDigits(word) else { break }
                mantissa = mantissa &* 100_000_000 &+ Self.valueOfEightDigits(word)
                digits += 8
                p += 8
            }
            while p < end, base[p] &- 0x30 < 10 {
                mantissa = mantissa &* 10 &+ UInt64(base[p] &- 0x30)
                digits += 1
                p += 1
            }
        }
        readDigits()
        let integerDigits = digits
        if p < end, base[p] == UInt8(ascii: ".") {
            p += 1
            readDigits()
        }
        let fractionDigits = digits - integerDigits
        guard digits > 0, digits <= 19, fractionDigits <= 22 else { return nil }
        if p < end {
            let c = base[p]
            if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") { return nil }
        }
        position = p
        let value = Double(mantissa) / JSONScanner.powerOfTen(fractionDigits)
        return negative ? -value : value
    }

    /// Whether each of the eight bytes of a little-endian word is an ASCII digit.
    @inline(__always)
    static func areEightDigits(_ word: UInt64) -> Bool {
        // High nibbles all 3, and adding 6 to each byte carries into none of them (byte ≤ '9').
        (word & 0xF0F0_F0F0_F0F0_F0F0) == 0x3030_3030_3030_3030
            && ((word &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) == 0x3030_3030_3030_3030
    }

    /// The number written by eight ASCII digits, first digit in the lowest byte (Lemire's SWAR
    /// conversion: pairs, then fours, then the eight).
    @inline(__always)
    static func valueOfEightDigits(_ word: UInt64) -> UInt64 {
        var v = word &- 0x3030_3030_3030_3030
        v = (v &* 10) &+ (v >> 8)
        let pairs = v & 0x00FF_00FF_00FF_00FF
        let low = (pairs & 0x0000_00FF_0000_00FF) &* (100 &+ (1_000_000 << 32))
        let high = ((pairs >> 16) & 0x0000_00FF_0000_00FF) &* (1 &+ (10_000 << 32))
        return (low &+ high) >> 32
    }

    /// 10^n for 0 ≤ n ≤ 22, exact: 10^n = 10^(n mod 8) · 10^(8·(n div 8)) with both factors
    /// exactly representable and their product ≤ 1e22 exactly representable too.
    @inline(__always)
    static func powerOfTen(_ n: Int) -> Double {
        let small: Double
        switch n & 7 {
        case 0: small = 1
        case 1: small = 1e1
        case 2: small = 1e2
        case 3: small = 1e3
        case 4: small = 1e4
        case 5: small = 1e5
        case 6: small = 1e6
        default: small = 1e7
        }
        switch n >> 3 {
        case 0: return small
        case 1: return small * 1e8
        default: return small * 1e16
        }
    }

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
        while true {
            // Eight bytes at a time: flag bytes equal to '"' or '\\' (the classic "has zero
            // byte" test on v XOR pattern; the lowest flagged byte is always a true match).
            while position + 8 <= end {
                let v = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
                let a = v ^ 0x2222_2222_2222_2222, b = v ^ 0x5C5C_5C5C_5C5C_5C5C
                let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
                let flags = ((a &- ones) & ~a | (b &- ones) & ~b) & highs
                if flags != 0 {
                    position += (UInt64(littleEndian: flags).trailingZeroBitCount) / 8
                    break
                }
                position += 8
            }
            guard position < end else { throw fail("unterminated string") }
            let c = base[position]
            if c == UInt8(ascii: "\"") {
                position += 1
                return (start, position - 1 - start, escaped)
            }
            if c == UInt8(ascii: "\\") { escaped = true; position += 2; continue }
            position += 1
        }
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
        default: try skipNumber()
        }
    }

    /// Skips a number without converting it: only its characters are checked.
    @inline(__always)
    mutating func skipNumber() throws {
        let start = position
        // Eight bytes at a time while a whole word of number characters follows.
        while position + 8 <= end {
            let word = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
            let others = Self.nonNumberBytes(word)
            if others != 0 {
                position += others.trailingZeroBitCount / 8
                break
            }
            position += 8
        }
        while position < end {
            let c = base[position]
            if (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: ".") || c == UInt8(ascii: "-")
                || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") || c == UInt8(ascii: "+") {
                position += 1
            } else {
                break
            }
        }
        if position == start { throw fail("expected a value") }
        if base[position - 1] == UInt8(ascii: "-"), position < end, base[position] == UInt8(ascii: "I") {
            try literal("Infinity")
        }
    }

    /// 0x80 in each byte of a little-endian word that is not a number character (a digit, '.',
    /// '-', '+', 'e' or 'E'), 0 in the others: the bytes `skipNumber` accepts, tested eight at
    /// a time. Exact for every byte (no borrow crosses bytes), so the lowest flagged byte is the
    /// number's end.
    @inline(__always)
    static func nonNumberBytes(_ word: UInt64) -> UInt64 {
        let highs: UInt64 = 0x8080_8080_8080_8080, lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let ascii = ~word & highs
        let low7 = word & lows
        // '+' (0x2B) ... '9' (0x39) in the low seven bits, then without ',' and '/'.
        let atLeastPlus = ((low7 | highs) &- 0x2B2B_2B2B_2B2B_2B2B) & highs
        let atMostNine = (0xB9B9_B9B9_B9B9_B9B9 &- low7) & highs
        let inRange = atLeastPlus & atMostNine & ascii
        let letterE = Self.zeroBytes((word | 0x2020_2020_2020_2020) ^ 0x6565_6565_6565_6565)
        let comma = Self.zeroBytes(word ^ 0x2C2C_2C2C_2C2C_2C2C)
        let slash = Self.zeroBytes(word ^ 0x2F2F_2F2F_2F2F_2F2F)
        let numberBytes = (inRange & ~comma & ~slash) | (letterE & ascii)
        return ~numberBytes & highs
    }

    /// 0x80 in each zero byte of `word`, 0 in the others (exact: no carry crosses bytes).
    @inline(__always)
    static func zeroBytes(_ word: UInt64) -> UInt64 {
        let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        return ~(((word & lows) &+ lows) | word | lows)
    }

    /// True when the raw bytes equal a literal's UTF-8.
    @inline(__always)
    func keyIs(_ start: Int, _ count: Int, _ literal: StaticString) -> Bool {
        count == literal.utf8CodeUnitCount && memcmp(base + start, literal.utf8Start, count) == 0
    }

    /// True when the raw key bytes equal `key`'s UTF-8.
    func keyEquals(_ start: Int, _ count: Int, _ key: [UInt8]) -> Bool {
        count == key.count && key.withUnsafeBufferPointer { memcmp(base + start, $0.baseAddress!, count) == 0 }
    }
}

/// Parses a whole JSON document (a file's bytes) into a tree.
func parseJSONDocument(_ data: Data) throws -> JSONNode {
    try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in try parseJSONDocument(raw.bindMemory(to: UInt8.self)) }
}

/// Parses a whole JSON document held in memory (a file's bytes; no base address when empty).
func parseJSONDocument(_ bytes: UnsafeBufferPointer<UInt8>) throws -> JSONNode {
    guard let base = bytes.baseAddress else { throw JSONSyntaxError(message: "the file is empty", offset: 0) }
    var scanner = JSONScanner(base: base, start: 0, end: bytes.count)
    let value = try scanner.parseValue()
    scanner.skipWhitespace()
    if scanner.position != scanner.end { throw scanner.fail("unexpected text after the JSON value") }
    return value
}

/// 1-based line and column of a byte offset.
func textPosition(in data: Data, offset: Int) -> (line: Int, column: Int) {
    var line = 1
    var column = 1
    for (i, byte) in data.enumerated() {
        if i >= offset { break }
        if byte == 0x0A { line += 1; column = 1 } else { column += 1 }
    }
    return (line, column)
}
