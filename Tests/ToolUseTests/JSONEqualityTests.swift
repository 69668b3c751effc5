import XCTest
@testable import ToolUse

final class JSONEqualityTests: XCTestCase {
    func value(_ text: String) -> JSONValue { try! JSONValue.parse(text) }

    func testPythonEqualityOfNumbersAndBooleans() {
        XCTAssertTrue(value("1").pythonEquals(value("1.0")))
        XCTAssertTrue(value("1").pythonEquals(value("true")))
        XCTAssertTrue(value("1.0").pythonEquals(value("true")))
        XCTAssertTrue(value("0").pythonEquals(value("false")))
        XCTAssertTrue(value("false").pythonEquals(value("-0.0")))
        XCTAssertTrue(value("1e2").pythonEquals(value("100")))
        XCTAssertTrue(value("0.10000000000000001").pythonEquals(value("0.1")))
        XCTAssertFalse(value("\"1\"").pythonEquals(value("1")))
        XCTAssertFalse(value("null").pythonEquals(value("0")))
        XCTAssertFalse(value("null").pythonEquals(value("false")))
        XCTAssertTrue(value("null").pythonEquals(value("null")))
        XCTAssertFalse(value("9007199254740993").pythonEquals(value("9007199254740992.0")))
        XCTAssertFalse(value("2").pythonEquals(value("true")))
    }

    func testPythonEqualityOfContainers() {
        XCTAssertTrue(value("[1, 2]").pythonEquals(value("[1.0, 2]")))
        XCTAssertFalse(value("[1, 2]").pythonEquals(value("[2, 1]")))
        XCTAssertTrue(value(#"{"a": 1, "b": [true]}"#).pythonEquals(value(#"{"b": [1], "a": 1.0}"#)))
        XCTAssertFalse(value(#"{"a": 1}"#).pythonEquals(value(#"{"a": 1, "b": 2}"#)))
        XCTAssertFalse(value(#"{"a": 1}"#).pythonEquals(value(#"[1]"#)))
        // Code points, not canonical equivalence: NFC "é" != NFD "e\u0301".
        XCTAssertFalse(value("\"\u{E9}\"").pythonEquals(value("\"e\u{301}\"")))
        XCTAssertFalse(JSONValue.string("\u{E9}") == .string("e\u{301}"))
    }

    func testNaNFollowsPythonIdentityRules() {
        XCTAssertFalse(value("NaN").pythonEquals(value("NaN")))
        XCTAssertTrue(value("[NaN]").pythonEquals(value("[NaN]")))
        XCTAssertTrue(value(#"{"x": NaN}"#).pythonEquals(value(#"{"x": NaN}"#)))
        XCTAssertFalse(value("[NaN]").strictEquals(value("[NaN]")))
    }

    func testStrictEqualityKeepsBooleansApart() {
        XCTAssertTrue(value("1").strictEquals(value("1.0")))
        XCTAssertFalse(value("1").strictEquals(value("true")))
        XCTAssertFalse(value("0").strictEquals(value("false")))
        XCTAssertTrue(value("true").strictEquals(value("true")))
        XCTAssertFalse(value("\"1\"").strictEquals(value("1")))
        XCTAssertTrue(value(#"{"a": [1, {"b": false}]}"#).strictEquals(value(#"{"a": [1.0, {"b": false}]}"#)))
        XCTAssertFalse(value(#"{"a": [1, {"b": false}]}"#).strictEquals(value(#"{"a": [1.0, {"b": 0}]}"#)))
    }

    func testRepresentationEqualityIsOrderSensitive() {
        XCTAssertNotEqual(value(#"{"a": 1, "b": 2}"#), value(#"{"b": 2, "a": 1}"#))
        XCTAssertNotEqual(value("1"), value("1.0"))
        XCTAssertEqual(value(#"{"a": [1, "x"]}"#), value(#"{ "a" : [ 1 , "x" ] }"#))
    }
}
