import XCTest
@testable import ToolUse

final class ParserTests: XCTestCase {
    func testWellFormedCompletion() {
        let text = """
        <think> I should call two tools. </think>
        <tool_call>
        {"name": "A", "parameters": {"x": 1, "y": "b"}}
        {"name": "B", "parameters": {}}
        </tool_call>
        <response> Done. </response>
        """
        let parsed = CompletionParser.parse(text)
        XCTAssertEqual(parsed.blocks, [.think, .toolCall, .response])
        XCTAssertFalse(parsed.hasStrayText)
        XCTAssertEqual(parsed.think, " I should call two tools. ")
        XCTAssertEqual(parsed.response, " Done. ")
        XCTAssertEqual(parsed.calls.map(\.name), ["A", "B"])
        XCTAssertEqual(parsed.calls[0].parameter("x"), .integer(1))
        XCTAssertTrue(parsed.errors.isEmpty)
        XCTAssertTrue(parsed.hasValidCalls)
        XCTAssertTrue(parsed.isWellFormed)
        for tag in CompletionTag.allCases { XCTAssertEqual(parsed.tagCounts[tag], 1, tag.text) }
    }

    func testBadLinesAreReportedWithTheirLine() {
        let text = """
        <think>x</think>
        <tool_call>
        {"name": "A", "parameters": {"x": 1}}

        {"name": "B", "parameters": {"x": 1}
        ["not", "an", "object"]
        {"parameters": {}}
        {"name": 3, "parameters": {}}
        {"name": "C"}
        {"name": "D", "parameters": []}
        </tool_call>
        """
        let parsed = CompletionParser.parse(text)
        XCTAssertEqual(parsed.calls.map(\.name), ["A"])
        XCTAssertEqual(parsed.errors.map(\.line), [5, 6, 7, 8, 9, 10])
        XCTAssertTrue(parsed.errors.allSatisfy { $0.kind == .toolCall })
        XCTAssertTrue(parsed.errors[0].message.hasPrefix("invalid JSON"), parsed.errors[0].message)
        XCTAssertFalse(parsed.hasValidCalls)
        XCTAssertFalse(parsed.isWellFormed)
        XCTAssertEqual(parsed.callValues.count, 6)
    }

    func testUnclosedAndStrayText() {
        let truncated = CompletionParser.parse("<think>a</think>\n<tool_call>\n{\"name\": \"A\", \"param")
        XCTAssertNil(truncated.toolCallBlock)
        XCTAssertEqual(truncated.blocks, [.think, .toolCall])
        XCTAssertEqual(truncated.errors.first?.kind, .structure)
        XCTAssertEqual(truncated.errors.first?.line, 2)
        XCTAssertFalse(truncated.hasValidCalls)

        let stray = CompletionParser.parse("Sure! <think>a</think> trailing words")
        XCTAssertTrue(stray.hasStrayText)
        XCTAssertFalse(stray.isWellFormed)
        XCTAssertTrue(CompletionParser.parse(" <think>a</think>\n\n<response>b</response> ").isWellFormed)
        XCTAssertFalse(CompletionParser.parse("<think>a</think>").isWellFormed)
        XCTAssertFalse(CompletionParser.parse("<think>a</think><response>b</response><response>c</response>").isWellFormed)
        XCTAssertEqual(stray.blocks, [.think])
        XCTAssertEqual(stray.think, "a")

        let none = CompletionParser.parse("")
        XCTAssertTrue(none.blocks.isEmpty)
        XCTAssertNil(none.think)
        XCTAssertFalse(none.hasStrayText)
    }

    func testTagsInsideThinkAreOpaque() {
        let parsed = CompletionParser.parse("<think>maybe <tool_call> here</think>\n<response>ok</response>")
        XCTAssertEqual(parsed.blocks, [.think, .response])
        XCTAssertNil(parsed.toolCallBlock)
        XCTAssertEqual(parsed.tagCounts[.toolCallOpen], 1)
        XCTAssertEqual(parsed.tagCounts[.toolCallClose], 0)
    }

    func testPythonWordCountAndStrip() {
        XCTAssertEqual(PythonText.wordCount("a\u{A0}b\u{3000}c\u{2028}d\u{85}e\u{1F}f\u{200B}g  "), 6)
        XCTAssertEqual(PythonText.strip("\u{A0}\r\n x y \u{1C}"), "x y")
        XCTAssertEqual(PythonText.strip("\u{200B}x"), "\u{200B}x")
        XCTAssertEqual(PythonText.wordCount(""), 0)
    }
}
