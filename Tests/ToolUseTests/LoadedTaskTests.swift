import XCTest
@testable import ToolUse

/// Real data in, real splits out: held-out shares, `eval_data`, and `no_call` for follow-ups.
final class LoadedTaskTests: XCTestCase {
    func config(_ name: String, eval: String? = nil, fraction: Double = 0.02) throws -> TaskConfig {
        TaskConfig(data: DataFileReference(try DataFixtures.path(name)),
                   evalData: try eval.map { DataFileReference(try DataFixtures.path($0)) }, dataEvalFraction: fraction)
    }

    func testHeldOutShare() throws {
        let none = try ToolRLLoader.loadTask(config: config("toolrl-raw.json", fraction: 0), seed: 1)
        XCTAssertEqual(none.taskSet.train.count, 5)
        XCTAssertTrue(none.taskSet.allEvaluationItems.isEmpty, "data_eval_fraction 0 holds out nothing")
        XCTAssertTrue(none.logLines[0].hasSuffix("; train 5, eval 0 (seen 0, multi 0, irrelevant 0, no_call 0; data_eval_fraction 0)"),
                      none.logLines[0])

        let small = try ToolRLLoader.loadTask(config: config("toolrl-raw.json"), seed: 1)
        XCTAssertEqual(small.taskSet.allEvaluationItems.count, 1, "2% of 5 rounds to 0, but a share above 0 holds out one")
        XCTAssertEqual(small.taskSet.train.count, 4)

        let all = try ToolRLLoader.loadTask(config: config("toolrl-raw.json", fraction: 1), seed: 1)
        XCTAssertEqual(all.taskSet.train.count, 0)
        XCTAssertEqual(Set(all.taskSet.allEvaluationItems.map(\.id)), Set((0..<5).map { "data-0000\($0)" }))
    }

    func testEvalDataEvaluatesExactlyItsRecordsAndTrainsOnAllOfData() throws {
        let task = try ToolRLLoader.loadTask(config: config("toolrl-raw.json", eval: "verl-rows.jsonl", fraction: 0.5), seed: 7)
        let set = task.taskSet
        XCTAssertEqual(Set(set.train.map(\.id)), Set((0..<5).map { "data-0000\($0)" }), "data is used whole for training")
        XCTAssertEqual(set.evaluation[.multi]!.map(\.id), ["eval-00000"])
        XCTAssertEqual(set.evaluation[.seen]!.map(\.id), ["eval-00001", "eval-00004"])
        XCTAssertEqual(set.evaluation[.noCall]!.map(\.id), ["eval-00002"], "a follow-up answered without a call")
        XCTAssertEqual(set.evaluation[.irrelevant]!.map(\.id), ["eval-00003"], "a single request no tool serves")
        XCTAssertEqual(set.evaluation[.unseen]!.count, 0)
        for split in TaskSplit.evaluationSplits { XCTAssertTrue(set.evaluation[split]!.allSatisfy { $0.split == split }) }
        XCTAssertEqual(task.logLines.count, 2)
        XCTAssertTrue(task.logLines[0].hasSuffix("; train 5 (all records: eval_data is set)"), task.logLines[0])
        XCTAssertTrue(task.logLines[1].hasPrefix("eval_data \(try DataFixtures.path("verl-rows.jsonl")): 5 records, veRL rows"), task.logLines[1])
        XCTAssertTrue(task.logLines[1].hasSuffix("; eval 5 (seen 2, multi 1, irrelevant 1, no_call 1)"), task.logLines[1])

        // Caps: train_size and eval_size.
        var capped = try config("toolrl-raw.json", eval: "messages.jsonl")
        capped.trainSize = 3
        capped.evalSize = 1
        let small = try ToolRLLoader.loadTask(config: capped, seed: 7)
        XCTAssertEqual(small.taskSet.train.count, 3)
        XCTAssertEqual(small.taskSet.evaluation[.seen]!.count, 1)
        XCTAssertTrue(small.logLines[0].hasSuffix("; train 3 of 5 (train_size 3) (all records: eval_data is set)"), small.logLines[0])
        XCTAssertTrue(small.logLines[1].hasSuffix("; eval 4 (seen 1, multi 1, irrelevant 1, no_call 1; eval_size 1 per split)"), small.logLines[1])
    }

    func testTheHoldOutDependsOnSeedPlusOffset() throws {
        let base = try config("toolrl-raw.jsonl", fraction: 0.4)
        var offset = base
        offset.seedOffset = 1
        func train(_ config: TaskConfig, _ seed: UInt64) throws -> [String] { try TaskGenerator.makeOrLoad(config: config, seed: seed).train.map(\.id) }
        XCTAssertEqual(try train(base, 5), try train(base, 5))
        XCTAssertEqual(try train(offset, 5), try train(base, 6))
        let seeds = try (0..<6).map { try train(base, UInt64($0)) }
        XCTAssertGreaterThan(Set(seeds).count, 1, "other seeds hold out other records")
    }
}
