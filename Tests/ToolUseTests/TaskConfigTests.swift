import Foundation
import XCTest
@testable import ToolUse

final class TaskConfigTests: XCTestCase {
    private func decode(_ json: String) throws -> TaskConfig {
        try JSONDecoder().decode(TaskConfig.self, from: Data(json.utf8))
    }

    func testEmptyObjectGivesDefaults() throws {
        XCTAssertEqual(try decode("{}"), TaskConfig())
        let config = TaskConfig()
        XCTAssertEqual(config.preset, .small)
        XCTAssertEqual(config.resolvedTrainSize, 400)
        XCTAssertEqual(config.resolvedEvalSize, 50)
    }

    func testEveryKeyDecodes() throws {
        let config = try decode("""
            {"preset": "medium", "catalog": "pretraining", "mask_names": 0.5, "prompt_style": "toolrl",
             "tools_per_prompt": 6, "train_size": 123, "eval_size": 7, "multi_fraction": 0.4,
             "no_call_fraction": 0.2, "max_calls": 4, "seed_offset": 9, "data": "d.json",
             "eval_data": {"path": "e.json", "resolved": "/abs/e.json", "sha256": "ab12"}, "data_eval_fraction": 0.1}
            """)
        XCTAssertEqual(config, TaskConfig(preset: .medium, catalog: .pretraining, maskNames: 0.5, promptStyle: .toolrl,
                                          toolsPerPrompt: 6, trainSize: 123, evalSize: 7, multiFraction: 0.4,
                                          noCallFraction: 0.2, maxCalls: 4, seedOffset: 9, data: "d.json",
                                          evalData: DataFileReference("e.json", resolved: "/abs/e.json", sha256: "ab12"),
                                          dataEvalFraction: 0.1))
        XCTAssertEqual(config.resolvedTrainSize, 123)
    }

    func testEncodingWritesEveryFieldAndRoundTrips() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(TaskConfig())
        let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        XCTAssertEqual(Set(object.keys), ["preset", "catalog", "mask_names", "prompt_style", "tools_per_prompt",
                                          "train_size", "eval_size", "multi_fraction", "no_call_fraction",
                                          "max_calls", "seed_offset", "world_tools", "world_seed", "data", "eval_data",
                                          "data_eval_fraction"])
        XCTAssertTrue(object["train_size"] is NSNull)
        let custom = TaskConfig(preset: .tiny, maskNames: 0.25, trainSize: 10, data: "x.json")
        XCTAssertEqual(try JSONDecoder().decode(TaskConfig.self, from: encoder.encode(custom)), custom)
        // A resolved data file is written with its path as written, resolved path and hash.
        let resolved = TaskConfig(data: DataFileReference("x.json", resolved: "/d/x.json", sha256: "00ff"))
        let written = try JSONSerialization.jsonObject(with: encoder.encode(resolved)) as! [String: Any]
        XCTAssertEqual(written["data"] as? [String: String], ["path": "x.json", "resolved": "/d/x.json", "sha256": "00ff"])
        let withEval = TaskConfig(data: "x.json", evalData: "y.json")
        let withEvalObject = try JSONSerialization.jsonObject(with: encoder.encode(withEval)) as! [String: Any]
        XCTAssertEqual(withEvalObject["eval_data"] as? String, "y.json")
        XCTAssertEqual(try JSONDecoder().decode(TaskConfig.self, from: encoder.encode(withEval)), withEval)
        XCTAssertEqual(try JSONDecoder().decode(TaskConfig.self, from: encoder.encode(resolved)), resolved)
    }

    func testBadValuesSayWhatIsAllowed() {
        let cases: [(String, String)] = [
            (#"{"preset": "huge"}"#, "expected one of tiny, small, medium"),
            (#"{"prompt_style": "chatml"}"#, "expected one of toolrl, compact"),
            (#"{"mask_names": 1.5}"#, "expected a number from 0 to 1"),
            (#"{"tools_per_prompt": 0}"#, "0 is not allowed: expected an integer ≥ 1"),
            (#"{"max_calls": 9}"#, "expected an integer from 2 to 4"),
            (#"{"multi_fraction": 0.7, "no_call_fraction": 0.5}"#, "expected at most 1"),
            (#"{"eval_data": "test.json"}"#, "eval_data needs data"),
            (#"{"data": ""}"#, "a data file path cannot be empty"),
            (#"{"data": 3}"#, "expected a data file path"),
        ]
        for (json, message) in cases {
            XCTAssertThrowsError(try decode(json), json) { error in
                guard case DecodingError.dataCorrupted(let context) = error else {
                    return XCTFail("\(json): \(error)")
                }
                XCTAssertTrue(context.debugDescription.contains(message), context.debugDescription)
            }
        }
    }
}
