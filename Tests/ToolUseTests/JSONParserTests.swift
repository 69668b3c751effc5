import XCTest
@testable import ToolUse

final class JSONParserTests: XCTestCase {
    func testScalarsKeepIntegerAndDoubleApart() throws {
        XCTAssertEqual(try JSONValue.parse("1"), .integer(1))
        XCTAssertEqual(try JSONValue.parse("1.0"), .double(1.0))
        XCTAssertEqual(try JSONValue.parse("-0"), .integer(0))
        XCTAssertEqual(try JSONValue.parse("1e2"), .double(100))
        XCTAssertEqual(try JSONValue.parse("-2.5E-3"), .double(-0.0025))
        XCTAssertEqual(try JSONValue.parse(" true "), .bool(true))
        XCTAssertEqual(try JSONValue.parse("null"), .null)
        XCTAssertEqual(try JSONValue.parse("\"a\""), .string("a"))
        XCTAssertEqual(try JSONValue.parse("9223372036854775807"), .integer(Int.max))
        XCTAssertEqual(try JSONValue.parse("-9223372036854775808"), .integer(Int.min))
        XCTAssertEqual(try JSONValue.parse("9223372036854775808"), .double(9223372036854775808.0))
        XCTAssertEqual(try JSONValue.parse("1e400"), .double(.infinity))
    }

    func testPythonConstants() throws {
        guard case .double(let nan) = try JSONValue.parse("NaN") else { return XCTFail("NaN") }
        XCTAssertTrue(nan.isNaN)
        XCTAssertEqual(try JSONValue.parse("Infinity"), .double(.infinity))
        XCTAssertEqual(try JSONValue.parse("[-Infinity]"), .array([.double(-.infinity)]))
    }

    func testObjectsKeepOrderAndMergeDuplicatesLikePython() throws {
        let value = try JSONValue.parse(#"{"b": 1, "a": 2, "b": 3}"#)
        guard case .object(let pairs) = value else { return XCTFail("not an object") }
        XCTAssertEqual(pairs.map(\.0), ["b", "a"])
        XCTAssertEqual(pairs.map(\.1), [.integer(3), .integer(2)])
        // Many keys switch to a table; the rule must not change.
        let many = "{" + (0..<40).map { "\"k\($0 % 20)\": \($0)" }.joined(separator: ", ") + "}"
        guard case .object(let big) = try JSONValue.parse(many) else { return XCTFail("not an object") }
        XCTAssertEqual(big.count, 20)
        XCTAssertEqual(big[0].0, "k0")
        XCTAssertEqual(big[0].1, .integer(20))
    }

    func testEscapesAndSurrogates() throws {
        XCTAssertEqual(try JSONValue.parse(#""a\"\\\/\b\f\n\r\t""#), .string("a\"\\/\u{8}\u{C}\n\r\t"))
        XCTAssertEqual(try JSONValue.parse(#""\u00e9\u4e2d""#), .string("é中"))
        XCTAssertEqual(try JSONValue.parse(#""\ud83d\ude00""#), .string("😀"))
        XCTAssertEqual(try JSONValue.parse(#""\ud800""#), .string("\u{FFFD}"))
        XCTAssertEqual(try JSONValue.parse(#""\udc00x""#), .string("\u{FFFD}x"))
        XCTAssertEqual(try JSONValue.parse(#""\ud800\u0041""#), .string("\u{FFFD}A"))
    }

    func testRejectsWhatPythonRejects() {
        let bad = [
            "", " ", "01", "1.", ".5", "-", "+1", "[1,]", "{\"a\":1,}", "{'a': 1}", "[1 2]",
            "\"a\nb\"", "\"tab\there\"", "\"\\x\"", "\"\\u12\"", "\"open", "nul", "True", "nan",
            "1 2", "{\"a\" 1}", "{1: 2}", "[", "{", "\u{FEFF}1", "\u{A0}1",
        ]
        for text in bad {
            XCTAssertThrowsError(try JSONValue.parse(text), "accepted \(text.debugDescription)")
        }
    }

    func testErrorsCarryPosition() {
        do {
            _ = try JSONValue.parse("{\"a\": 1,\n \"b\": }")
            XCTFail("accepted")
        } catch let error as JSONParseError {
            XCTAssertEqual(error.message, "Expecting value")
            XCTAssertEqual(error.line, 2)
            XCTAssertEqual(error.column, 7)
            XCTAssertEqual(error.offset, 15)
        } catch {
            XCTFail("wrong error \(error)")
        }
        XCTAssertThrowsError(try JSONValue.parse("\"é\u{1}\"")) { error in
            XCTAssertEqual((error as? JSONParseError)?.message, "Invalid control character at")
            XCTAssertEqual((error as? JSONParseError)?.column, 3)
        }
    }

    func testDeepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        XCTAssertThrowsError(try JSONValue.parse(deep))
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        XCTAssertNoThrow(try JSONValue.parse(fine))
    }

    func testCodableRoundTrip() throws {
        let value = try JSONValue.parse(#"{"a": [1, 2.5, "x", null, true], "b": {"c": -3}}"#)
        let data = try JSONEncoder().encode(value)
        let back = try JSONDecoder().decode(JSONValue.self, from: data)
        XCTAssertTrue(back.pythonEquals(value))
        XCTAssertEqual(back["a"], value["a"])
    }
}
