import XCTest
@testable import Basics
@testable import ToolUse

/// The procedurally generated pretraining world: deterministic, disjoint from the task catalogs,
/// well-formed, and selectable as a task catalog.
final class ToolWorldTests: XCTestCase {
    func testSameSizeAndSeedGiveTheSameToolsAndAnotherSeedOthers() {
        let first = ToolWorld.catalog(size: 300, seed: 4)
        let again = ToolWorld.catalog(size: 300, seed: 4)
        let other = ToolWorld.catalog(size: 300, seed: 5)
        XCTAssertEqual(first.definitions.count, 300)
        XCTAssertEqual(first.definitions.map(PromptRenderer.compactSignature),
                       again.definitions.map(PromptRenderer.compactSignature))
        XCTAssertEqual(first.tools.map(\.templates), again.tools.map(\.templates))
        XCTAssertNotEqual(first.definitions.map(\.name), other.definitions.map(\.name))
    }

    func testSharesNoToolWithTheTaskCatalogsAndNamesAreUnique() {
        let world = ToolWorld.catalog(size: 3000, seed: 0)
        let names = world.definitions.map(\.name)
        XCTAssertEqual(Set(names).count, 3000)
        let taskNames = Set((ToolCatalog.main.definitions + ToolCatalog.pretraining.definitions).map(\.name))
        XCTAssertTrue(taskNames.isDisjoint(with: names))
        XCTAssertTrue(Set(ToolCatalog.main.domains).isDisjoint(with: world.domains))
        XCTAssertEqual(world.unseenDefinitions.count, world.domains.count, "one held-out tool per topic")
        XCTAssertTrue(names.contains { $0.contains("_") } && names.contains { $0.first!.isLowercase && $0.contains { $0.isUppercase } },
                      "both snake_case and camelCase names")
    }

    /// Every template names only the tool's parameters, says every required one outside brackets
    /// and every optional one only inside; rendering gives a call with every required argument.
    func testTemplatesAreWellFormed() {
        var random = SeededRandom(seed: 1)
        for tool in ToolWorld.catalog(size: 400, seed: 2).tools {
            let names = Set(tool.definition.parameters.map(\.name))
            let required = Set(tool.definition.parameters.filter(\.isRequired).map(\.name))
            XCTAssertFalse(required.isEmpty, tool.name)
            for template in tool.templates {
                let (outside, inside) = RequestTemplate.placeholders(RequestTemplate.parse(template))
                XCTAssertEqual(Set(outside), required, "\(tool.name): \(template)")
                XCTAssertEqual(Set(inside), names.subtracting(required), "\(tool.name): \(template)")
                let rendered = RequestTemplate.render(template, for: tool, random: &random)
                XCTAssertTrue(required.isSubset(of: rendered.arguments.map(\.0)), "\(tool.name): \(rendered.text)")
                XCTAssertFalse(rendered.text.contains("{") || rendered.text.contains("  "), rendered.text)
            }
        }
    }

    /// Half the distractor slots come from the gold tool's own topic (hard negatives), so most
    /// single-call items list a sibling of the gold tool; the hand-written catalogs do not do this.
    func testDistractorsOftenShareTheGoldToolsTopic() throws {
        let config = try JSONDecoder().decode(TaskConfig.self, from: Data(
            #"{"catalog": "world", "world_tools": 400, "train_size": 200, "multi_fraction": 0, "no_call_fraction": 0}"#.utf8))
        let items = TaskGenerator.make(config: config, seed: 1).train
        let withSibling = items.filter { item in
            let gold = item.goldCalls[0].name
            guard let domain = item.tools.first(where: { $0.name == gold })?.domain else { return false }
            return item.tools.contains { $0.name != gold && $0.domain == domain }
        }
        XCTAssertGreaterThan(Double(withSibling.count) / Double(items.count), 0.5)
        XCTAssertLessThan(Double(withSibling.count) / Double(items.count), 0.95)
    }

    func testSelectableAsTaskCatalogWithSizeAndSeed() throws {
        let config = try JSONDecoder().decode(TaskConfig.self, from: Data(
            #"{"catalog": "world", "world_tools": 120, "world_seed": 3, "preset": "tiny"}"#.utf8))
        XCTAssertEqual(config.worldTools, 120)
        XCTAssertEqual(ToolCatalog.forTask(config).definitions.count, 120)
        let tasks = TaskGenerator.make(config: config, seed: 0)
        let worldNames = Set(ToolWorld.catalog(size: 120, seed: 3).definitions.map(\.name))
        for item in tasks.train { XCTAssertTrue(item.tools.allSatisfy { worldNames.contains($0.name) }) }
        XCTAssertEqual(tasks.train.map(\.prompt), TaskGenerator.make(config: config, seed: 0).train.map(\.prompt))
        // The world's keys are written like every other key; at their defaults they do not enter
        // run ids (RunIdentity leaves defaults out).
        let encoded = String(decoding: try JSONEncoder().encode(TaskConfig()), as: UTF8.self)
        XCTAssertTrue(encoded.contains("\"world_tools\":2000"), encoded)
        XCTAssertThrowsError(try JSONDecoder().decode(TaskConfig.self, from: Data(#"{"world_tools": 3}"#.utf8)))
    }

    /// `world_held_out` is exactly the world's held-out tools: a base trained on `world` never
    /// had one of them called or listed in a training prompt. The task splits them again: its
    /// `unseen` tools are never called or listed by its own training items.
    func testHeldOutCatalogIsWhatTheWorldNeverTrainsOn() throws {
        let world = ToolWorld.catalog(size: 400, seed: 2)
        let heldOut = ToolWorld.heldOutCatalog(size: 400, seed: 2)
        XCTAssertEqual(heldOut.definitions.map(\.name), world.unseenDefinitions.map(\.name))
        XCTAssertEqual(heldOut.definitions.count, 40)
        XCTAssertEqual(heldOut.unseenDefinitions.count, 8)
        XCTAssertEqual(Set(heldOut.tools.map(\.domain)).count, 40, "one tool per topic")
        XCTAssertEqual(heldOut.definitions.map(PromptRenderer.compactSignature),
                       ToolWorld.heldOutCatalog(size: 400, seed: 2).definitions.map(PromptRenderer.compactSignature))

        func config(_ catalog: String) throws -> TaskConfig {
            try JSONDecoder().decode(TaskConfig.self, from: Data(
                #"{"catalog": "\#(catalog)", "world_tools": 400, "world_seed": 2, "train_size": 600, "eval_size": 20}"#.utf8))
        }
        let taskNames = Set(heldOut.definitions.map(\.name))
        let base = TaskGenerator.make(config: try config("world"), seed: 5)
        for item in base.train {
            XCTAssertTrue(item.tools.allSatisfy { !taskNames.contains($0.name) }, item.prompt)
            XCTAssertTrue(item.goldCalls.allSatisfy { !taskNames.contains($0.name) }, item.prompt)
        }
        let task = TaskGenerator.make(config: try config("world_held_out"), seed: 5)
        let taskUnseen = Set(heldOut.unseenDefinitions.map(\.name))
        XCTAssertFalse(task.train.isEmpty)
        for item in task.train {
            XCTAssertTrue(item.tools.allSatisfy { taskNames.contains($0.name) && !taskUnseen.contains($0.name) })
        }
        let unseen = try XCTUnwrap(task.evaluation[.unseen])
        XCTAssertFalse(unseen.isEmpty)
        for item in unseen { XCTAssertTrue(item.goldCalls.allSatisfy { taskUnseen.contains($0.name) }) }
        XCTAssertTrue(try XCTUnwrap(task.evaluation[.multi]).allSatisfy { $0.goldCalls.count >= 2 })
    }
}
