import TestSupport
import XCTest
@testable import Model
@testable import RunStore
@testable import ToolUse
@testable import Training

/// Short synthetic items so that runs stay tiny in debug builds.
func syntheticTask() -> TaskSet {
    func item(_ id: String, _ split: TaskSplit, _ prompt: String) -> TaskItem {
        TaskItem(id: id, split: split, prompt: prompt, gold: "<response>aaa</response>", goldCalls: [],
                 request: prompt, tools: [], isMasked: false)
    }
    let train = ["Q:", "A?", "hi", "ok", "go", "yo"].enumerated().map { item("train-\($0.offset)", .train, $0.element) }
    return TaskSet(train: train, evaluation: [.seen: [item("seen-0", .seen, "S:")], .unseen: [], .multi: [],
                                              .irrelevant: [item("irrelevant-0", .irrelevant, "I:")]])
}

/// Reward: the fraction of completion tokens that are ASCII bytes (about half of random bytes).
struct ASCIIReward: RewardFunction {
    var componentNames: [String] { ["ascii"] }
    func score(_ context: RewardContext) -> RewardScore {
        let tokens = context.completionTokens
        let value = tokens.isEmpty ? 0 : Double(tokens.filter { $0 < 128 }.count) / Double(tokens.count)
        return RewardScore(total: value, components: [("ascii", value)])
    }
}

/// Runs in temporary directories, removed after each test.
class RunTestCase: XCTestCase {
    var directories: [URL] = []

    override func tearDown() {
        for directory in directories { try? FileManager.default.removeItem(at: directory) }
    }

    func makeRun(_ config: RunConfig, in existing: URL? = nil, reward: RewardFunction = ASCIIReward()) throws -> TrainingRun {
        let directory = existing ?? FileManager.default.temporaryDirectory.appendingPathComponent("ablate-run-\(UUID().uuidString)")
        if existing == nil {
            directories.append(directory)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try config.jsonData().write(to: directory.appendingPathComponent("config.json"))
        }
        let run = try TrainingRun(directory: directory, threads: 1)
        run.taskOverride = syntheticTask()
        run.rewardOverride = reward
        return run
    }

    /// metrics.jsonl without the timing fields.
    func metricsWithoutTiming(_ directory: URL) throws -> [NSDictionary] {
        let text = try String(contentsOf: directory.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return object.filter { $0.key != "step_time" && $0.key != "tokens_per_second" } as NSDictionary
        }
    }
}

final class TrainingRunTests: RunTestCase {
    /// Stopped after 2 of 5 steps and resumed (past a torn temp checkpoint) gives exactly the
    /// metrics, evaluation and parameters of an uninterrupted run.
    func testResumedRunEqualsUninterruptedRun() throws {
        let config = tinyRunConfig(steps: 5)
        let straight = try makeRun(config)
        XCTAssertEqual(straight.run(shouldStop: { false }, onStep: { _, _ in }), .done)

        let interrupted = try makeRun(config)
        var completed = 0
        XCTAssertEqual(interrupted.run(shouldStop: { completed == 2 }, onStep: { step, _ in completed = step }), .interrupted)
        let resultText = try String(contentsOf: interrupted.directory.appendingPathComponent("result.json"), encoding: .utf8)
        XCTAssertTrue(resultText.contains("\"interrupted\""))
        XCTAssertEqual(try metricsWithoutTiming(interrupted.directory).count, 3, "2 train lines and the step-2 eval line")
        // A crash mid-checkpoint leaves a temp directory: it must be ignored.
        let torn = interrupted.directory.appendingPathComponent("checkpoint/.tmp-step-0000004-77")
        try FileManager.default.createDirectory(at: torn, withIntermediateDirectories: true)
        try Data("garbage".utf8).write(to: torn.appendingPathComponent("trainer.json"))

        let resumed = try makeRun(config, in: interrupted.directory)
        XCTAssertEqual(resumed.run(shouldStop: { false }, onStep: { _, _ in }), .done)
        XCTAssertFalse(FileManager.default.fileExists(atPath: torn.path))

        let expected = try metricsWithoutTiming(straight.directory)
        XCTAssertEqual(expected.count, 5 + 3, "5 train lines, evals at 2, 4 and the end")
        XCTAssertEqual(try metricsWithoutTiming(resumed.directory), expected)
        XCTAssertEqual(try Data(contentsOf: resumed.directory.appendingPathComponent("eval.json")),
                       try Data(contentsOf: straight.directory.appendingPathComponent("eval.json")))
        let evaluation = try XCTUnwrap(JSONSerialization.jsonObject(
            with: Data(contentsOf: straight.directory.appendingPathComponent("eval.json"))) as? [String: Any])
        XCTAssertEqual(evaluation["step"] as? Int, 5)
        let splits = try XCTUnwrap(evaluation["splits"] as? [String: [String: Double]])
        XCTAssertEqual(Set(splits.keys), ["overall", "seen", "irrelevant"])
        XCTAssertEqual(splits["overall"]?["count"], 2)
        XCTAssertNotNil(splits["seen"]?["accuracy"])
        XCTAssertNotNil(splits["irrelevant"]?["reward/ascii"])
        let parameters = "checkpoint/step-0000005/parameters.bin"
        XCTAssertEqual(try Data(contentsOf: resumed.directory.appendingPathComponent(parameters)),
                       try Data(contentsOf: straight.directory.appendingPathComponent(parameters)))
        // The run must actually train: KL to the frozen reference appears once the policy moves.
        let kl = expected.compactMap { ($0["kl"] as? NSNumber)?.doubleValue }
        XCTAssertGreaterThan(kl.last ?? 0, 0)
    }

    struct NaNReward: RewardFunction {
        var componentNames: [String] { [] }
        func score(_ context: RewardContext) -> RewardScore { RewardScore(total: .nan) }
    }

    func testNaNLossFailsTheRunWithItsReason() throws {
        let run = try makeRun(tinyRunConfig(steps: 3), reward: NaNReward())
        guard case .failed(let reason) = run.run(shouldStop: { false }, onStep: { _, _ in }) else {
            return XCTFail("expected a failed run")
        }
        XCTAssertTrue(reason.contains("loss is NaN at step 1"), reason)
        let result = try XCTUnwrap(JSONSerialization.jsonObject(
            with: Data(contentsOf: run.directory.appendingPathComponent("result.json"))) as? [String: Any])
        XCTAssertEqual(result["outcome"] as? String, "failed")
        XCTAssertEqual(result["reason"] as? String, reason)
        XCTAssertNil(CheckpointDirectory(root: run.directory.appendingPathComponent("checkpoint")).latest())
    }

    func testUnresolvedStageFailsWithAClearReason() throws {
        var config = tinyRunConfig(steps: 1)
        config.initFrom = "stage:base"
        let run = try makeRun(config)
        guard case .failed(let reason) = run.run(shouldStop: { false }, onStep: { _, _ in }) else {
            return XCTFail("expected a failed run")
        }
        XCTAssertTrue(reason.contains("stage:base") && reason.contains("sweeps"), reason)
    }

    /// SFT from another run's checkpoint (`run:<id>`): starts from its parameters and learns.
    func testSupervisedRunFromAnotherRunsCheckpoint() throws {
        var base = tinyRunConfig(steps: 2)
        base.train.algorithm = .pretrain
        base.train.checkpointEvery = 0
        let first = try makeRun(base)
        XCTAssertEqual(first.run(shouldStop: { false }, onStep: { _, _ in }), .done)

        var sft = tinyRunConfig(steps: 6)
        sft.train.algorithm = .sft
        sft.train.lr = 3e-2
        sft.initFrom = "run:" + first.directory.lastPathComponent
        let second = try makeRun(sft)
        XCTAssertEqual(second.run(shouldStop: { false }, onStep: { _, _ in }), .done)
        let losses = try metricsWithoutTiming(second.directory).compactMap { ($0["loss"] as? NSNumber)?.doubleValue }
        XCTAssertEqual(losses.count, 6)
        XCTAssertLessThan(losses.last!, losses.first!)

        // The same start given as a path (a run directory) gives the same first step.
        var byPath = sft
        byPath.initFrom = first.directory.path
        byPath.train.steps = 1
        let third = try makeRun(byPath)
        XCTAssertEqual(third.run(shouldStop: { false }, onStep: { _, _ in }), .done)
        let firstLoss = try metricsWithoutTiming(third.directory).compactMap { ($0["loss"] as? NSNumber)?.doubleValue }.first
        XCTAssertEqual(firstLoss, losses.first)
        // A model of another shape cannot start from it.
        var mismatched = byPath
        mismatched.model.dim = 32
        let fourth = try makeRun(mismatched)
        guard case .failed(let reason) = fourth.run(shouldStop: { false }, onStep: { _, _ in }) else {
            return XCTFail("a shape mismatch must fail")
        }
        XCTAssertTrue(reason.contains("another shape"), reason)
    }
}

/// The default wiring: the generated tiny task, the ToolRL reward, real evaluation.
final class ToolRLRunTests: XCTestCase {
    func testOneGRPOStepOnTheTinyTaskWithTheToolRLReward() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ablate-toolrl-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var config = RunConfig()
        config.task = try JSONDecoder().decode(TaskConfig.self, from: Data(#"{"preset": "tiny"}"#.utf8))
        config.model = ModelConfig(dim: 16, layers: 1, heads: 2, mlpDim: 32, context: 700, tokenizer: .bytes, bpeVocab: 512, initStd: 0.02)
        config.train.steps = 1
        config.train.batchSize = 1
        config.train.groupSize = 2
        config.train.maxNewTokens = 4
        config.eval.maxItems = 1
        config.eval.maxNewTokens = 4
        try config.jsonData().write(to: directory.appendingPathComponent("config.json"))
        let run = try TrainingRun(directory: directory, threads: 1)
        XCTAssertEqual(run.run(shouldStop: { false }, onStep: { _, _ in }), .done)
        let text = try String(contentsOf: directory.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
        let train = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.split(separator: "\n")[0].utf8)) as? [String: Any])
        for key in ["reward", "rewards/format/mean", "rewards/correctness/mean", "frac_reward_zero_std", "entropy",
                    "completions/clipped_ratio", "loss", "grad_norm", "learning_rate", "step_time", "num_tokens"] {
            XCTAssertNotNil(train[key], key)
        }
        // Four random bytes are never a valid ToolRL answer: the format reward is 0.
        XCTAssertEqual(train["rewards/format/mean"] as? Double, 0)
        let evaluation = try XCTUnwrap(JSONSerialization.jsonObject(
            with: Data(contentsOf: directory.appendingPathComponent("eval.json"))) as? [String: Any])
        let splits = try XCTUnwrap(evaluation["splits"] as? [String: [String: Double]])
        XCTAssertEqual(Set(splits.keys), ["overall", "seen", "unseen", "multi", "irrelevant"])
        XCTAssertEqual(splits["overall"]?["count"], 4)
        XCTAssertNotNil(splits["unseen"]?["reward/correctness"])
        // completions.jsonl: the final evaluation item by item, verdicts agreeing with eval.json.
        let lines = try String(contentsOf: directory.appendingPathComponent("completions.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        XCTAssertEqual(lines.map { $0["split"] as? String }, ["seen", "unseen", "multi", "irrelevant"])
        XCTAssertEqual(Double(lines.filter { $0["format"] as? Bool == true }.count) / 4, splits["overall"]?["format_validity"])
        XCTAssertEqual(Double(lines.filter { $0["exact"] as? Bool == true }.count) / 4, splits["overall"]?["accuracy"])
        for error in CallError.allCases {
            XCTAssertEqual(Double(lines.filter { $0["error"] as? String == error.rawValue }.count), splits["overall"]?["errors.\(error.rawValue)"])
        }
        XCTAssertTrue(lines.allSatisfy { ($0["gold"] as? String)?.hasPrefix("<think>") == true && $0["completion"] is String })
    }
}
