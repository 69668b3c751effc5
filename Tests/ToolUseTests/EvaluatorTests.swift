import XCTest
@testable import ToolUse

/// Metrics on hand-made completions.
final class EvaluatorTests: XCTestCase {
    private let think = "<think> I should use the appropriate tool with proper parameters to respond to the user's need. </think>"

    private func item(_ calls: [ToolCall], response: String? = nil) -> TaskItem {
        TaskItem(id: "t", split: .seen, prompt: "p", gold: GoldAnswer.render(calls: calls, response: response),
                 goldCalls: calls, request: "r", tools: [], isMasked: false)
    }

    private let a = ToolCall(name: "A", parameters: [("x", .integer(1)), ("y", .string("b"))])
    private let b = ToolCall(name: "B", parameters: [("z", .integer(3))])

    private func completion(_ lines: [String]) -> String {
        think + "\n<tool_call>\n" + lines.joined(separator: "\n") + "\n</tool_call>"
    }

    func testPerCompletionVerdicts() {
        let gold = item([a, b])
        let cases: [(String, exact: Bool, names: Bool, format: Bool)] = [
            (gold.gold, true, true, true),
            (completion([#"{"name": "B", "parameters": {"z": 3}}"#, #"{"name": "A", "parameters": {"y": "b", "x": 1}}"#]),
             true, true, true),  // reordered calls and keys
            (completion([#"{"name": "A", "parameters": {"x": 1.0, "y": "b"}}"#, #"{"name": "B", "parameters": {"z": 3}}"#]),
             true, true, true),  // 1.0 equals 1
            (completion([#"{"name": "A", "parameters": {"x": "1", "y": "b"}}"#, #"{"name": "B", "parameters": {"z": 3}}"#]),
             false, true, true),  // "1" is not 1
            (completion([#"{"name": "A", "parameters": {"x": true, "y": "b"}}"#, #"{"name": "B", "parameters": {"z": 3}}"#]),
             false, true, true),  // true is not 1 for evaluation
            (completion([#"{"name": "A", "parameters": {"x": 2, "y": "b"}}"#, #"{"name": "B", "parameters": {"z": 3}}"#]),
             false, true, true),  // wrong value
            (completion([#"{"name": "A", "parameters": {"x": 1, "y": "b"}}"#]), false, false, true),  // missing call
            (completion([#"{"name": "A", "parameters": {"x": 1, "y": "b"}}"#, #"{"name": "B", "parameters": {"z": 3}}"#,
                         #"{"name": "B", "parameters": {"z": 3}}"#]), false, false, true),  // extra call
            (completion([#"{"name": "A", "parameters": {"x": 1, "y": "b"}}"#, #"{"name": "B", "parameters": {"z": 3}}"#, "oops"]),
             false, true, true),  // a bad line spoils exactness
            ("<tool_call>\n" + #"{"name": "A", "parameters": {"x": 1, "y": "b"}}"# + "\n" + #"{"name": "B", "parameters": {"z": 3}}"#
             + "\n</tool_call>", true, true, false),  // no <think>: right calls, wrong format
            (gold.gold + "\n<response> done </response>", true, true, false),  // response not in the gold layout
            ("I think you want A and B.", false, false, false),  // garbage
            ("", false, false, false),
        ]
        for (index, entry) in cases.enumerated() {
            let verdict = Evaluator.judge(item: gold, completion: entry.0)
            XCTAssertEqual(verdict.exact, entry.exact, "case \(index): exact")
            XCTAssertEqual(verdict.namesMatch, entry.names, "case \(index): names")
            XCTAssertEqual(verdict.formatValid, entry.format, "case \(index): format")
        }
    }

    func testNoCallItems() {
        let gold = item([], response: "Sorry.")
        let respond = "<think> I should directly respond to the user's need. </think>\n<response> Nope. </response>"
        let verdict = Evaluator.judge(item: gold, completion: respond)
        XCTAssertTrue(verdict.exact && verdict.namesMatch && verdict.formatValid && !verdict.madeCall)
        let called = Evaluator.judge(item: gold, completion: completion([#"{"name": "B", "parameters": {"z": 3}}"#]))
        XCTAssertTrue(called.madeCall)
        XCTAssertFalse(called.exact)
        XCTAssertFalse(called.formatValid)
        XCTAssertTrue(Evaluator.judge(item: gold, completion: "<think> x </think>\n<tool_call>\n\n</tool_call>").madeCall,
                      "an empty <tool_call> block is still a call attempt")
    }

    func testAggregateMetrics() {
        let items = [item([a, b]), item([a]), item([], response: "No."), item([], response: "No.")]
        let completions = [
            items[0].gold,  // right
            completion([#"{"name": "A", "parameters": {"x": 9, "y": "b"}}"#]),  // wrong value, right name
            "<think> one two three </think>\n<response> No. </response>",  // right: no call
            completion([#"{"name": "B", "parameters": {"z": 3}}"#]),  // called when nothing fits
        ]
        let metrics = Evaluator.evaluate(items: items, completions: completions)
        XCTAssertEqual(metrics["count"], 4)
        XCTAssertEqual(metrics["accuracy"], 0.5)
        XCTAssertEqual(metrics["tool_name_accuracy"], 0.75)
        XCTAssertEqual(metrics["format_validity"], 0.75)
        XCTAssertEqual(metrics["irrelevance_accuracy"], 0.5)
        let thoughtWords = Double(PythonText.wordCount(" " + GoldAnswer.callThought + " "))
        XCTAssertEqual(metrics["reasoning_length"]!, (thoughtWords * 3 + 3) / 4, accuracy: 1e-12)

        // Error classes: one wrong value, one extra call; the other two are right.
        XCTAssertEqual(metrics["errors.wrong_value"], 1)
        XCTAssertEqual(metrics["errors.wrong_count"], 1)
        for error in CallError.allCases where error != .wrongValue && error != .wrongCount {
            XCTAssertEqual(metrics["errors.\(error.rawValue)"], 0, error.rawValue)
        }

        let callsOnly = Evaluator.evaluate(items: [items[0]], completions: ["garbage"])
        XCTAssertEqual(callsOnly["errors.bad_format"], 1)
        XCTAssertNil(callsOnly["irrelevance_accuracy"], "undefined without no-call items")
        XCTAssertEqual(callsOnly["reasoning_length"], 0)
        XCTAssertEqual(Evaluator.evaluate(items: [], completions: []), ["count": 0])
    }

    func testGoldAnswersScorePerfectly() {
        let set = TaskGenerator.make(config: TaskConfig(preset: .tiny, maskNames: 0.5), seed: 13)
        for split in TaskSplit.evaluationSplits where split != .noCall {
            let items = set.evaluation[split]!
            let metrics = Evaluator.evaluate(items: items, completions: items.map(\.gold))
            XCTAssertEqual(metrics["accuracy"], 1, "\(split)")
            XCTAssertEqual(metrics["format_validity"], 1, "\(split)")
            XCTAssertEqual(metrics["tool_name_accuracy"], 1, "\(split)")
            for error in CallError.allCases { XCTAssertEqual(metrics["errors.\(error.rawValue)"], 0, "\(split) \(error)") }
        }
        XCTAssertEqual(Evaluator.evaluate(items: set.evaluation[.irrelevant]!,
                                          completions: set.evaluation[.irrelevant]!.map(\.gold))["irrelevance_accuracy"], 1)
    }
}
