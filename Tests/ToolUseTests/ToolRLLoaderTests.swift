import Foundation
import XCTest
@testable import ToolUse

final class ToolRLLoaderTests: XCTestCase {
    /// A small fixture in both record styles, written as ToolRL's data writes it.
    private let fixture = #"""
    [
    {"instruction": "You are a helpful multi-turn dialogue assistant.\n\n**Available Tools**\nIn your response, you can use the following tools:\n1. Name: get_weather\nDescription: Weather for a city.\nParameters: {\"city\": {\"description\": \"City\", \"type\": \"string\"}, \"unit\": {\"description\": \"Unit\", \"type\": \"string\", \"default\": \"c\"}}\n2. Name: ping\nDescription: Check the service.\nParameters: {}\n\n**Steps for Each Turn**\n...", "input": "**Dialogue Records History**\n<user> Weather in Oslo and Rome? </user>", "output": "<think> I should use the appropriate tool with proper parameters to respond to the user's need. </think>\n<tool_call>\n{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Oslo\"}}\n{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Rome\"}}\n</tool_call>"},
    {"instruction": "You are a helpful assistant.", "input": "**Dialogue Records History**\n<user> Hi! </user>", "output": "<think> I should directly respond to the user's need. </think>\n<response> Hello! </response>"},
    {"messages": [{"role": "system", "content": "Tools:\n1. Name: add\nDescription: Add numbers.\nParameters: {\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"integer\"}, \"b\": {\"type\": \"number\"}}, \"required\": [\"a\"]}"}, {"role": "user", "content": "Add 2 and 3.5"}, {"role": "assistant", "content": "<think> I should use the appropriate tool with proper parameters to respond to the user's need. </think>\n<tool_call>\n{\"name\": \"add\", \"parameters\": {\"a\": 2, \"b\": 3.5}}\n</tool_call>"}]}
    ]
    """#

    func testFixtureLoadsInBothStyles() throws {
        let items = try ToolRLLoader.parse(fixture, source: "fixture.json", style: .compact)
        XCTAssertEqual(items.map(\.id), ["data-00000", "data-00001", "data-00002"])
        XCTAssertEqual(items[0].goldCalls.map(\.name), ["get_weather", "get_weather"])
        XCTAssertEqual(items[0].request, "Weather in Oslo and Rome?")
        XCTAssertEqual(items[0].tools.map(\.name), ["get_weather", "ping"])
        XCTAssertEqual(items[0].tools[0].parameters.map(\.isRequired), [true, false])
        XCTAssertEqual(items[0].tools[0].parameters[1].defaultValue, .string("c"))
        XCTAssertEqual(items[0].prompt, PromptRenderer.render(tools: items[0].tools, request: "Weather in Oslo and Rome?",
                                                              style: .compact))
        XCTAssertTrue(items[0].prompt.contains("get_weather(city: str, unit?: str) - Weather for a city.\nping() - Check the service."))
        // No readable tool list: the texts are used as written.
        XCTAssertEqual(items[1].prompt, PromptRenderer.frame(system: "You are a helpful assistant.",
                                                             user: "**Dialogue Records History**\n<user> Hi! </user>"))
        XCTAssertTrue(items[1].goldCalls.isEmpty)
        // Messages style with a full JSON schema.
        XCTAssertEqual(items[2].tools.first?.parameters.map(\.type), [.integer, .number])
        XCTAssertEqual(items[2].tools.first?.parameters.map(\.isRequired), [true, false])
        XCTAssertEqual(items[2].goldCalls.first?.parameters.map(\.1), [.integer(2), .double(3.5)])
        XCTAssertEqual(items[2].request, "Add 2 and 3.5")
        XCTAssertTrue(items[2].prompt.contains("Tools:\nadd(a: int, b?: float) - Add numbers.\n<|user|>\nAdd 2 and 3.5\n"))

        let verbatim = try ToolRLLoader.parse(fixture, source: "fixture.json", style: .toolrl)
        XCTAssertTrue(verbatim[0].prompt.hasPrefix("<|system|>\nYou are a helpful multi-turn dialogue assistant.\n\n**Available Tools**"))
        XCTAssertTrue(verbatim[0].prompt.hasSuffix("\n<|user|>\n**Dialogue Records History**\n<user> Weather in Oslo and Rome? </user>\n<|assistant|>\n"))
    }

    /// Generated items exported as ToolRL records and loaded back give the same prompts and golds.
    func testExportThenLoadRoundTrips() throws {
        let set = TaskGenerator.make(config: TaskConfig(preset: .tiny, maskNames: 0.3), seed: 6)
        let items = set.train + set.allEvaluationItems
        let path = NSTemporaryDirectory() + "ablate-toolrl-\(ProcessInfo.processInfo.processIdentifier).json"
        try ToolRLExport.document(items).write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        for style in PromptStyle.allCases {
            let generated = TaskGenerator.make(config: TaskConfig(preset: .tiny, maskNames: 0.3, promptStyle: style), seed: 6)
            let loaded = try ToolRLLoader.load(DataFileReference(path), style: style).items
            XCTAssertEqual(loaded.count, items.count)
            for (original, back) in zip(generated.train + generated.allEvaluationItems, loaded) {
                XCTAssertEqual(back.prompt, original.prompt, "\(style) \(original.id)")
                XCTAssertEqual(back.gold, original.gold, original.id)
                XCTAssertEqual(back.goldCalls, original.goldCalls, original.id)
            }
        }
    }

    func testMultiTurnHistoryIsFlattenedAndKept() throws {
        let record = #"""
        [{"messages": [
          {"role": "system", "content": "1. Name: ping\nDescription: Ping a host.\nParameters: {\"host\": {\"type\": \"string\"}}"},
          {"role": "user", "content": "Ping a.com"},
          {"role": "assistant", "content": "<think> x </think>\n<tool_call>\n{\"name\": \"ping\", \"parameters\": {\"host\": \"a.com\"}}\n</tool_call>"},
          {"role": "tool", "content": "{\"ok\": true}"},
          {"role": "user", "content": "And b.com?"},
          {"role": "assistant", "content": "<think> y </think>\n<tool_call>\n{\"name\": \"ping\", \"parameters\": {\"host\": \"b.com\"}}\n</tool_call>"}
        ]}]
        """#
        let item = try XCTUnwrap(ToolRLLoader.parse(record, source: "m", style: .compact).first)
        XCTAssertEqual(item.goldCalls.first?.parameter("host"), .string("b.com"))
        XCTAssertTrue(item.prompt.hasPrefix("<|system|>\nTools:\nping(host: str) - Ping a host.\n<|user|>\n**Dialogue Records History**\n<user> Ping a.com </user>\n"))
        XCTAssertTrue(item.prompt.contains("<obs> {\"ok\": true} </obs>"))
        XCTAssertTrue(item.prompt.hasSuffix("<user> And b.com? </user>\n<|assistant|>\n"))
    }

    func testUnreadableToolListFallsBackToTheTextsAsWritten() throws {
        let system = "1. Name: CancelRegistration\nDescription: Cancels it.\nParameters: {'appointment_id': {'type': 'str'}}"
        XCTAssertNil(ToolListReader.tools(inSystemPrompt: system), "Python-repr dicts are not JSON")
        let record = JSONValue.object([("instruction", .string(system)), ("input", .string("<user> Cancel 12 </user>")),
                                       ("output", .string("<think> a </think>\n<response> ok </response>"))])
        let item = try XCTUnwrap(ToolRLLoader.parse("[" + record.dumps() + "]", source: "r", style: .compact).first)
        XCTAssertEqual(item.prompt, PromptRenderer.frame(system: system, user: "<user> Cancel 12 </user>"))
    }

    func testBadRecordsNameTheRecordAndTheFix() {
        let missingOutput = #"[{"instruction": "s", "input": "i", "output": "<think> x </think>\n<response> y </response>"}, {"instruction": "s", "input": "i"}]"#
        assertError(missingOutput, contains: ["data.json:1:96: record 2:", "missing \"output\""])
        let badCall = #"[{"input": "i", "output": "<think> x </think>\n<tool_call>\n{\"name\": \"a\", \"parameters\": 3}\n</tool_call>"}]"#
        assertError(badCall, contains: ["record 1:", "\"parameters\" of a must be an object"])
        let noThink = #"[{"input": "i", "output": "<response> y </response>"}]"#
        assertError(noThink, contains: ["record 1:", "<think>"])
        let wrongType = #"[{"input": 5, "output": "o"}]"#
        assertError(wrongType, contains: ["record 1:", "\"input\" must be a string, found integer"])
        let jsonLines = "{\"input\": \"i\", \"output\": \"<think> a </think>\\n<response> b </response>\"}\n\n{\"input\": oops}\n"
        assertError(jsonLines, contains: ["data.json:3:", "invalid JSON", "one whole record object"])
        assertError("[{\"input\": ", contains: ["data.json:1:", "invalid JSON", "cut short"])
        XCTAssertThrowsError(try ToolRLLoader.load("/nonexistent/ablate.json", style: .compact)) { error in
            XCTAssertEqual("\(error)", "/nonexistent/ablate.json: no such file (looked for /nonexistent/ablate.json)")
        }
    }

    func testJSONLinesAndMakeOrLoad() throws {
        let lines = """
            {"input": "Hi", "output": "<think> a </think>\\n<response> b </response>"}
            {"input": "Yo", "output": "<think> a </think>\\n<response> c </response>"}
            """
        let items = try ToolRLLoader.parse(lines, source: "l", style: .compact)
        XCTAssertEqual(items.map(\.request), ["Hi", "Yo"])
        let path = NSTemporaryDirectory() + "ablate-lines-\(ProcessInfo.processInfo.processIdentifier).jsonl"
        try lines.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let set = try TaskGenerator.makeOrLoad(config: TaskConfig(data: DataFileReference(path)), seed: 0)
        XCTAssertEqual(set.train.count + set.allEvaluationItems.count, 2)
    }

    private func assertError(_ text: String, contains pieces: [String], line: UInt = #line) {
        XCTAssertThrowsError(try ToolRLLoader.parse(text, source: "data.json", style: .compact), line: line) { error in
            let message = "\(error)"
            for piece in pieces { XCTAssertTrue(message.contains(piece), "\(message) lacks \(piece)", line: line) }
        }
    }
}
