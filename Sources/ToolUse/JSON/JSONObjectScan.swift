import Foundation

/// The top-level fields of a JSON object, located in the text without building their values:
/// for callers that need a few fields of long lines (`ablate score` reads two strings of a few
/// KB per line). `JSONValue.scanObject` accepts exactly what `JSONValue.parse` accepts, except
/// that it declines (returns nil) the unusual cases a caller should hand to `parse` instead:
/// a top-level value that is not an object, a key with an escape or a non-ASCII byte, a key
/// that appears twice, and any text `parse` rejects.
public struct JSONObjectScan: Sendable {
    public struct Field: Sendable {
        /// The key's bytes (between the quotes; plain ASCII).
        public var key: Range<Int>
        /// The value's bytes; for a string, between the quotes and still escaped.
        public var value: Range<Int>
        public var isString: Bool
        /// A string of ASCII bytes whose only escapes are the two-character ones (`\n`, `\"`,
        /// …, no `\u`): `JSONValue.decodeSimpleString` decodes it to the bytes `parse` gives.
        public var isSimpleString: Bool
        /// The string has exactly the bytes of the scan's `knownSimpleString`.
        public var isKnownString = false
    }

    public var fields: [Field] = []

    /// The field whose key is `name`.
    public func field(_ name: StaticString, in bytes: UnsafeBufferPointer<UInt8>) -> Field? {
        let count = name.utf8CodeUnitCount
        return fields.first { field in
            field.key.count == count && (0..<count).allSatisfy { bytes[field.key.lowerBound + $0] == name.utf8Start[$0] }
        }
    }
}

extension JSONValue {
    /// The fields of `bytes` when it is a JSON object `parse` accepts and none of the declined
    /// cases applies (see `JSONObjectScan`); nil otherwise.
    ///
    /// `knownSimpleString`: the bytes between the quotes of a simple string the caller saw in an
    /// earlier scan (the previous line's gold answer); a string value with exactly these bytes
    /// is taken without being checked again (its escapes, and so its end, are the same).
    public static func scanObject(utf8 bytes: UnsafeBufferPointer<UInt8>,
                                  knownSimpleString: UnsafeBufferPointer<UInt8>? = nil) -> JSONObjectScan? {
        var parser = JSONByteParser(bytes: bytes)
        return try? parser.scanObjectDocument(knownSimpleString: knownSimpleString)
    }

    /// Writes the bytes of a simple string field (`JSONObjectScan.Field.isSimpleString`) to
    /// `out`, which has room for `raw.count` bytes; returns how many it wrote.
    public static func decodeSimpleString(_ raw: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) -> Int {
        guard let base = raw.baseAddress else { return 0 }
        var index = 0, written = 0
        while index < raw.count {
            let backslash = firstBackslash(base, from: index, to: raw.count)
            (out + written).update(from: base + index, count: backslash - index)
            written += backslash - index
            guard backslash + 1 < raw.count else { return written }
            switch raw[backslash + 1] {
            case UInt8(ascii: "b"): out[written] = 0x08
            case UInt8(ascii: "f"): out[written] = 0x0C
            case UInt8(ascii: "n"): out[written] = 0x0A
            case UInt8(ascii: "r"): out[written] = 0x0D
            case UInt8(ascii: "t"): out[written] = 0x09
            case let other: out[written] = other   // \" \\ \/
            }
            written += 1
            index = backslash + 2
        }
        return written
    }

    /// The first backslash in base[start..<end], or `end` (eight bytes per step, as
    /// `JSONByteParser.plainRunEnd`; the escapes are a few bytes apart, too close for memchr).
    @inline(__always)
    static func firstBackslash(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int {
        var index = start
        let ones: UInt64 = 0x0101_0101_0101_0101
        while index + 8 <= end {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)) ^ (ones &* 0x5C)
            let flagged = (word &- ones) & ~word & 0x8080_8080_8080_8080
            if flagged != 0 { return index + flagged.trailingZeroBitCount >> 3 }
            index += 8
        }
        while index < end, base[index] != UInt8(ascii: "\\") { index += 1 }
        return index
    }
}

/// Thrown inside the scan for every case it declines; never escapes `scanObject`.
private struct Declined: Error {}

extension JSONByteParser {
    mutating func scanObjectDocument(knownSimpleString known: UnsafeBufferPointer<UInt8>?) throws -> JSONObjectScan {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { throw Declined() }
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "{") else { throw Declined() }
        try enterNesting(at: position)
        position += 1
        var scan = JSONObjectScan()
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
        } else {
            while true {
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw Declined() }
                let (key, keyIsSimple) = try skipString()
                guard keyIsSimple, !bytes[key].contains(UInt8(ascii: "\\")) else { throw Declined() }
                for field in scan.fields where bytes[field.key].elementsEqual(bytes[key]) { throw Declined() }
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw Declined() }
                position += 1
                skipWhitespace()
                if let known, let knownBase = known.baseAddress, position + known.count + 1 < bytes.count,
                   bytes[position + known.count + 1] == UInt8(ascii: "\""), bytes[position] == UInt8(ascii: "\""),
                   memcmp(bytes.baseAddress! + position + 1, knownBase, known.count) == 0 {
                    let start = position + 1
                    position = start + known.count + 1
                    scan.fields.append(.init(key: key, value: start..<(start + known.count), isString: true, isSimpleString: true,
                                             isKnownString: true))
                } else if position < bytes.count, bytes[position] == UInt8(ascii: "\"") {
                    let (value, isSimple) = try skipString()
                    scan.fields.append(.init(key: key, value: value, isString: true, isSimpleString: isSimple))
                } else {
                    let start = position
                    _ = try parseValue()
                    scan.fields.append(.init(key: key, value: start..<position, isString: false, isSimpleString: false))
                }
                skipWhitespace()
                guard position < bytes.count else { throw Declined() }
                if bytes[position] == UInt8(ascii: "}") { position += 1; break }
                guard bytes[position] == UInt8(ascii: ",") else { throw Declined() }
                position += 1
                skipWhitespace()
            }
        }
        depth -= 1
        skipWhitespace()
        guard position == bytes.count else { throw Declined() }
        return scan
    }

    /// Validates a string as `parseString` would, from its opening quote, without building it;
    /// returns the bytes between the quotes and whether the string is simple (ASCII, no `\u`).
    mutating func skipString() throws -> (Range<Int>, isSimple: Bool) {
        position += 1
        let contentStart = position
        var isSimple = true
        var high: UInt64 = 0   // OR of the bytes seen: non-ASCII when a top bit is set
        while true {
            position = plainRunEnd(from: position, orInto: &high)
            guard position < bytes.count, bytes[position] >= 0x20 else { throw Declined() }
            if bytes[position] == UInt8(ascii: "\"") { break }
            // A backslash: a two-character escape, or \u with four hex digits.
            guard position + 1 < bytes.count else { throw Declined() }
            switch bytes[position + 1] {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                 UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                position += 2
            case UInt8(ascii: "u"):
                guard hexQuad(at: position + 2) != nil else { throw Declined() }
                isSimple = false
                position += 6
            default:
                throw Declined()
            }
        }
        let content = contentStart..<position
        position += 1
        return (content, isSimple && high & 0x8080_8080_8080_8080 == 0)
    }
}
