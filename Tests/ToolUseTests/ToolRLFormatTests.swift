import XCTest
@testable import ToolUse

/// The four format patterns of docs/rewards.md, "Format".
final class ToolRLFormatTests: XCTestCase {
    func testLayoutFromGold() {
        XCTAssertEqual(AnswerLayout(gold: "<think> a </think>\n<response> b </response>"), .responseOnly)
        XCTAssertEqual(AnswerLayout(gold: "<think> a </think>\n<tool_call>\n{}\n</tool_call>"), .toolCallOnly)
        XCTAssertEqual(AnswerLayout(gold: "<think>a</think>\n<tool_call>\nx\n</tool_call>\n<response>b</response>"),
                       .toolCallAndResponse)
        XCTAssertEqual(AnswerLayout(gold: "<think> a </think>"), .neither)
    }

    func testPatterns() {
        let cases: [(String, AnswerLayout, Bool)] = [
            ("<think> a </think>\n<response> b </response>", .responseOnly, true),
            ("  <think> a </think>\n<response> b </response>\n", .responseOnly, true),  // stripped first
            ("<think> a </think>\n\n<response> b </response>", .responseOnly, false),  // one \n only
            ("<think> a </think>\n<response> b </response> c", .responseOnly, false),
            ("<think> a </think>\n<response> b </response><response></response>", .responseOnly, false),
            ("<think></think>\n<tool_call>\nx\n</tool_call>", .toolCallOnly, true),
            ("<think></think>\n<tool_call>\n\n</tool_call>", .toolCallOnly, true),  // .*? may be empty
            ("<think></think>\n<tool_call>\n</tool_call>", .toolCallOnly, false),  // pieces may not overlap
            ("<think></think>\n<tool_call>x\n</tool_call>", .toolCallOnly, false),
            ("<think></think>\n<tool_call>\nx\n</tool_call>\n<response>r</response>", .toolCallOnly, false),
            ("<think> a </think> more </think>\n<tool_call>\nx\n</tool_call>", .toolCallOnly, true),  // lazy, not greedy
            ("<think>a</think>\n<tool_call>\nx\n</tool_call>\n<response>r</response>", .toolCallAndResponse, true),
            ("<think>a</think>\n<tool_call>\nx\n</tool_call>", .toolCallAndResponse, false),
            ("<think>a</think>\n<response>r</response>\n<tool_call>\nx\n</tool_call>", .toolCallAndResponse, false),
            ("<think> a </think>", .neither, true),
            ("<think> a </think>\n<response> b </response>", .neither, false),
            ("<think>", .neither, false),
            ("<think></think>", .neither, true),
            ("", .responseOnly, false),
        ]
        for (index, entry) in cases.enumerated() {
            XCTAssertEqual(ToolRLFormat.matches(entry.0, layout: entry.1), entry.2, "case \(index): \(entry.0.debugDescription)")
        }
    }
}
