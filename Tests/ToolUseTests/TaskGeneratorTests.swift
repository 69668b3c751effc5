import XCTest
@testable import ToolUse

/// Determinism, sizes and the split guarantees of generated task sets.
final class TaskGeneratorTests: XCTestCase {
    private let tiny = TaskConfig(preset: .tiny, maskNames: 0.3)

    private func fingerprint(_ set: TaskSet) -> [String] {
        (set.train + set.allEvaluationItems).map { $0.id + "\u{1}" + $0.prompt + "\u{1}" + $0.gold }
    }

    func testSameSeedGivesSameItemsAndOtherSeedsDiffer() {
        let first = TaskGenerator.make(config: tiny, seed: 42)
        let again = TaskGenerator.make(config: tiny, seed: 42)
        XCTAssertEqual(fingerprint(first), fingerprint(again))
        XCTAssertNotEqual(fingerprint(first), fingerprint(TaskGenerator.make(config: tiny, seed: 43)))
        var shifted = tiny
        shifted.seedOffset = 1
        XCTAssertEqual(fingerprint(TaskGenerator.make(config: shifted, seed: 42)),
                       fingerprint(TaskGenerator.make(config: tiny, seed: 43)), "seed_offset adds to the seed")
    }

    func testPresetSizesAndOverrides() {
        let set = TaskGenerator.make(config: tiny, seed: 0)
        XCTAssertEqual(set.train.count, TaskPreset.tiny.trainSize)
        for split in TaskSplit.evaluationSplits where split != .noCall {
            XCTAssertEqual(set.evaluation[split]?.count, TaskPreset.tiny.evalSize, "\(split)")
            XCTAssertTrue(set.evaluation[split]!.allSatisfy { $0.split == split })
        }
        var config = tiny
        config.trainSize = 50
        config.evalSize = 3
        let custom = TaskGenerator.make(config: config, seed: 0)
        XCTAssertEqual(custom.train.count, 50)
        XCTAssertEqual(custom.allEvaluationItems.count, 12)
        XCTAssertEqual(custom.corpus.count, 50)
        XCTAssertEqual(custom.corpus[0], custom.train[0].prompt + custom.train[0].gold)
        let ids = (custom.train + custom.allEvaluationItems).map(\.id)
        XCTAssertEqual(Set(ids).count, ids.count, "ids are unique")
    }

    func testTrainingMixFollowsFractions() {
        var config = TaskConfig(preset: .tiny, trainSize: 200, multiFraction: 0.3, noCallFraction: 0.1)
        config.evalSize = 0
        let train = TaskGenerator.make(config: config, seed: 5).train
        XCTAssertEqual(train.filter { $0.goldCalls.count >= 2 }.count, 60)
        XCTAssertEqual(train.filter { $0.goldCalls.isEmpty }.count, 20)
        XCTAssertEqual(train.filter { $0.goldCalls.count == 1 }.count, 120)
        let multi = train.filter { $0.goldCalls.count >= 2 }
        XCTAssertTrue(multi.contains { item in Set(item.goldCalls.map(\.name)).count < item.goldCalls.count },
                      "some multi-call items repeat a tool (e.g. weather for two cities)")
        XCTAssertTrue(multi.allSatisfy { $0.goldCalls.count <= config.maxCalls })
    }

    func testSplitGuarantees() {
        let catalog = ToolCatalog.main
        let heldOut = Set(catalog.unseenDefinitions.map(\.name))
        for seed in [UInt64(1), 2] {
            let set = TaskGenerator.make(config: TaskConfig(preset: .tiny, evalSize: 30), seed: seed)
            for item in set.train {
                XCTAssertTrue(item.goldCalls.allSatisfy { !heldOut.contains($0.name) }, item.id)
                XCTAssertTrue(item.tools.allSatisfy { !heldOut.contains($0.name) }, "\(item.id) lists a held-out tool")
            }
            for item in set.evaluation[.unseen]! {
                XCTAssertFalse(item.goldCalls.isEmpty, item.id)
                XCTAssertTrue(item.goldCalls.allSatisfy { heldOut.contains($0.name) }, "\(item.id) calls a training tool")
            }
            for item in set.evaluation[.seen]! {
                XCTAssertEqual(item.goldCalls.count, 1, item.id)
                XCTAssertFalse(heldOut.contains(item.goldCalls[0].name), item.id)
            }
            for item in set.evaluation[.irrelevant]! {
                XCTAssertTrue(item.goldCalls.isEmpty, item.id)
                XCTAssertFalse(item.gold.contains("<tool_call>"), item.id)
                XCTAssertTrue(item.gold.contains("<response>"), item.id)
            }
            for item in set.evaluation[.multi]! {
                XCTAssertGreaterThanOrEqual(item.goldCalls.count, 2, item.id)
            }
            let trainRequests = Set(set.train.map(\.request))
            let evaluationRequests = set.allEvaluationItems.map(\.request)
            XCTAssertTrue(trainRequests.isDisjoint(with: evaluationRequests), "an evaluation request repeats training")
            XCTAssertEqual(Set(evaluationRequests).count, evaluationRequests.count, "evaluation requests repeat")
        }
    }

    /// No-call items built from a real request list no tool of that request's domain.
    func testIrrelevantItemsListNoToolThatCouldServe() {
        let set = TaskGenerator.make(config: TaskConfig(preset: .tiny, evalSize: 40), seed: 9)
        let catalog = ToolCatalog.main
        var checked = 0
        for item in set.train + set.evaluation[.irrelevant]! where item.goldCalls.isEmpty {
            XCTAssertEqual(item.tools.count, TaskConfig().toolsPerPrompt, item.id)
            guard let requested = item.requestedTool else { continue }
            let domain = catalog.definition(named: requested)!.domain
            XCTAssertTrue(item.tools.allSatisfy { catalog.definition(named: $0.name)!.domain != domain }, item.id)
            checked += 1
        }
        XCTAssertGreaterThan(checked, 20)
    }

    func testToolsPerPromptListsGoldToolsPlusDistractors() {
        var config = TaskConfig(preset: .tiny, toolsPerPrompt: 5)
        config.evalSize = 10
        let set = TaskGenerator.make(config: config, seed: 4)
        for item in set.train + set.allEvaluationItems {
            let listed = Set(item.tools.map(\.name))
            XCTAssertEqual(listed.count, item.tools.count, "\(item.id) lists a tool twice")
            XCTAssertTrue(item.goldCalls.allSatisfy { listed.contains($0.name) }, item.id)
            XCTAssertEqual(item.tools.count, max(5, Set(item.goldCalls.map(\.name)).count), item.id)
        }
    }

    func testPretrainingCatalogTaskUsesOnlyItsTools() {
        let set = TaskGenerator.make(config: TaskConfig(preset: .tiny, catalog: .pretraining), seed: 3)
        let names = Set(ToolCatalog.pretraining.definitions.map(\.name))
        for item in set.train + set.allEvaluationItems {
            XCTAssertTrue(item.tools.allSatisfy { names.contains($0.name) }, item.id)
        }
        XCTAssertEqual(set.evaluation[.unseen]?.count, TaskPreset.tiny.evalSize)
    }
}
