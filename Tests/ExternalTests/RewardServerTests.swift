import XCTest
@testable import Config
@testable import External
@testable import Rewards
@testable import ToolUse
@testable import Training

/// The reward server's protocol (in process), its Unix socket and stdin/stdout transports, and the
/// Python client (`python/ablate_rewards.py`) against both, with real processes.
final class RewardServerTests: XCTestCase {
    let gold = "<think> The user wants the weather. </think>\n<tool_call>\n{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Oslo\"}}\n</tool_call>"
    var wrongValue: String { gold.replacingOccurrences(of: "Oslo", with: "Bergen") }

    func service(_ preset: RewardPreset = .original) throws -> RewardService {
        RewardService(reward: try ToolCallReward(spec: RewardSpec(preset: preset)), totalSteps: 10)
    }

    func object(_ line: String) throws -> JSONValue { try JSONValue.parse(line) }

    func request(_ items: [(String, String, Int)], extra: String = "") -> String {
        let list = items.map { "{\"gold\": \(JSONValue.string($0.0).dumps()), \"completion\": \(JSONValue.string($0.1).dumps()), \"step\": \($0.2)}" }
        return "{\"id\": 7\(extra), \"items\": [\(list.joined(separator: ", "))]}"
    }

    func testScoresABatchExactlyAsTheRewardDoes() throws {
        let reward = try ToolCallReward(spec: RewardSpec(preset: .dynamicScale))
        let service = RewardService(reward: reward, totalSteps: 10)
        // Enough items to take the parallel path; steps vary so the schedule matters.
        let items = (0..<100).map { i in (gold, i % 3 == 0 ? gold : i % 3 == 1 ? wrongValue : "no call", i % 11) }
        let answer = try object(service.respond(to: request(items)))
        XCTAssertEqual(answer["id"]?.dumps(), "7")
        let results = try XCTUnwrap(answer["results"]?.arrayValue)
        XCTAssertEqual(results.count, items.count)
        for (item, result) in zip(items, results) {
            let expected = reward.score(gold: item.0, completion: item.1, step: item.2, totalSteps: 10)
            XCTAssertEqual(result["total"], .double(expected.total))
            XCTAssertEqual(result["format"], .double(expected.format))
            XCTAssertEqual(result["correctness"], .double(expected.correctness))
            XCTAssertEqual(result["length"]?.isNull, true)
        }
        // The schedule moved the ranges: the same wrong-value answer scores differently at steps 1 and 4.
        XCTAssertNotEqual(results[1]["total"], results[4]["total"])
    }

    func testARequestMayNameAnotherRewardAndTotalSteps() throws {
        let service = try service()
        let plain = try object(service.respond(to: request([(gold, wrongValue, 0)])))
        let coarse = try object(service.respond(to: request([(gold, wrongValue, 0)], extra: ", \"reward\": \"coarse\"")))
        let composed = try object(service.respond(to: request([(gold, gold, 5)], extra: ", \"reward\": {\"preset\": \"length\", \"weights\": {\"length\": 0.5}}, \"total_steps\": 50")))
        let first = try XCTUnwrap(plain["results"]?.arrayValue?.first)
        let second = try XCTUnwrap(coarse["results"]?.arrayValue?.first)
        let third = try XCTUnwrap(composed["results"]?.arrayValue?.first)
        // original gives partial credit for a wrong value; coarse gives its minimum.
        XCTAssertEqual(second["correctness"], .double(-3))
        XCTAssertNotEqual(first["correctness"], .double(-3))
        let lengthReward = try ToolCallReward(spec: RewardSpec.decode(JSONTreeParser.parse("{\"preset\": \"length\", \"weights\": {\"length\": 0.5}}", file: "t")))
        XCTAssertEqual(third["total"], .double(lengthReward.score(gold: gold, completion: gold, step: 5, totalSteps: 50).total))
        XCTAssertNotEqual(third["length"]?.isNull, true)
    }

    func testErrorsNameTheFieldAndTheConnectionGoesOn() throws {
        let service = try service()
        XCTAssertEqual(try object(service.respond(to: "{\"id\": 1, \"items\": [{\"gold\": \"g\", \"step\": 1}]}"))["error"]?.stringValue,
                       "items[0]: missing field \"completion\"")
        XCTAssertEqual(try object(service.respond(to: "{\"items\": [{\"gold\": \"g\", \"completion\": \"c\", \"step\": -1}]}"))["error"]?.stringValue,
                       "items[0].step: expected a non-negative integer, found -1")
        XCTAssertEqual(try object(service.respond(to: "{\"op\": \"train\"}"))["error"]?.stringValue,
                       "unknown op 'train': expected score, info or evaluate")
        XCTAssertTrue(try object(service.respond(to: "{\"items\": [], \"reward\": \"medium\"}"))["error"]?.stringValue?
            .contains("unknown preset 'medium'") == true)
        XCTAssertTrue(try object(service.respond(to: "{\"items\": [1,"))["error"]?.stringValue?.hasPrefix("not valid JSON") == true)
        XCTAssertEqual(try object(service.respond(to: request([(gold, gold, 1)])))["results"]?.arrayValue?.count, 1)
    }

    func testInfoAndEvaluateUseAblatesDefinitions() throws {
        let service = try service(.length)
        let info = try object(service.respond(to: "{\"op\": \"info\"}"))
        XCTAssertEqual(info["components"]?.dumps(), "[\"format\", \"correctness\", \"length\"]")
        XCTAssertEqual(info["reward"]?["preset"]?.stringValue, "length")
        XCTAssertEqual(info["total_steps"], .integer(10))

        let items = [("seen", gold, gold), ("seen", gold, wrongValue), ("multi", gold, "nothing")]
        let list = items.map { "{\"split\": \"\($0.0)\", \"gold\": \(JSONValue.string($0.1).dumps()), \"completion\": \(JSONValue.string($0.2).dumps())}" }
        let answer = try object(service.respond(to: "{\"op\": \"evaluate\", \"step\": 4, \"items\": [\(list.joined(separator: ", "))]}"))
        XCTAssertEqual(answer["step"], .integer(4))
        let splits = try XCTUnwrap(answer["splits"]?.objectPairs)
        XCTAssertEqual(splits.map(\.0), ["overall", "seen", "multi"])
        let task = { (completion: String) in
            TaskItem(id: "x", split: .seen, prompt: "", gold: self.gold, goldCalls: CompletionParser.parse(self.gold).calls,
                     request: "", tools: [], isMasked: false)
        }
        let expected = Evaluator.evaluate(items: [task(gold), task(wrongValue)], completions: [gold, wrongValue])
        XCTAssertEqual(answer["splits"]?["seen"]?["accuracy"], .double(expected["accuracy"]!))
        XCTAssertEqual(answer["splits"]?["seen"]?["accuracy"], .double(0.5))
        XCTAssertEqual(answer["splits"]?["overall"]?["count"], .double(3))
        XCTAssertNotNil(answer["splits"]?["overall"]?["reward/length"])
    }

    /// The Python client over a real socket: TRL reward functions (one per component, named after
    /// it, scoring a batch once), weights, veRL's compute_score, evaluate; then over stdin/stdout
    /// of `ablate score --serve` started by the client.
    func testPythonClientOverTheSocketAndOverAServerItStarts() throws {
        let harness = try ExternalHarness()
        let socketPath = RewardServer.temporarySocketPath(tag: "test")
        let server = try RewardServer(service: try service(.length), socketPath: socketPath)
        defer { server.stop() }
        let script = #"""
            import json, os, sys
            from ablate_rewards import RewardClient, trl_reward_functions, trl_reward_weights, compute_score, RewardServerError
            gold, wrong = json.loads(sys.argv[1]) if len(sys.argv) > 1 else json.loads(os.environ["PAIR"])
            funcs = trl_reward_functions()
            class State: global_step = 4
            calls = []
            print("names", [f.__name__ for f in funcs])
            print("weights", trl_reward_weights())
            rows = [f(completions=[gold, [{"role": "assistant", "content": wrong}]], gold=[gold, gold], trainer_state=State()) for f in funcs]
            print("rows", json.dumps(rows))
            print("verl", json.dumps(compute_score("ablate", wrong, gold, {"step": 5})))
            client = RewardClient()
            print("direct", json.dumps(client.score([{"gold": gold, "completion": wrong, "step": 5}])))
            try:
                client.score([{"gold": gold}])
            except RewardServerError as error:
                print("error", error)
            spawned = RewardClient(command=[os.environ["ABLATE"], "score", "--serve", "--reward", "coarse"])
            print("spawned", json.dumps(spawned.score([{"gold": gold, "completion": wrong, "step": 0}])))
            spawned.close()
            """#
        let pair = JSONValue.array([.string(gold), .string(wrongValue)]).dumps()
        let result = try harness.python(script, environment: ["ABLATE_REWARD_SOCKET": socketPath, "PAIR": pair,
                                                              "ABLATE": ExternalHarness.ablate])
        XCTAssertEqual(result.status, 0, result.output)
        let lines = Dictionary(uniqueKeysWithValues: result.output.split(separator: "\n").map { line -> (String, String) in
            let parts = line.split(separator: " ", maxSplits: 1)
            return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
        })
        XCTAssertEqual(lines["names"], "['format', 'correctness', 'length']")
        XCTAssertEqual(lines["weights"], "[1.0, 1.0, 1.0]")
        let reward = try ToolCallReward(spec: RewardSpec(preset: .length))
        let exact = reward.score(gold: gold, completion: gold, step: 5, totalSteps: 10)
        let wrong = reward.score(gold: gold, completion: wrongValue, step: 5, totalSteps: 10)
        // TRL's step 4 (global_step) is Ablate's step 5.
        let rows = try JSONValue.parse(try XCTUnwrap(lines["rows"]))
        XCTAssertEqual(rows.dumps(), JSONValue.array([
            .array([.double(exact.format), .double(wrong.format)]),
            .array([.double(exact.correctness), .double(wrong.correctness)]),
            .array([.double(exact.length!), .double(wrong.length!)]),
        ]).dumps())
        let verl = try JSONValue.parse(try XCTUnwrap(lines["verl"]))
        XCTAssertEqual(verl["score"], .double(wrong.total))
        XCTAssertEqual(verl["correctness"], .double(wrong.correctness))
        XCTAssertEqual(try JSONValue.parse(try XCTUnwrap(lines["direct"])).arrayValue?.first?["total"], .double(wrong.total))
        XCTAssertEqual(lines["error"], "items[0]: missing field \"completion\"")
        let coarse = try ToolCallReward(spec: RewardSpec(preset: .coarse)).score(gold: gold, completion: wrongValue, step: 0, totalSteps: 105)
        XCTAssertEqual(try JSONValue.parse(try XCTUnwrap(lines["spawned"])).arrayValue?.first?["total"], .double(coarse.total))
    }

    func testTheServerAnswersOnStandardInputAndOutput() throws {
        let harness = try ExternalHarness()
        let input = request([(gold, gold, 1)]) + "\n\n{\"op\": \"info\"}\nnot json\n"
        let result = try harness.run(ExternalHarness.ablate, ["score", "--reward", "coarse", "--serve"], input: input)
        XCTAssertEqual(result.status, 0, result.output)
        let lines = result.output.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3, result.output)
        XCTAssertEqual(try object(lines[0])["results"]?.arrayValue?.first?["total"], .double(4))
        XCTAssertEqual(try object(lines[1])["reward"]?["preset"]?.stringValue, "coarse")
        XCTAssertNotNil(try object(lines[2])["error"])
    }
}
