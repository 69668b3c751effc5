import Foundation
import XCTest
@testable import Basics
@testable import RunStore

/// The fast JSON reader: numbers as the standard library reads them, escapes, errors.
final class JSONScannerTests: XCTestCase {
    func testScannerHandlesEscapesExponentsAndPythonNaN() throws {
        let node = try JSONNode.parse(Data(#"{"s": "a\"b\u00e9\ud83d\ude00", "x": [1e-3, -2.5E+2, NaN, -Infinity, 12345678901234567890]}"#.utf8))
        XCTAssertEqual(node["s"]?.stringValue, "a\"bé😀")
        let xs = try XCTUnwrap(node["x"]?.arrayValue).compactMap(\.doubleValue)
        XCTAssertEqual(xs[0], 0.001)
        XCTAssertEqual(xs[1], -250)
        XCTAssertTrue(xs[2].isNaN)
        XCTAssertEqual(xs[3], -.infinity)
        XCTAssertEqual(xs[4], Double("12345678901234567890"))
        // The fast path agrees with Double(String) on short decimals.
        for text in ["0.1", "0.30000000000000004", "123.456", "-0.000123", "0.8128329581890011"] {
            XCTAssertEqual(try JSONNode.parse(Data(text.utf8)).doubleValue, Double(text), text)
        }
    }
}

final class NumberParsingTests: XCTestCase {
    /// Up to 15 significant digits the fast path is correctly rounded (equal to Double(String));
    /// 16–19 digits are within one ulp.
    func testNumbersAgreeWithTheStandardLibrary() throws {
        var state: UInt64 = 12345
        for i in 0..<5000 {
            state = SplitMix64.mix(state)
            let x = Double(bitPattern: (state >> 12) | 0x3FF0_0000_0000_0000) - 1 // [0, 1)
            let scaled = x * pow(10, Double(i % 7) - 3)
            for text in ["\(scaled)", String(format: "%.6f", scaled), String(format: "%.15g", -scaled)] {
                let parsed = try XCTUnwrap(JSONNode.parse(Data(text.utf8)).doubleValue)
                let expected = try XCTUnwrap(Double(text))
                let significant = text.filter(\.isNumber).drop { $0 == "0" }.count
                if significant <= 15 && !text.contains("e") {
                    XCTAssertEqual(parsed, expected, text)
                } else {
                    XCTAssertLessThanOrEqual(abs(parsed - expected), expected.ulp.magnitude, text)
                }
            }
        }
        XCTAssertEqual(try JSONNode.parse(Data("1e22".utf8)).doubleValue, 1e22)
        XCTAssertEqual(try JSONNode.parse(Data("0.0000000000000000000001".utf8)).doubleValue, 1e-22)
    }

    /// Plain decimals (digits read eight at a time) give exactly the documented value, the
    /// digits as an integer over a power of ten, for every count of digits on each side of the
    /// point up to 19 in all, next to any following character.
    func testPlainDecimalsAreTheirDigitsOverAPowerOfTen() throws {
        var state: UInt64 = 99
        for total in 1...19 {
            for fraction in 0...total {
                state = SplitMix64.mix(state)
                let digits = String(String(state).prefix(total)).padding(toLength: total, withPad: "7", startingAt: 0)
                let integer = digits.prefix(total - fraction), decimals = digits.suffix(fraction)
                let text = "-" + integer + (fraction > 0 ? "." + decimals : "")
                let expected = -(Double(UInt64(digits)!) / pow(10, Double(fraction)))
                for next in ["", "]", ",1"] {
                    let node = try JSONNode.parse(Data(("[" + text + next + (next == "" ? "]" : next == "]" ? "" : "]")).utf8))
                    let parsed = try XCTUnwrap(node.arrayValue?.first?.doubleValue, text + next)
                    XCTAssertEqual(parsed.bitPattern, expected.bitPattern, text + next)
                }
            }
        }
    }
}

final class StringScanningTests: XCTestCase {
    /// Strings of every length around the 8-byte scanning blocks, with quotes and backslashes
    /// at every position, read back exactly.
    func testStringsAtEveryAlignment() throws {
        for length in 0..<20 {
            for special in [nil, "\\\"", "\\\\", "\\n"] as [String?] {
                for at in 0...length {
                    var body = String(repeating: "k", count: length)
                    if let special { body.insert(contentsOf: special, at: body.index(body.startIndex, offsetBy: at)) }
                    let text = "{\"" + body + "\": 1, \"z\": \"" + body + "\"}"
                    let node = try JSONNode.parse(Data(text.utf8))
                    let expected = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
                    XCTAssertEqual(node["z"]?.stringValue, expected["z"] as? String, text)
                    XCTAssertEqual(node.objectValue?.first?.0, expected.keys.first { $0 != "z" }, text)
                }
            }
        }
        XCTAssertThrowsError(try JSONNode.parse(Data("\"abcdefghijk".utf8)))
        XCTAssertThrowsError(try JSONNode.parse(Data("\"abc\\".utf8)))
    }
}
