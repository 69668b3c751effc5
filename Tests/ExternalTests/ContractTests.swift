import XCTest
@testable import Config
@testable import External
@testable import Sweep
@testable import Training

/// The pieces of the run contract that need no process: the trainer section, placeholders, and
/// the validation of what a trainer writes.
final class ContractTests: XCTestCase {
    func config(_ yaml: String) throws -> RunConfig {
        try ConfigLoader.decode(RunConfig.self, yaml: yaml, file: "run.yaml")
    }

    func testPlaceholdersExpandFromTheResolvedConfig() throws {
        let run = try config("""
            seed: 4
            train: {lr: 0.0005}
            eval: {splits: [seen, multi]}
            trainer: {command: [python3, t.py]}
            """)
        let placeholders = try TrainerPlaceholders(config: run, runDirectory: "/runs/store/abc123", launchDirectory: "/home/me")
        XCTAssertEqual(try placeholders.expand("--lr={config.train.lr} --seed {seed}"), "--lr=0.0005 --seed 4")
        XCTAssertEqual(try placeholders.expand("{run_dir}/x {run_id} {launch_dir}"), "/runs/store/abc123/x abc123 /home/me")
        XCTAssertEqual(try placeholders.expand("{config.reward.preset} {config.eval.splits} {config.train.steps}"),
                       "original [\"seen\", \"multi\"] 100")
        XCTAssertEqual(try placeholders.expand("{{not a placeholder}} {{{seed}}}"), "{not a placeholder} {4}")
        XCTAssertThrowsError(try placeholders.expand("{config.train.nope}")) {
            XCTAssertTrue("\($0)".contains("the resolved config has no key 'train.nope'"), "\($0)")
        }
        XCTAssertThrowsError(try placeholders.expand("{sede}")) { XCTAssertTrue("\($0)".contains("unknown placeholder {sede}"), "\($0)") }
        XCTAssertThrowsError(try placeholders.expand("dict(a=1}")) { XCTAssertTrue("\($0)".contains("unmatched '}'"), "\($0)") }
    }

    func testTrainerSectionIsCheckedAndOnlyWrittenWhenSet() throws {
        XCTAssertNil(try config("seed: 1").trainer)
        XCTAssertFalse(String(decoding: try config("seed: 1").jsonData(), as: UTF8.self).contains("trainer"),
                       "in-process runs keep their config.json, so their ids")
        let external = try config("trainer: {command: [a, '{seed}'], env: {K: v}, resumable: true, gpus: 2}")
        XCTAssertEqual(external.trainer, TrainerConfig(command: ["a", "{seed}"], env: ["K": "v"], resumable: true, gpus: 2))
        let roundTrip = try JSONDecoder().decode(RunConfig.self, from: external.jsonData())
        XCTAssertEqual(roundTrip, external)
        for (yaml, message) in [
            ("trainer: {command: []}", "an empty command is not allowed"),
            ("trainer: {command: [a], gpus: -1}", "expected an integer ≥ 0"),
            ("trainer: {command: [a, '{config.x}']}", "unknown placeholder {config.x}"),
            ("trainer: {command: [a], retries: 2}", "retries"),
        ] {
            XCTAssertThrowsError(try config(yaml), yaml) { XCTAssertTrue("\($0)".contains(message), "\(yaml): \($0)") }
        }
    }

    func testMetricsLinesAreValidatedWithFileLineAndField() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("contract-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("metrics.jsonl")
        let good = [
            #"{"kind": "train", "step": 1, "reward": 0.5, "kl": null, "rewards/format/mean": 1}"#,
            #"{"kind": "eval", "step": 1, "splits": {"overall": {"accuracy": 0.25}}}"#,
        ]
        try (good.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        var validator = MetricsValidator(url: url)
        XCTAssertNil(validator.check(final: false))
        // Appended later: read from where the last check stopped; a torn line waits for its end.
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"kind": "train", "step": 2, "loss": "#.utf8))
        XCTAssertNil(validator.check(final: false))
        try handle.write(contentsOf: Data("[1]}\n".utf8))
        try handle.close()
        XCTAssertEqual(validator.check(final: false), "\(url.path):3: field \"loss\": expected a number or null, found an array")

        for (line, problem) in [
            (#"{"step": 1}"#, #" missing field "kind" ("train" or "eval")"#),
            (#"{"kind": "test", "step": 1}"#, #" field "kind": expected "train" or "eval", found "test""#),
            (#"{"kind": "train", "step": 1.5}"#, #" field "step": expected an integer ≥ 0, found 1.5"#),
            (#"{"kind": "eval", "step": 2}"#, #" missing field "splits" in an eval line"#),
            (#"{"kind": "eval", "step": 2, "splits": {"seen": {"accuracy": "1"}}}"#, #" field "splits.seen.accuracy": expected a number or null, found "1""#),
            (#"{"kind": "train", "step": 1,"#, "29: not valid JSON: Expecting property name enclosed in double quotes"),
        ] {
            let found = MetricsValidator.checkLine(Data(line.utf8))
            XCTAssertTrue(found?.hasPrefix(problem) == true, "\(line): \(found ?? "nil")")
        }

        // A resumed trainer rewrites the file (fewer lines, then new ones of other lengths), by
        // rename or in place: checked again from the start, with the right line numbers.
        func train(_ step: Int, _ reward: String) -> String { "{\"kind\": \"train\", \"step\": \(step), \"reward\": \(reward)}\n" }
        let rewritten = directory.appendingPathComponent("rewritten.jsonl")
        try (train(1, "0.5") + train(2, "0.25") + train(3, "0.125")).write(to: rewritten, atomically: true, encoding: .utf8)
        var resumed = MetricsValidator(url: rewritten)
        XCTAssertNil(resumed.check(final: false))
        try (train(1, "0.5") + train(2, "0.25")).write(to: rewritten, atomically: true, encoding: .utf8)   // a new inode
        XCTAssertNil(resumed.check(final: false))
        let inPlace = try FileHandle(forUpdating: rewritten)
        try inPlace.truncate(atOffset: 0)
        try inPlace.write(contentsOf: Data((train(1, "0.5") + train(2, "0.25") + train(3, "1e-9") + train(4, "7") + train(5, "true")).utf8))
        try inPlace.close()
        XCTAssertEqual(resumed.check(final: false), "\(rewritten.path):5: field \"reward\": expected a number or null, found a boolean")

        let final = directory.appendingPathComponent("eval.json")
        XCTAssertTrue(MetricsValidator.checkFinalEvaluation(final)?.contains("missing") == true)
        try #"{"step": 3, "splits": {"overall": {"accuracy": 1}}}"#.write(to: final, atomically: true, encoding: .utf8)
        XCTAssertNil(MetricsValidator.checkFinalEvaluation(final))
        try #"{"splits": {}}"#.write(to: final, atomically: true, encoding: .utf8)
        XCTAssertEqual(MetricsValidator.checkFinalEvaluation(final), "\(final.path): missing field \"step\"")
    }
}
