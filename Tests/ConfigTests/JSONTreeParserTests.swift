import Basics
import XCTest
@testable import Config

final class JSONTreeParserTests: XCTestCase {
    func testLocationsCountColumnsAsTextPositionDoes() throws {
        let text = "{\"é\": \"ç\", \"k\": [1,\n  \"ü\", 2]}"
        let tree = try JSONTreeParser.parse(text, file: "c.json")
        func offset(of needle: String, after start: Int = 0) -> Int {
            let bytes = Array(text.utf8), pattern = Array(needle.utf8)
            return (start...(bytes.count - pattern.count)).first { Array(bytes[$0..<$0 + pattern.count]) == pattern }!
        }
        let k = offset(of: "\"k\"")
        XCTAssertEqual(tree.entry("k")?.keyLocation, SourceLocation(file: "c.json", TextPosition(Array(text.utf8), offset: k)))
        XCTAssertEqual(tree.entry("k")?.keyLocation?.column, 12, "é and ç are one column each")
        let two = offset(of: "2]")
        XCTAssertEqual(tree["k"]?.items?[2].location, SourceLocation(file: "c.json", TextPosition(Array(text.utf8), offset: two)))
        XCTAssertThrowsError(try JSONTreeParser.parse("{\"é\": x}", file: "e.json")) { error in
            XCTAssertEqual("\(error)", "e.json:1:7: error: invalid JSON: unexpected character")
        }
    }
}
