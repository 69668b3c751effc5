import Model
import TestSupport
import ToolUse
import XCTest
@testable import Training

/// Runs on loaded data: the load lines, the warnings (unreadable golds, truncation), and the
/// `no_call` split reported on its own and left out of `overall`.
final class DataRunTests: XCTestCase {
    func item(_ prompt: Int, _ gold: Int) -> TaskItem {
        TaskItem(id: "x", split: .train, prompt: String(repeating: "p", count: prompt), gold: String(repeating: "g", count: gold),
                 goldCalls: [], request: "", tools: [], isMasked: false)
    }

    /// Byte tokens, context 20: each count below is worked out by hand from the lengths.
    func testTruncationIsCountedForPromptPlusGold() {
        let report = TruncationReport(tokenizer: .bytes(), context: 20)
        let items = [item(5, 5),    // 5 + 5 + 1 = 11 tokens: fits
                     item(5, 19),   // gold + end-of-text fill the context: no prompt left
                     item(5, 20),   // loses its end-of-text too
                     item(5, 25),   // loses 5 gold tokens and its end-of-text
                     item(10, 10)]  // 21 tokens: loses one prompt token
        XCTAssertEqual(report.training(items, algorithm: .sft, maxNewTokens: 8), [
            "warning: sft: 4 of 5 training items do not fit model.context 20 as prompt + gold + end-of-text: "
            + "1 lose gold tokens, 2 lose their end-of-text, 3 keep no prompt at all, 1 more lose their first prompt tokens; "
            + "the longest needs 31 tokens; raise model.context"])
        XCTAssertEqual(report.training(items, algorithm: .pretrain, maxNewTokens: 8).first?.hasPrefix("warning: pretrain: 4 of 5"), true)
        XCTAssertEqual(report.training([item(5, 5)], algorithm: .sft, maxNewTokens: 8), [])
        // GRPO and PPO cut prompts to context − max_new_tokens = 12 tokens.
        for algorithm in [TrainingAlgorithm.grpo, .ppo] {
            XCTAssertEqual(report.training(items + [item(13, 1)], algorithm: algorithm, maxNewTokens: 8), [
                "warning: 1 of 6 training prompts are longer than 12 tokens (model.context 20 − train.max_new_tokens 8) and lose their first tokens; raise model.context"])
        }
        XCTAssertEqual(report.evaluation(items + [item(13, 1)], maxNewTokens: 8), [
            "warning: evaluation: 1 of 6 prompts are longer than 12 tokens (model.context 20 − eval.max_new_tokens 8) and lose their first tokens",
            "warning: evaluation: 4 of 6 gold answers are longer than eval.max_new_tokens 8 tokens, so no completion can write them in full"])
    }

    func testListingIrrelevantAlsoDecodesNoCall() {
        func decoded(_ splits: [String]) -> [String] {
            var config = EvalConfig()
            config.splits = splits
            return config.decodedSplits
        }
        XCTAssertEqual(EvalConfig().decodedSplits, ["seen", "unseen", "multi", "irrelevant", "no_call"])
        XCTAssertEqual(decoded(["irrelevant", "seen"]), ["irrelevant", "no_call", "seen"])
        XCTAssertEqual(decoded(["seen"]), ["seen"])
        XCTAssertEqual(decoded(["no_call"]), ["no_call"])
        XCTAssertEqual(decoded(["no_call", "irrelevant"]), ["no_call", "irrelevant"])
    }

    func testARunOnDataLogsTheLoadAndReportsNoCallOnItsOwn() throws {
        let temporary = TemporaryDirectory("data-run")
        let directory = temporary.url
        let system = #"1. Name: ping\nDescription: Ping a host.\nParameters: {\"host\": {\"description\": \"Host name.\", \"type\": \"string\", \"default\": \"\"}}"#
        let records = [
            #"{"instruction": "\#(system)", "input": "<user> Ping a.io </user>", "output": "<think> a </think>\n<tool_call>\n{\"name\": \"ping\", \"parameters\": {\"host\": \"a.io\"}}\n</tool_call>"}"#,
            #"{"instruction": "\#(system)", "input": "<user> Ping b.io </user>", "output": "<think> I will write a <tool_call> </think>\n<tool_call>\n{\"name\": \"ping\", \"parameters\": {\"host\": \"b.io\"}}\n</tool_call>"}"#,
            #"{"instruction": "\#(system)", "input": "<user> Ping c.io </user>\n<think> a </think>\n<response> up </response>\n<user> Thanks! </user>", "output": "<think> a </think>\n<response> You are welcome. </response>"}"#,
            #"{"instruction": "\#(system)", "input": "<user> Sing </user>", "output": "<think> a </think>\n<response> I cannot sing. </response>"}"#,
        ]
        let dataPath = directory.appendingPathComponent("train.jsonl").path
        let evalPath = directory.appendingPathComponent("test.json").path
        try records.joined(separator: "\n").write(toFile: dataPath, atomically: true, encoding: .utf8)
        try ("[" + records.joined(separator: ",\n") + "]").write(toFile: evalPath, atomically: true, encoding: .utf8)

        var config = tinyRunConfig(steps: 1)
        config.train.algorithm = .sft
        config.model.context = 64
        config.task = TaskConfig(data: DataFileReference(dataPath), evalData: DataFileReference(evalPath))
        config.eval.splits = EvalConfig().splits
        config.reward.fidelity = .toolrlCode
        let runDirectory = directory.appendingPathComponent("run")
        try FileManager.default.createDirectory(at: runDirectory, withIntermediateDirectories: true)
        try config.jsonData().write(to: runDirectory.appendingPathComponent("config.json"))
        let run = try TrainingRun(directory: runDirectory, threads: 1)
        XCTAssertEqual(run.run(shouldStop: { false }, onStep: { _, _ in }), .done)

        let log = try String(contentsOf: runDirectory.appendingPathComponent("log.txt"), encoding: .utf8)
        for line in [
            "data \(dataPath): 4 records, ToolRL raw records (instruction/input/output) in JSON lines; prompts: 4 compact from parsed tool lists; train 4 (all records: eval_data is set)",
            "eval_data \(evalPath): 4 records, ToolRL raw records (instruction/input/output) in a JSON array; prompts: 4 compact from parsed tool lists; eval 4 (seen 2, multi 0, irrelevant 1, no_call 1)",
            "warning: 2 of 8 gold answers cannot be read by reward fidelity toolrl-code and score its correctness minimum whatever the completion (data record 2, eval_data record 2; the first: the gold <tool_call> block does not parse: ",
            "warning: sft: 4 of 4 training items do not fit model.context 64",
            "warning: evaluation: 4 of 4 prompts are longer than 61 tokens",
        ] {
            XCTAssertTrue(log.contains(line), "log.txt lacks \(line):\n\(log)")
        }
        let evaluation = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: runDirectory.appendingPathComponent("eval.json"))) as? [String: Any])
        let splits = try XCTUnwrap(evaluation["splits"] as? [String: [String: Double]])
        XCTAssertEqual(splits["no_call"]?["count"], 1)
        XCTAssertEqual(splits["irrelevant"]?["count"], 1)
        XCTAssertEqual(splits["seen"]?["count"], 2)
        XCTAssertEqual(splits["overall"]?["count"], 3, "no_call is reported on its own, not in overall")
    }

    func testAMissingOrChangedDataFileFailsTheRunWithItsReason() throws {
        let temporary = TemporaryDirectory("data-run")
        let directory = temporary.url
        var config = tinyRunConfig(steps: 1)
        config.task = TaskConfig(data: DataFileReference("gone.json", resolved: "/nonexistent/gone.json", sha256: "00"))
        try config.jsonData().write(to: directory.appendingPathComponent("config.json"))
        let missing = try TrainingRun(directory: directory, threads: 1)
        XCTAssertEqual(missing.run(shouldStop: { false }, onStep: { _, _ in }),
                       .failed(reason: "gone.json: no such file (looked for /nonexistent/gone.json)"))

        // The file is there, but not with the content the run was planned with.
        let dataPath = directory.appendingPathComponent("train.json").path
        try "[]".write(toFile: dataPath, atomically: true, encoding: .utf8)
        config.task = TaskConfig(data: DataFileReference("train.json", resolved: dataPath, sha256: String(repeating: "0", count: 64)))
        try config.jsonData().write(to: directory.appendingPathComponent("config.json"))
        let changed = try TrainingRun(directory: directory, threads: 1)
        guard case .failed(let reason) = changed.run(shouldStop: { false }, onStep: { _, _ in }) else { return XCTFail("the run did not fail") }
        XCTAssertTrue(reason.hasPrefix("train.json: has changed since the run was planned (\(dataPath): sha256 000000000000… then, "), reason)
        XCTAssertTrue(reason.hasSuffix("now); plan again: the changed file makes new runs"), reason)
    }
}
