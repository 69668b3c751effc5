import XCTest
@testable import ToolUse

final class JSONWriterTests: XCTestCase {
    func testDumpsUsesPythonSeparators() throws {
        let value = try JSONValue.parse(#"{"name":"get_weather","parameters":{"city":"Paris","days":[1,2]}}"#)
        XCTAssertEqual(value.dumps(), #"{"name": "get_weather", "parameters": {"city": "Paris", "days": [1, 2]}}"#)
        XCTAssertEqual(JSONValue.array([]).dumps(), "[]")
        XCTAssertEqual(JSONValue.object([]).dumps(), "{}")
    }

    func testEnsureAsciiEscaping() {
        XCTAssertEqual(JSONValue.string("é中😀").dumps(), #""\u00e9\u4e2d\ud83d\ude00""#)
        XCTAssertEqual(JSONValue.string("a\"b\\c\n\t\u{1}\u{7F}").dumps(), #""a\"b\\c\n\t\u0001\u007f""#)
        XCTAssertEqual(JSONValue.string("/").dumps(), #""/""#)
    }

    func testFloatsAsPythonRepr() {
        let cases: [(Double, String)] = [
            (1.0, "1.0"), (-0.0, "-0.0"), (0.1, "0.1"), (1e16, "1e+16"), (1e15, "1000000000000000.0"),
            (0.0001, "0.0001"), (0.00001, "1e-05"), (1.5e-7, "1.5e-07"), (123456789012345678.0, "1.2345678901234568e+17"),
            (2.5, "2.5"), (-0.7142857142857144, "-0.7142857142857144"), (1.7999999999999998, "1.7999999999999998"),
            (.nan, "NaN"), (.infinity, "Infinity"), (-.infinity, "-Infinity"), (5e-324, "5e-324"), (1e100, "1e+100"),
            (123.456, "123.456"), (100.0, "100.0"),
        ]
        for (number, expected) in cases {
            XCTAssertEqual(JSONValue.double(number).dumps(), expected, "\(number)")
        }
    }

    func testWriteThenParseRoundTrips() throws {
        let text = #"{"a": [1, 2.5, "x\u00e9", null, true, {"b": -3e-07}], "c": {}}"#
        let value = try JSONValue.parse(text)
        XCTAssertEqual(value.dumps(), text)
        XCTAssertEqual(try JSONValue.parse(value.dumps()), value)
    }
}
