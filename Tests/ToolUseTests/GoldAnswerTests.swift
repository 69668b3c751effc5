import XCTest
@testable import ToolUse

/// Every generated gold answer is valid ToolRL output whose calls fit the listed tools' schemas.
final class GoldAnswerTests: XCTestCase {
    func testRenderedLayouts() {
        let call = ToolCall(name: "get_forecast", parameters: [("city", .string("Paris")), ("days", .integer(3))])
        XCTAssertEqual(GoldAnswer.render(calls: [call, call], response: nil), """
            <think> I should use the appropriate tool with proper parameters to respond to the user's need. </think>
            <tool_call>
            {"name": "get_forecast", "parameters": {"city": "Paris", "days": 3}}
            {"name": "get_forecast", "parameters": {"city": "Paris", "days": 3}}
            </tool_call>
            """)
        XCTAssertEqual(GoldAnswer.render(calls: [], response: "Hello!"),
                       "<think> I should directly respond to the user's need. </think>\n<response> Hello! </response>")
        XCTAssertTrue(GoldAnswer.render(calls: [call], response: "Done.").hasSuffix("</tool_call>\n<response> Done. </response>"))
    }

    func testGeneratedGoldsParseAndValidate() {
        let configs = [
            TaskConfig(preset: .tiny, catalog: .main, maskNames: 0.5, evalSize: 20),
            TaskConfig(preset: .tiny, catalog: .pretraining, maskNames: 0.5, promptStyle: .toolrl, evalSize: 20),
        ]
        var seenNumber = false
        for config in configs {
            let set = TaskGenerator.make(config: config, seed: 11)
            for item in set.train + set.allEvaluationItems {
                let parsed = CompletionParser.parse(item.gold)
                XCTAssertTrue(parsed.errors.isEmpty, "\(item.id): \(parsed.errors)")
                XCTAssertFalse(parsed.hasStrayText, item.id)
                XCTAssertTrue(ToolRLFormat.matches(item.gold, layout: AnswerLayout(gold: item.gold)), item.id)
                XCTAssertEqual(parsed.calls, item.goldCalls, item.id)
                let thought = item.goldCalls.isEmpty ? GoldAnswer.responseThought : GoldAnswer.callThought
                XCTAssertEqual(parsed.think, " " + thought + " ", item.id)
                for call in item.goldCalls {
                    guard let tool = item.tools.first(where: { $0.name == call.name }) else {
                        XCTFail("\(item.id): \(call.name) is not listed"); continue
                    }
                    XCTAssertEqual(tool.problems(with: call), [], item.id)
                    if case .double? = call.parameters.first(where: { tool.parameter(named: $0.0)?.type == .number })?.1 {
                        seenNumber = true
                    }
                }
            }
        }
        XCTAssertTrue(seenNumber, "number parameters are written as floats")
    }

    func testSchemaValidationCatchesProblems() {
        let tool = ToolCatalog.main.definition(named: "get_forecast")!
        XCTAssertEqual(tool.problems(with: ToolCall(name: "get_forecast", parameters: [("city", .string("Oslo")), ("days", .integer(2))])), [])
        XCTAssertEqual(tool.problems(with: ToolCall(name: "get_forecast", parameters: [("city", .string("Oslo"))])).count, 1)
        XCTAssertEqual(tool.problems(with: ToolCall(name: "get_forecast", parameters: [
            ("city", .string("Oslo")), ("days", .string("2")), ("unit", .string("kelvin")), ("extra", .null),
        ])).count, 3)
        XCTAssertTrue(ParameterType.number.accepts(.integer(3)))
        XCTAssertFalse(ParameterType.integer.accepts(.double(3)))
        XCTAssertFalse(ParameterType.number.accepts(.bool(true)))
        XCTAssertTrue(ParameterType.array(.string).accepts(.array([.string("a")])))
        XCTAssertFalse(ParameterType.array(.string).accepts(.array([.integer(1)])))
    }
}
