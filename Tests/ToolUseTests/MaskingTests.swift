import XCTest
@testable import Basics
@testable import ToolUse

/// Masked items rename tools and parameters consistently in the prompt and the gold answer.
final class MaskingTests: XCTestCase {
    func testFullyMaskedItemsAreConsistent() {
        let config = TaskConfig(preset: .tiny, maskNames: 1, evalSize: 10)
        let set = TaskGenerator.make(config: config, seed: 21)
        let catalog = ToolCatalog.main
        let realToolNames = Set(catalog.definitions.map(\.name))
        let realParameterNames = Set(catalog.definitions.flatMap { $0.parameters.map(\.name) })
        for item in set.train + set.allEvaluationItems {
            XCTAssertTrue(item.isMasked, item.id)
            for tool in item.tools {
                XCTAssertFalse(realToolNames.contains(tool.name), "\(item.id) keeps \(tool.name)")
                XCTAssertTrue(tool.parameters.allSatisfy { !realParameterNames.contains($0.name) }, item.id)
                XCTAssertTrue(item.prompt.contains(tool.name + "("), "\(item.id): prompt lists \(tool.name)")
                // The description still says what the tool does: it is the only way to choose.
                XCTAssertTrue(catalog.definitions.contains { $0.description == tool.description }, item.id)
            }
            for call in item.goldCalls {
                guard let tool = item.tools.first(where: { $0.name == call.name }) else {
                    XCTFail("\(item.id): gold calls unlisted \(call.name)"); continue
                }
                XCTAssertEqual(tool.problems(with: call), [], item.id)
                XCTAssertTrue(item.gold.contains("\"name\": \"\(call.name)\""), item.id)
            }
        }
    }

    func testMaskingMapsBackToTheUnmaskedCall() {
        var random = SeededRandom(seed: 5)
        let tools = [ToolCatalog.main.definition(named: "get_forecast")!, ToolCatalog.main.definition(named: "play_song")!]
        let masking = NameMasking(tools: tools, random: &random)
        let call = ToolCall(name: "get_forecast", parameters: [("city", .string("Rome")), ("days", .integer(4))])
        let masked = masking.apply(to: call)
        let maskedTool = masking.apply(to: tools[0])
        XCTAssertEqual(masked.name, maskedTool.name)
        XCTAssertEqual(masked.parameters.map(\.0), Array(maskedTool.parameters.map(\.name).prefix(2)))
        XCTAssertEqual(masked.parameters.map(\.1), [.string("Rome"), .integer(4)])
        XCTAssertNotEqual(masking.apply(to: tools[1]).name, maskedTool.name)
        XCTAssertEqual(maskedTool.parameters.map(\.type), tools[0].parameters.map(\.type))
    }

    func testMaskFractionIsRespected() {
        XCTAssertTrue(TaskGenerator.make(config: TaskConfig(preset: .tiny), seed: 2).train.allSatisfy { !$0.isMasked })
        let half = TaskGenerator.make(config: TaskConfig(preset: .tiny, maskNames: 0.5, trainSize: 300), seed: 2).train
        let share = Double(half.filter(\.isMasked).count) / Double(half.count)
        XCTAssertGreaterThan(share, 0.38)
        XCTAssertLessThan(share, 0.62)
    }
}
