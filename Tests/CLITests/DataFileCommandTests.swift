import Basics
import Config
import TestSupport
import XCTest

/// Data files through the command line: ids follow content, relative paths follow the file that
/// names them whatever the working directory, and a missing, damaged or changed file is refused
/// before anything trains.
final class DataFileCommandTests: XCTestCase {
    static let records = [
        #"{"instruction": "1. Name: ping\nDescription: Ping a host.\nParameters: {\"host\": {\"type\": \"string\", \"default\": \"\"}}", "input": "<user> Ping a.io </user>", "output": "<think> a </think>\n<tool_call>\n{\"name\": \"ping\", \"parameters\": {\"host\": \"a.io\"}}\n</tool_call>"}"#,
        #"{"instruction": "1. Name: ping\nDescription: Ping a host.\nParameters: {\"host\": {\"type\": \"string\", \"default\": \"\"}}", "input": "<user> Ping b.io </user>", "output": "<think> b </think>\n<tool_call>\n{\"name\": \"ping\", \"parameters\": {\"host\": \"b.io\"}}\n</tool_call>"}"#,
        #"{"instruction": "1. Name: ping\nDescription: Ping a host.\nParameters: {\"host\": {\"type\": \"string\", \"default\": \"\"}}", "input": "<user> Sing </user>", "output": "<think> c </think>\n<response> I cannot sing. </response>"}"#,
    ]

    /// exp/data/train.jsonl and exp/sweeps/s.yaml naming it as ../data/train.jsonl.
    func workspace(data: String = "../data/train.jsonl") throws -> SweepHarness {
        let harness = try SweepHarness()
        harness.write("exp/data/train.jsonl", Self.records.joined(separator: "\n") + "\n")
        harness.write("exp/sweeps/s.yaml", """
            sweep: s
            config:
              task:
                data: \(data)
            grid:
              reward.preset: [original, coarse]
            """)
        return harness
    }

    func planJSON(_ harness: SweepHarness, _ spec: String, runs: String, in directory: String? = nil) throws -> ConfigTree {
        let result = try harness.ablate(["plan", spec, "--runs", runs, "--json"], in: directory)
        XCTAssertEqual(result.status, 0, result.output)
        return try JSONTreeParser.parse(String(result.output[try XCTUnwrap(result.output.firstIndex(of: "{"))...]))
    }

    func testEditingADataFileMakesItsRunsNewAndPathsFollowTheSpec() throws {
        let harness = try workspace()
        XCTAssertEqual(try harness.runSweep("exp/sweeps/s.yaml").status, 0)
        // From another working directory, with the spec named relative to it: the same runs, done.
        let elsewhere = try planJSON(harness, "s.yaml", runs: "../../runs", in: "exp/sweeps")
        XCTAssertEqual(elsewhere["done"]?.scalar, .int(2))
        let ids = try XCTUnwrap(elsewhere["runs"]?.items?.compactMap { $0["id"]?.string })

        // config.json records the path as written, where it resolved and the content hash.
        let config = try JSONTreeParser.parse(Data(contentsOf: URL(fileURLWithPath: harness.ledger().configPath(ids[0]))))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: harness.root + "/exp/data/train.jsonl"))
        XCTAssertEqual(config.value(atPath: "task.data.path")?.string, "../data/train.jsonl")
        XCTAssertEqual(config.value(atPath: "task.data.resolved")?.string,
                       URL(fileURLWithPath: harness.root + "/exp/data/train.jsonl").standardizedFileURL.path)
        XCTAssertEqual(config.value(atPath: "task.data.sha256")?.string, SHA256.hex(bytes: [UInt8](bytes)))

        // Fewer records: new runs, pending, however the plan is asked for.
        harness.write("exp/data/train.jsonl", Self.records.prefix(2).joined(separator: "\n") + "\n")
        let edited = try harness.ablate(["plan", "exp/sweeps/s.yaml", "--runs", "runs"])
        XCTAssertTrue(edited.output.contains("sweep s: 2 runs planned, 0 excluded, 0 of 2 unique runs already done"), edited.output)
        let after = try planJSON(harness, "exp/sweeps/s.yaml", runs: "runs")
        XCTAssertEqual(after["runs"]?.items?.compactMap { $0["state"]?.string }, ["pending", "pending"])
        XCTAssertTrue(Set(after["runs"]?.items?.compactMap { $0["id"]?.string } ?? []).isDisjoint(with: ids))

        // The same content under another path: the finished runs again.
        harness.write("exp/data/copy.jsonl", String(decoding: bytes, as: UTF8.self))
        harness.write("exp/sweeps/copy.yaml", """
            sweep: copy
            config: {task.data: ../data/copy.jsonl}
            grid:
              reward.preset: [original, coarse]
            """)
        XCTAssertEqual(try planJSON(harness, "exp/sweeps/copy.yaml", runs: "runs")["done"]?.scalar, .int(2))
    }

    func testAMissingOrDamagedDataFileIsRefusedBeforeAnythingRuns() throws {
        let harness = try workspace(data: "../data/none.jsonl")
        let spec = harness.root + "/exp/sweeps/s.yaml"   // shown relative to the working directory
        for arguments in [["plan", spec, "--runs", "runs"], ["run", spec, "--runs", "runs", "--worker-executable", harness.worker]] {
            let result = try harness.ablate(arguments)
            XCTAssertEqual(result.status, 2, result.output)
            XCTAssertTrue(result.output.contains("exp/sweeps/s.yaml:4:5: error: task.data: ../data/none.jsonl: no such file (looked for "
                                                 + URL(fileURLWithPath: harness.root + "/exp/data/none.jsonl").standardizedFileURL.path + ")"), result.output)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: harness.root + "/runs/s/plan.json"), "nothing is recorded")
        XCTAssertFalse(FileManager.default.fileExists(atPath: harness.control + "/order"), "no worker started")

        // A JSON array with a trailing comma: the spec's key and the file's own line:column.
        harness.write("exp/data/none.jsonl", "[\n" + Self.records.joined(separator: ",\n") + ",\n]\n")
        let damaged = try harness.ablate(["plan", spec, "--runs", "runs"])
        XCTAssertEqual(damaged.status, 2)
        XCTAssertTrue(damaged.output.contains("exp/sweeps/s.yaml:4:5: error: task.data: ../data/none.jsonl:5:1: invalid JSON in a JSON array of records: "
                                              + "Expecting value (a trailing comma before ']'? JSON allows none)"), damaged.output)
    }

    func testTheWorkerRefusesADataFileChangedSincePlanning() throws {
        let harness = try workspace()
        let plan = try planJSON(harness, "exp/sweeps/s.yaml", runs: "runs")
        let id = try XCTUnwrap(plan["runs"]?.items?.first?["id"]?.string)
        harness.write("exp/data/train.jsonl", Self.records.prefix(1).joined(separator: "\n") + "\n")
        let result = try harness.ablate(["worker", harness.ledger().runDirectory(id)])
        XCTAssertEqual(result.status, 1, result.output)
        let outcome = try String(contentsOfFile: harness.ledger().runDirectory(id) + "/result.json", encoding: .utf8)
        XCTAssertTrue(outcome.contains("../data/train.jsonl: has changed since the run was planned"), outcome)
        XCTAssertFalse(FileManager.default.fileExists(atPath: harness.ledger().runDirectory(id) + "/metrics.jsonl"), "nothing trained")
    }

    func testTrainResolvesDataAgainstItsConfigFile() throws {
        let harness = try workspace()
        harness.write("exp/run.yaml", """
            task: {data: data/train.jsonl, data_eval_fraction: 0}
            model: {dim: 16, layers: 1, heads: 2, mlp_dim: 32, context: 64}
            train: {algorithm: sft, steps: 1, batch_size: 1}
            eval: {every: 0, max_new_tokens: 2}
            """)
        harness.write("runs-elsewhere/README", "a working directory beside exp/\n")
        let result = try harness.ablate(["train", "../exp/run.yaml", "--out", "out"], in: "runs-elsewhere")
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertTrue(result.output.contains("data data/train.jsonl: 3 records, ToolRL raw records (instruction/input/output) in JSON lines; "
                                             + "prompts: 3 compact from parsed tool lists; train 3, eval 0"), result.output)
        let config = try JSONTreeParser.parse(Data(contentsOf: URL(fileURLWithPath: harness.root + "/runs-elsewhere/out/config.json")))
        XCTAssertEqual(config.value(atPath: "task.data.resolved")?.string,
                       URL(fileURLWithPath: harness.root + "/exp/data/train.jsonl").standardizedFileURL.path)

        harness.write("exp/broken.yaml", "task:\n  data: data/missing.jsonl\n")
        let missing = try harness.ablate(["train", "exp/broken.yaml", "--out", "out2"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.output.contains("exp/broken.yaml:2:3: error: task.data: data/missing.jsonl: no such file"), missing.output)
    }
}
