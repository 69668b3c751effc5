import XCTest
@testable import ToolUse

/// Real schemas read back: required vs optional by the documented rules, types parsed, and the
/// descriptions kept by `compact_described`.
final class ToolListReaderTests: XCTestCase {
    func parameters(_ json: String) throws -> [ToolParameter] {
        try XCTUnwrap(ToolListReader.parameters(try JSONValue.parse(json)))
    }

    func testToolRLsDefaultConvention() throws {
        // Every parameter carries `default`; "" means none (required); a value is an optional
        // parameter's default; null is an optional parameter without one (Ablate's own export).
        let read = try parameters(#"""
            {"harbour": {"description": "Harbour name.", "type": "string", "default": ""},
             "units": {"description": "Height units.", "type": "string", "default": "metres"},
             "limit": {"type": "int", "default": 10},
             "note": {"type": "string", "default": null},
             "date": {"type": "string"}}
            """#)
        XCTAssertEqual(read.map(\.isRequired), [true, false, false, false, true])
        XCTAssertEqual(read.map(\.defaultValue), [nil, .string("metres"), .integer(10), .null, nil])
        XCTAssertEqual(read.map(\.type), [.string, .string, .integer, .string, .string])
    }

    func testOptionalMarkersAreParsedAndFollowXLAMsConvention() throws {
        // xLAM's types carry the marker; its defaults are example values, so an unmarked
        // parameter of such a tool is required even with a default.
        let read = try parameters(#"""
            {"port": {"description": "Port code.", "type": "str", "default": "OSL"},
             "limit": {"description": "Defaults to 5.", "type": "int, optional", "default": "5"},
             "operator": {"type": "str, optional", "default": ""},
             "ids": {"type": "List[int], optional"},
             "day": {"type": "Optional[str]"}}
            """#)
        XCTAssertEqual(read.map(\.name), ["port", "limit", "operator", "ids", "day"], "no parameter named 'optional'")
        XCTAssertEqual(read.map(\.type), [.string, .integer, .string, .array(.integer), .string])
        XCTAssertEqual(read.map(\.isRequired), [true, false, false, false, false])
        XCTAssertEqual(read[1].defaultValue, .string("5"))
        XCTAssertEqual(read[2].defaultValue, .null, "\"\" is no default")
        let tool = ToolDefinition(name: "ferry_departures", domain: "data", description: "Ferry departures.", parameters: read)
        XCTAssertEqual(PromptRenderer.compactSignature(tool),
                       "ferry_departures(port: str, limit?: int, operator?: str, ids?: list[int], day?: str) - Ferry departures.")
    }

    func testRequiredListsFlagsAndUnionTypes() throws {
        let schema = try parameters(#"""
            {"type": "object", "properties": {"a": {"type": "integer", "default": ""}, "b": {"type": ["string", "integer"]},
             "c": {"type": ["number", "null"]}, "d": {"type": "array"}, "e": {"description": "no type"}}, "required": ["b"]}
            """#)
        XCTAssertEqual(schema.map(\.isRequired), [false, true, false, false, false], "the required list decides")
        XCTAssertEqual(schema.map(\.type), [.integer, .other("str|int"), .number, .array(.other("any")), .other("any")])
        let flags = try parameters(#"{"x": {"type": "bool", "required": false}, "y": {"type": "bool", "default": true, "required": true}}"#)
        XCTAssertEqual(flags.map(\.isRequired), [false, true])
        XCTAssertNil(ToolListReader.parameters(try JSONValue.parse(#"{"x": "string"}"#)), "a parameter must be an object")
        XCTAssertEqual(ToolListReader.parameterType("List[int]", items: nil), .array(.integer))
        XCTAssertEqual(ToolListReader.parameterType("dict", items: nil), .other("dict"))
        XCTAssertEqual(ToolListReader.parameterType("array", items: "number"), .array(.number))
    }

    func testCompactDescribedListsEachParameter() throws {
        let items = try ToolRLLoader.load(DataFileReference(try DataFixtures.path("toolrl-raw.json")), style: .compactDescribed).items
        XCTAssertEqual(items[0].prompt, """
            <|system|>
            Tools:
            tide_times(harbour: str, date: str, units?: str) - Tide times for a harbour on a date.
              harbour: Harbour name.
              date: Date as YYYY-MM-DD.
              units: Height units. (default "metres")
            ferry_departures(port: str, limit?: int, operator?: str) - Ferry departures from a port.
              port: Port code.
              limit: Most departures to list. Defaults to 5. (default "5")
              operator: Only this operator. Defaults to None.
            <|user|>
            When are the tides in Bergen and Stavanger on 2025-06-01?
            <|assistant|>

            """)
        // Generated tasks render the same way.
        let generated = TaskGenerator.make(config: TaskConfig(preset: .tiny, promptStyle: .compactDescribed), seed: 2).train[0]
        XCTAssertEqual(generated.prompt, PromptRenderer.render(tools: generated.tools, request: generated.request, style: .compactDescribed))
        for parameter in generated.tools[0].parameters where !parameter.description.isEmpty {
            XCTAssertTrue(generated.prompt.contains("\n  \(parameter.name): \(parameter.description)"), generated.prompt)
        }
    }
}
