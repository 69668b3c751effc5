import Basics
import Foundation
import TestSupport
import XCTest
@testable import ToolUse

/// Every accepted data format loads to the same items and is named in the load line; damaged and
/// foreign files are refused at the line:column of the damage.
final class DataFormatTests: XCTestCase {
    func load(_ name: String, style: PromptStyle = .compact) throws -> LoadedFile {
        try ToolRLLoader.load(DataFileReference(try DataFixtures.path(name)), style: style)
    }

    func testEveryFormatLoadsTheSameItems() throws {
        let expected: [String: (RecordStyle, DataContainer)] = [
            "toolrl-raw.json": (.toolrl, .jsonArray), "toolrl-raw.jsonl": (.toolrl, .jsonLines),
            "messages.jsonl": (.messages, .jsonLines), "verl-rows.jsonl": (.verl, .jsonLines),
        ]
        let reference = try load("toolrl-raw.json")
        XCTAssertEqual(reference.items.count, 5)
        XCTAssertEqual(reference.items[0].prompt, """
            <|system|>
            Tools:
            tide_times(harbour: str, date: str, units?: str) - Tide times for a harbour on a date.
            ferry_departures(port: str, limit?: int, operator?: str) - Ferry departures from a port.
            <|user|>
            When are the tides in Bergen and Stavanger on 2025-06-01?
            <|assistant|>

            """)
        XCTAssertEqual(reference.items[0].goldCalls.map(\.name), ["tide_times", "tide_times"])
        for style in PromptStyle.allCases {
            let base = try load("toolrl-raw.json", style: style)
            for name in DataFixtures.formats {
                let loaded = try load(name, style: style)
                XCTAssertEqual(loaded.styles.map(\.0), [expected[name]!.0], name)
                XCTAssertEqual(loaded.styles.map(\.1), [5], name)
                XCTAssertEqual(loaded.container, expected[name]!.1, name)
                XCTAssertEqual(loaded.items.map(\.prompt), base.items.map(\.prompt), "\(name) \(style)")
                XCTAssertEqual(loaded.items.map(\.gold), base.items.map(\.gold), name)
                XCTAssertEqual(loaded.items.map(\.goldCalls), base.items.map(\.goldCalls), name)
                XCTAssertEqual(loaded.items.map(\.isFollowUp), [false, false, true, false, false], name)
            }
        }
    }

    func testTheLoadLineNamesTheFormatThePromptsAndTheSplits() throws {
        let names = [
            "toolrl-raw.json": "ToolRL raw records (instruction/input/output) in a JSON array",
            "toolrl-raw.jsonl": "ToolRL raw records (instruction/input/output) in JSON lines",
            "messages.jsonl": "OpenAI-style messages in JSON lines",
            "verl-rows.jsonl": "veRL rows (prompt, reward_model.ground_truth, extra_info) in JSON lines",
        ]
        for (name, format) in names {
            let path = try DataFixtures.path(name)
            let task = try ToolRLLoader.loadTask(config: TaskConfig(data: DataFileReference(path), dataEvalFraction: 0.4), seed: 3)
            XCTAssertEqual(task.logLines.count, 1)
            XCTAssertTrue(task.logLines[0].hasPrefix("data \(path): 5 records, \(format); "
                                                     + "prompts: 4 compact from parsed tool lists, 1 as written (tool list not readable); "
                                                     + "train 3, eval 2 ("), task.logLines[0])
            XCTAssertTrue(task.logLines[0].hasSuffix("; data_eval_fraction 0.4)"), task.logLines[0])
        }
        let verbatim = try ToolRLLoader.loadTask(
            config: TaskConfig(promptStyle: .toolrl, data: DataFileReference(try DataFixtures.path("verl-rows.jsonl"))), seed: 0)
        XCTAssertTrue(verbatim.logLines[0].contains("; prompts: 5 as written (prompt_style toolrl); train 4, eval 1 ("),
                      verbatim.logLines[0])
    }

    func testAByteOrderMarkIsSkippedAndNamed() throws {
        let directory = TemporaryDirectory("data")
        let path = directory.path + "/bom.json"
        try Data([0xEF, 0xBB, 0xBF] + DataFixtures.bytes("toolrl-raw.json")).write(to: URL(fileURLWithPath: path))
        let loaded = try ToolRLLoader.load(DataFileReference(path), style: .compact)
        XCTAssertTrue(loaded.hadByteOrderMark)
        XCTAssertEqual(loaded.items.map(\.prompt), try load("toolrl-raw.json").items.map(\.prompt))
        let task = try ToolRLLoader.loadTask(config: TaskConfig(data: DataFileReference(path)), seed: 0)
        XCTAssertTrue(task.logLines[0].contains("in a JSON array (UTF-8 byte-order mark skipped);"), task.logLines[0])
    }

    func testForeignFormatsAreNamedWithTheFix() {
        assertError(Array("PAR1".utf8) + [0, 0, 0, 0], file: "data/train.parquet", equals:
            "data/train.parquet: this is a Parquet file (it starts with the magic bytes PAR1), which Ablate does not read; "
            + "convert it to JSON lines once, in its directory: python3 -c \"import pandas as pd; "
            + "pd.read_parquet('train.parquet').to_json('train.jsonl', orient='records', lines=True, force_ascii=False)\" "
            + "and name train.jsonl instead")
        assertError([0x1F, 0x8B, 8, 0], file: "d.json.gz", equals: "d.json.gz: this is a gzip-compressed file; decompress it (gunzip) and name the result")
        assertError([0xFF, 0xFE, 0x5B, 0], file: "d.json", equals: "d.json: this is UTF-16 text (it starts with a UTF-16 byte-order mark); save it as UTF-8")
        assertError(Array(" \n\t".utf8), file: "d.json", equals: "d.json: the file is empty; expected a JSON array of records or JSON lines")
        assertError(Array("\n  <xml/>".utf8), file: "d.json", equals:
            "d.json:2:3: expected a JSON array of records ('[') or JSON lines (one '{…}' record per line), found '<'")
    }

    /// Cut short, a trailing comma, a bad byte deep in the file, a broken delimiter: each is
    /// reported at its own line and column, never as a JSON-lines error at 1:2.
    func testDamagedArraysAreReportedWhereTheyAreDamaged() throws {
        let good = try DataFixtures.bytes("toolrl-raw.json")
        let text = String(decoding: good, as: UTF8.self)

        // Cut after record 2's closing brace and comma: the text ends where a value is expected.
        let secondEnd = try XCTUnwrap(text.range(of: "\n    },\n", options: [], range: text.range(of: "ferry_departures\\\", \\\"parameters")!.upperBound..<text.endIndex))
        let cut = Array(text[..<secondEnd.upperBound].utf8)
        assertError(cut, file: "cut.json", at: position(of: cut.count, in: cut),
                    contains: "invalid JSON in a JSON array of records: Expecting value (the text ends before the value is closed: is the file cut short?)")

        // Cut inside a string: reported at the string's start.
        let insideString = Array(good[..<(good.count / 2)])
        let lastQuote = try XCTUnwrap(Self.openingQuote(in: insideString))
        assertError(insideString, file: "cut.json", at: position(of: lastQuote, in: insideString),
                    contains: "Unterminated string starting at this line:column (the text ends inside this string: is the file cut short?)")

        // A trailing comma after the last record.
        let closing = try XCTUnwrap(text.range(of: "}\n]", options: .backwards))
        let trailing = Array((text[..<closing.lowerBound] + "},\n]\n").utf8)
        assertError(trailing, file: "t.json", at: position(of: trailing.count - 2, in: trailing),
                    contains: "Expecting value (a trailing comma before ']'? JSON allows none)")

        // One byte that is not UTF-8, three quarters into the file.
        var badByte = good
        let deep = good.count * 3 / 4
        badByte[deep] = 0xFF
        assertError(badByte, file: "b.json", at: position(of: deep, in: badByte), contains: "invalid UTF-8 (byte 0xFF); the file must be UTF-8 text")

        // One ASCII byte changed: a ':' after a key of the last record.
        let colon = try XCTUnwrap(text.range(of: "\"output\":", options: .backwards)).upperBound
        var broken = good
        let offset = text.utf8.distance(from: text.utf8.startIndex, to: colon) - 1
        broken[offset] = UInt8(ascii: ";")
        assertError(broken, file: "c.json", at: position(of: offset, in: broken), contains: "Expecting ':' delimiter")
    }

    func testRecordErrorsNameTheRecordAndWhereItStarts() throws {
        // Record 4 of the array without its "output": located at the record's opening brace.
        let text = String(decoding: try DataFixtures.bytes("toolrl-raw.json"), as: UTF8.self)
        let fourth = try XCTUnwrap(text.range(of: "Book me a table"))
        let outputKey = try XCTUnwrap(text.range(of: ",\n        \"output\"", range: fourth.upperBound..<text.endIndex))
        let outputEnd = try XCTUnwrap(text.range(of: "\n    }", range: outputKey.upperBound..<text.endIndex))
        let damaged = Array((text[..<outputKey.lowerBound] + text[outputEnd.lowerBound...]).utf8)
        let start = try XCTUnwrap(DataDocument.arrayElementPosition(damaged, number: 4))
        XCTAssertEqual(start.column, 5, "4-space indent")
        assertError(damaged, file: "r.json", at: start, contains:
            "record 4: missing \"output\" (the gold answer); expected instruction/input/output, messages, or a veRL row")

        // JSON lines: a damaged line is reported at its line, the column within it.
        var lines = String(decoding: try DataFixtures.bytes("verl-rows.jsonl"), as: UTF8.self).split(separator: "\n").map(String.init)
        lines[2] = String(lines[2].dropLast())
        assertError(Array(lines.joined(separator: "\n").utf8), file: "v.jsonl", at: TextPosition(line: 3, column: lines[2].count + 1),
                    contains: "invalid JSON in a JSON-lines file: Expecting ',' delimiter")
        // A veRL row without its ground truth.
        lines = String(decoding: try DataFixtures.bytes("verl-rows.jsonl"), as: UTF8.self).split(separator: "\n").map(String.init)
        lines[1] = lines[1].replacingOccurrences(of: "\"ground_truth\"", with: "\"truth\"")
        assertError(Array(lines.joined(separator: "\n").utf8), file: "v.jsonl", at: TextPosition(line: 2, column: 1),
                    contains: "record 2: \"reward_model\" has no \"ground_truth\" (the gold answer)")
    }

    // MARK: Helpers

    /// Line and column of byte `offset`, counted here independently of the loader.
    func position(of offset: Int, in bytes: [UInt8]) -> TextPosition {
        let before = bytes[..<offset]
        let line = before.filter { $0 == 0x0A }.count + 1
        let lineStart = (before.lastIndex(of: 0x0A) ?? -1) + 1
        let column = String(decoding: bytes[lineStart..<offset], as: UTF8.self).unicodeScalars.count + 1
        return TextPosition(line: line, column: column)
    }

    /// The offset of the quote that opens the string a truncated JSON text ends in.
    static func openingQuote(in bytes: [UInt8]) -> Int? {
        var open: Int? = nil
        var escaped = false
        for (offset, byte) in bytes.enumerated() {
            if escaped { escaped = false; continue }
            if byte == UInt8(ascii: "\\"), open != nil { escaped = true; continue }
            if byte == UInt8(ascii: "\"") { open = open == nil ? offset : nil }
        }
        return open
    }

    func assertError(_ bytes: [UInt8], file: String, at place: TextPosition, contains message: String, line: UInt = #line) {
        XCTAssertThrowsError(try ToolRLLoader.read(bytes, file: file, style: .compact, idPrefix: "data"), line: line) { error in
            guard let error = error as? DataFileError else { return XCTFail("\(error)", line: line) }
            XCTAssertEqual(error.file, file, line: line)
            XCTAssertEqual(error.location, SourceLocation(file: file, place), "\(error)", line: line)
            XCTAssertTrue(error.message.contains(message), "\(error.message) lacks \(message)", line: line)
        }
    }

    func assertError(_ bytes: [UInt8], file: String, equals description: String, line: UInt = #line) {
        XCTAssertThrowsError(try ToolRLLoader.read(bytes, file: file, style: .compact, idPrefix: "data"), line: line) { error in
            XCTAssertEqual("\(error)", description, line: line)
        }
    }
}
