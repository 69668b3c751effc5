import XCTest
@testable import ToolUse

/// FC-RewardBench error classes on hand-written completions.
final class CallErrorTests: XCTestCase {
    private let think = "<think> I should call tools. </think>"
    private let search = ToolCall(name: "search", parameters: [("query", .string("cats")), ("limit", .integer(5))])
    private let weather = ToolCall(name: "weather", parameters: [("city", .string("Oslo"))])

    private func classify(_ lines: [String], gold: [ToolCall]) -> CallError? {
        let text = think + "\n<tool_call>\n" + lines.joined(separator: "\n") + "\n</tool_call>"
        return CallError.classify(CompletionParser.parse(text), gold: gold) { $0.strictEquals($1) }
    }

    func testEachClass() {
        let gold = [search, weather]
        let right = #"{"name": "search", "parameters": {"query": "cats", "limit": 5}}"#
        let oslo = #"{"name": "weather", "parameters": {"city": "Oslo"}}"#
        XCTAssertNil(classify([oslo, right], gold: gold), "perfect, calls reordered")
        XCTAssertNil(classify([#"{"name": "search", "parameters": {"limit": 5.0, "query": "cats"}}"#, oslo], gold: gold))
        XCTAssertEqual(classify([right, #"{"name": "forecast", "parameters": {"city": "Oslo"}}"#], gold: gold), .wrongName)
        XCTAssertEqual(classify([right], gold: gold), .wrongCount, "a missing call")
        XCTAssertEqual(classify([right, oslo, oslo], gold: gold), .wrongCount, "an extra call")
        XCTAssertEqual(classify([#"{"name": "search", "parameters": {"query": "cats"}}"#, oslo], gold: gold), .missingParameter)
        XCTAssertEqual(classify([#"{"name": "search", "parameters": {"query": "cats", "limit": 5, "safe": true}}"#, oslo], gold: gold),
                       .unexpectedParameter)
        XCTAssertEqual(classify([#"{"name": "search", "parameters": {"query": "cats", "limit": "5"}}"#, oslo], gold: gold), .wrongType)
        XCTAssertEqual(classify([#"{"name": "search", "parameters": {"query": "dogs", "limit": 5}}"#, oslo], gold: gold), .wrongValue)
        // Several problems: the most severe wins (missing parameter before wrong value).
        XCTAssertEqual(classify([#"{"name": "search", "parameters": {"query": "dogs", "limit": 5}}"#,
                                 #"{"name": "weather", "parameters": {}}"#], gold: gold), .missingParameter)
    }

    func testBadFormat() {
        let gold = [weather]
        let call = #"{"name": "weather", "parameters": {"city": "Oslo"}}"#
        let parse = { (text: String) in CallError.classify(CompletionParser.parse(text), gold: gold) { $0.strictEquals($1) } }
        XCTAssertEqual(parse("<tool_call>\n" + call + "\n</tool_call>"), .badFormat, "no <think>")
        XCTAssertEqual(parse(think + "\n<tool_call>\n" + call + "\n</tool_call> thanks"), .badFormat, "stray text")
        XCTAssertEqual(parse(think + "\n<tool_call>\n" + call + "\nnot json\n</tool_call>"), .badFormat, "a bad call line")
        XCTAssertEqual(parse(think + "\n<tool_call>\n" + call), .badFormat, "never closed")
        XCTAssertEqual(parse("Oslo weather"), .badFormat)
    }

    /// No call wanted: a response is right, any call is a wrong count; a response where a call was
    /// wanted is a wrong count too (well formed, zero calls).
    func testNoCallGoldAndResponseOnlyAnswers() {
        let respond = think + "\n<response> It is sunny. </response>"
        XCTAssertNil(CallError.classify(CompletionParser.parse(respond), gold: []) { $0.strictEquals($1) })
        XCTAssertEqual(classify([#"{"name": "weather", "parameters": {"city": "Oslo"}}"#], gold: []), .wrongCount)
        XCTAssertEqual(CallError.classify(CompletionParser.parse(respond), gold: [weather]) { $0.strictEquals($1) }, .wrongCount)
    }

    /// Two calls to the same tool pair so that each finds its own gold call.
    func testSameNameCallsPairByLeastSevereDifference() {
        let a = ToolCall(name: "weather", parameters: [("city", .string("Oslo"))])
        let b = ToolCall(name: "weather", parameters: [("city", .string("Rome"))])
        XCTAssertNil(classify([#"{"name": "weather", "parameters": {"city": "Rome"}}"#,
                               #"{"name": "weather", "parameters": {"city": "Oslo"}}"#], gold: [a, b]))
        XCTAssertEqual(classify([#"{"name": "weather", "parameters": {"city": "Rome"}}"#,
                                 #"{"name": "weather", "parameters": {"city": "Paris"}}"#], gold: [a, b]), .wrongValue)
    }
}
