import XCTest
@testable import Basics

/// The one JSON text rule every hand-written JSON file follows.
final class JSONTextTests: XCTestCase {
    func testNumbersAreIntegersBelow2To53AndShortestOtherwise() {
        XCTAssertEqual(JSONText.number(1.0), "1")
        XCTAssertEqual(JSONText.number(-0.0), "0")
        XCTAssertEqual(JSONText.number(1e15), "1000000000000000")
        XCTAssertEqual(JSONText.number(9_007_199_254_740_991), "9007199254740991")
        XCTAssertEqual(JSONText.number(9_007_199_254_740_992), "9007199254740992.0")
        XCTAssertEqual(JSONText.number(0.001), "0.001")
        XCTAssertEqual(JSONText.number(1e-5), "1e-05")
        XCTAssertNil(JSONText.number(.nan))
        XCTAssertNil(JSONText.number(-.infinity))
        XCTAssertEqual(JSONText.numberOrNull(.infinity), "null")
    }

    func testStringsEscapeQuotesBackslashesAndControlCharacters() {
        XCTAssertEqual(JSONText.quoted("plain é"), "\"plain é\"")
        XCTAssertEqual(JSONText.quoted("a\"b\\c"), #""a\"b\\c""#)
        XCTAssertEqual(JSONText.quoted("\n\r\t\u{08}\u{0C}\u{01}"), #""\n\r\t\b\f\u0001""#)
    }

    func testWriterKeepsKeyOrderAndSeparators() {
        let writer = JSONTextWriter()
        writer.object {
            writer.key("z"); writer.number(2.5)
            writer.key("a"); writer.array([1.0, .nan]) { writer.number($0) }
            writer.key("s"); writer.optionalString(nil)
            writer.key("b"); writer.bool(true)
        }
        XCTAssertEqual(writer.text, #"{"z": 2.5, "a": [1, null], "s": null, "b": true}"#)
    }
}

final class SplitMix64Tests: XCTestCase {
    func testKnownOutputsAndMix() {
        var random = SplitMix64(seed: 0)
        // The reference implementation's first outputs for seed 0.
        XCTAssertEqual(random.next(), 0xE220_A839_7B1D_CDAF)
        XCTAssertEqual(random.next(), 0x6E78_9E6A_A1B9_65F4)
        XCTAssertEqual(SplitMix64.mix(0), 0xE220_A839_7B1D_CDAF)
        var seeded = SeededRandom(seed: 0)
        XCTAssertEqual(seeded.next(), 0xE220_A839_7B1D_CDAF)
    }
}
