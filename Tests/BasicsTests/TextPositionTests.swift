import Basics
import XCTest

final class TextPositionTests: XCTestCase {
    func testLinesAndColumnsCountScalarsFromOne() {
        let bytes = Array("ab\nçé x\n".utf8)
        XCTAssertEqual(TextPosition(bytes, offset: 0), TextPosition(line: 1, column: 1))
        XCTAssertEqual(TextPosition(bytes, offset: 2), TextPosition(line: 1, column: 3))
        XCTAssertEqual(TextPosition(bytes, offset: 3), TextPosition(line: 2, column: 1))
        // "çé " is 5 bytes and 3 scalars: x is the 4th scalar of line 2.
        XCTAssertEqual(TextPosition(bytes, offset: 8), TextPosition(line: 2, column: 4))
        XCTAssertEqual(TextPosition(bytes, offset: 100), TextPosition(line: 3, column: 1), "past the end: the end")
        XCTAssertEqual(SourceLocation(file: "d.json", TextPosition(line: 2, column: 4)).description, "d.json:2:4")
    }
}
