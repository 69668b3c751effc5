import XCTest
@testable import ToolUse

final class PromptRendererTests: XCTestCase {
    private let forecast = ToolCatalog.main.definition(named: "get_forecast")!

    func testToolRLPromptShape() {
        let prompt = PromptRenderer.render(tools: [forecast], request: "Rain in Oslo?", style: .toolrl)
        XCTAssertTrue(prompt.hasPrefix("<|system|>\nYou are a helpful multi-turn dialogue assistant capable of leveraging tool calls"))
        XCTAssertTrue(prompt.contains("""
            In your response, you can use the following tools:
            1. Name: get_forecast
            Description: Get a daily weather forecast for a city.
            Parameters: {"city": {"description": "City name", "type": "string"}, \
            "days": {"description": "Number of days, 1 to 10", "type": "integer"}, \
            "unit": {"description": "Temperature unit", "type": "string", "enum": ["celsius", "fahrenheit"], "default": "celsius"}}

            **Steps for Each Turn**
            """))
        for piece in ["**Output Format**\n```plaintext\n<think> Your thoughts and reasoning </think>",
                      "**Important Notes**\n1. You must always include the `<think>` field",
                      "any tool feedback noted as `<obs>` (if exists)."] {
            XCTAssertTrue(prompt.contains(piece), piece)
        }
        XCTAssertTrue(prompt.hasSuffix("(if exists).\n<|user|>\n**Dialogue Records History**\n<user> Rain in Oslo? </user>\n<|assistant|>\n"))
    }

    func testCompactPromptShape() {
        let play = ToolCatalog.main.definition(named: "create_playlist")!
        let prompt = PromptRenderer.render(tools: [forecast, play], request: "Rain in Oslo?", style: .compact)
        XCTAssertEqual(prompt, """
            <|system|>
            Tools:
            get_forecast(city: str, days: int, unit?: enum[celsius,fahrenheit]) - Get a daily weather forecast for a city.
            create_playlist(name: str, songs: list[str]) - Create a playlist from songs.
            <|user|>
            Rain in Oslo?
            <|assistant|>

            """)
    }

    func testCompactPromptsStaySmall() {
        let set = TaskGenerator.make(config: TaskConfig(preset: .tiny), seed: 8)
        let lengths = (set.train + set.allEvaluationItems).map { $0.prompt.utf8.count }.sorted()
        XCTAssertLessThan(lengths[lengths.count / 2], 600, "median compact prompt")
        let full = TaskGenerator.make(config: TaskConfig(preset: .tiny, promptStyle: .toolrl), seed: 8)
        XCTAssertGreaterThan(full.train[0].prompt.utf8.count, 2000)
        XCTAssertEqual(full.train.map(\.gold), set.train.map(\.gold), "the style changes prompts, not items")
    }
}
