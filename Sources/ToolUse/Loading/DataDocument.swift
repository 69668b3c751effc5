// A data file's bytes read into JSON records, each with where it starts, so that every problem is
// reported at the file's own line:column.
//
// The layout is decided from the first bytes, never by trying one parser after another (a
// damaged array must be reported where it is damaged, not as a JSON-lines error at 1:2):
// - `[` first: one JSON array of records;
// - `{` first and the first line is a whole JSON value: JSON lines (one record per line, blank
//   lines skipped);
// - `{` first otherwise: one (pretty-printed) record object.
// A UTF-8 byte-order mark is skipped (and reported in the load line). UTF-16 text, gzip and
// Parquet files are named as such, and invalid UTF-8 is reported at its line:column.

import Basics
import Foundation

/// A data file that cannot be used: the file, where in it (when known) and what to do.
public struct DataFileError: Error, CustomStringConvertible, Sendable {
    /// The file as named in the config.
    public var file: String
    /// Where the damage is, when it has one place.
    public var location: SourceLocation?
    public var message: String

    init(file: String, at position: TextPosition? = nil, _ message: String) {
        self.file = file
        self.location = position.map { SourceLocation(file: file, $0) }
        self.message = message
    }

    /// `file:line:column: message` (or `file: message`).
    public var description: String { "\(location?.description ?? file): \(message)" }
}

/// The outer layout of a data file.
enum DataContainer: String, Sendable {
    case jsonArray = "JSON array"
    case jsonLines = "JSON lines"
    case singleObject = "single JSON object"

    /// `in a JSON array`, `in JSON lines`, …, for the load line.
    var phrase: String { self == .jsonLines ? "in JSON lines" : "in a " + rawValue }
}

/// One record and where it starts.
struct LocatedRecord {
    var value: JSONValue
    /// 1-based position of the record in the file.
    var number: Int
    /// Where the record starts; nil for array elements until asked for (`arrayElementPosition`).
    var position: TextPosition?
}

/// A data file read into records.
struct DataDocument {
    var container: DataContainer
    var records: [LocatedRecord]
    var hadByteOrderMark: Bool

    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Reads `bytes`; `file` names the file in errors (and in the Parquet conversion hint).
    static func read(_ bytes: [UInt8], file: String) throws -> DataDocument {
        try refuseForeignFormats(bytes, file: file)
        let hadByteOrderMark = bytes.starts(with: byteOrderMark)
        let body = hadByteOrderMark ? Array(bytes.dropFirst(3)) : bytes
        if String(validating: body, as: UTF8.self) == nil {
            let offset = firstInvalidUTF8(body)
            let position = TextPosition(body, offset: offset)
            throw DataFileError(file: file, at: position,
                                "invalid UTF-8 (byte 0x\(String(body[offset], radix: 16, uppercase: true))); the file must be UTF-8 text")
        }
        return try body.withUnsafeBufferPointer { buffer in
            guard let first = (0..<buffer.count).first(where: { !isJSONWhitespace(buffer[$0]) }) else {
                throw DataFileError(file: file, "the file is empty; expected a JSON array of records or JSON lines")
            }
            switch buffer[first] {
            case UInt8(ascii: "["):
                return DataDocument(container: .jsonArray, records: try readArray(buffer, file: file),
                                    hadByteOrderMark: hadByteOrderMark)
            case UInt8(ascii: "{"):
                if let lines = try readLinesIfFirstLineIsWhole(buffer, from: first, file: file) {
                    return DataDocument(container: .jsonLines, records: lines, hadByteOrderMark: hadByteOrderMark)
                }
                let value = try parseWhole(buffer, file: file, what: "JSON record")
                let position = TextPosition(buffer, offset: first)
                return DataDocument(container: .singleObject,
                                    records: [LocatedRecord(value: value, number: 1, position: position)],
                                    hadByteOrderMark: hadByteOrderMark)
            default:
                let position = TextPosition(buffer, offset: first)
                let found = Character(Unicode.Scalar(buffer[first]))
                throw DataFileError(file: file, at: position,
                                    "expected a JSON array of records ('[') or JSON lines (one '{…}' record per line), found '\(found)'")
            }
        }
    }

    /// Files that are not JSON text at all, named by their magic bytes.
    static func refuseForeignFormats(_ bytes: [UInt8], file: String) throws {
        if bytes.starts(with: Array("PAR1".utf8)) {
            let name = (file as NSString).lastPathComponent
            let stem = (name as NSString).deletingPathExtension
            throw DataFileError(file: file, """
                this is a Parquet file (it starts with the magic bytes PAR1), which Ablate does not read; \
                convert it to JSON lines once, in its directory: python3 -c "import pandas as pd; \
                pd.read_parquet('\(name)').to_json('\(stem).jsonl', orient='records', lines=True, force_ascii=False)" \
                and name \(stem).jsonl instead
                """)
        }
        if bytes.starts(with: [0x1F, 0x8B]) {
            throw DataFileError(file: file, "this is a gzip-compressed file; decompress it (gunzip) and name the result")
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw DataFileError(file: file, "this is UTF-16 text (it starts with a UTF-16 byte-order mark); save it as UTF-8")
        }
    }

    // MARK: Containers

    static func readArray(_ buffer: UnsafeBufferPointer<UInt8>, file: String) throws -> [LocatedRecord] {
        guard case .array(let values) = try parseWhole(buffer, file: file, what: "JSON array of records") else {
            preconditionFailure("a document starting with '[' parses as an array")
        }
        // Element positions cost a second pass, so they are found only when a record needs one.
        return values.enumerated().map { LocatedRecord(value: $1, number: $0 + 1, position: nil) }
    }

    /// JSON lines when the first non-blank line is a whole JSON value on its own; nil otherwise.
    static func readLinesIfFirstLineIsWhole(_ buffer: UnsafeBufferPointer<UInt8>, from first: Int,
                                            file: String) throws -> [LocatedRecord]? {
        let firstEnd = (first..<buffer.count).first { buffer[$0] == 0x0A } ?? buffer.count
        guard (try? JSONValue.parse(utf8: UnsafeBufferPointer(rebasing: buffer[first..<firstEnd]))) != nil else { return nil }
        var records: [LocatedRecord] = []
        var start = 0
        var lineNumber = 0
        while start < buffer.count {
            lineNumber += 1
            let end = (start..<buffer.count).first { buffer[$0] == 0x0A } ?? buffer.count
            let line = UnsafeBufferPointer(rebasing: buffer[start..<end])
            if let content = (0..<line.count).first(where: { !isJSONWhitespace(line[$0]) }) {
                do {
                    let value = try JSONValue.parse(utf8: line)
                    let column = TextPosition(line, offset: content).column
                    records.append(LocatedRecord(value: value, number: records.count + 1,
                                                 position: TextPosition(line: lineNumber, column: column)))
                } catch let error as JSONParseError {
                    throw DataFileError(file: file, at: TextPosition(line: lineNumber, column: error.column),
                                        "invalid JSON in a JSON-lines file: \(error.message)\(hint(for: error, in: line)); "
                                            + "each line must hold one whole record object")
                }
            }
            start = end + 1
        }
        return records
    }

    static func parseWhole(_ buffer: UnsafeBufferPointer<UInt8>, file: String, what: String) throws -> JSONValue {
        do {
            return try JSONValue.parse(utf8: buffer)
        } catch let error as JSONParseError {
            throw DataFileError(file: file, at: TextPosition(line: error.line, column: error.column),
                                "invalid JSON in a \(what): \(error.message)\(hint(for: error, in: buffer))")
        }
    }

    /// What most likely went wrong, for the usual kinds of damage.
    static func hint(for error: JSONParseError, in buffer: UnsafeBufferPointer<UInt8>) -> String {
        if error.message.hasPrefix("Unterminated string") {
            return " this line:column (the text ends inside this string: is the file cut short?)"
        }
        if error.offset >= buffer.count || (error.offset..<buffer.count).allSatisfy({ isJSONWhitespace(buffer[$0]) }) {
            return " (the text ends before the value is closed: is the file cut short?)"
        }
        let before = (0..<min(error.offset, buffer.count)).reversed().first { !isJSONWhitespace(buffer[$0]) }
        if let before, buffer[before] == UInt8(ascii: ","),
           [UInt8(ascii: "]"), UInt8(ascii: "}")].contains(buffer[error.offset]) {
            return " (a trailing comma before '\(Character(Unicode.Scalar(buffer[error.offset])))'? JSON allows none)"
        }
        if error.message == "Extra data" {
            return " (more than one JSON value: a JSON array needs '[' … ']' around its records, JSON lines one record per line)"
        }
        return ""
    }

    // MARK: Positions

    /// The line and column where top-level element `number` (1-based) of a JSON array starts.
    static func arrayElementPosition(_ bytes: [UInt8], number: Int) -> TextPosition? {
        let body = bytes.starts(with: byteOrderMark) ? Array(bytes.dropFirst(3)) : bytes
        return body.withUnsafeBufferPointer { buffer -> TextPosition? in
            var depth = 0
            var inString = false
            var escaped = false
            var seen = 0
            var expectingElement = false
            for offset in 0..<buffer.count {
                let byte = buffer[offset]
                if inString {
                    if escaped {
                        escaped = false
                    } else if byte == UInt8(ascii: "\\") {
                        escaped = true
                    } else if byte == UInt8(ascii: "\"") {
                        inString = false
                    }
                    continue
                }
                if expectingElement, !isJSONWhitespace(byte), byte != UInt8(ascii: "]") {
                    expectingElement = false
                    seen += 1
                    if seen == number { return TextPosition(buffer, offset: offset) }
                }
                switch byte {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    depth += 1
                    if depth == 1 { expectingElement = true }
                case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
                case UInt8(ascii: ","): if depth == 1 { expectingElement = true }
                default: break
                }
            }
            return nil
        }
    }

    static func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// Offset of the first byte that does not start or continue a valid UTF-8 sequence.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int {
        var offset = 0
        while offset < bytes.count {
            let lead = bytes[offset]
            let length: Int
            switch lead {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return offset
            }
            guard offset + length <= bytes.count,
                  String(validating: bytes[offset..<(offset + length)], as: UTF8.self) != nil else { return offset }
            offset += length
        }
        return max(0, bytes.count - 1)
    }
}
