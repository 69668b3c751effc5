import ToolUse
import XCTest
@testable import Rewards

/// The outcome presets (binary, f1_floor, error_typed) on hand-written completions.
final class OutcomePresetTests: XCTestCase {
    let think = "<think> I should use the appropriate tool with proper parameters to respond to the user's need. </think>"
    let search = #"{"name": "search", "parameters": {"query": "cats", "limit": 5}}"#
    let oslo = #"{"name": "weather", "parameters": {"city": "Oslo"}}"#

    func answer(_ lines: [String]) -> String { think + "\n<tool_call>\n" + lines.joined(separator: "\n") + "\n</tool_call>" }
    var gold: String { answer([search, oslo]) }

    func totals(_ completion: String, gold: String? = nil, spec: RewardSpec? = nil) throws -> [RewardPreset: Double] {
        var result: [RewardPreset: Double] = [:]
        for preset in [RewardPreset.binary, .f1Floor, .errorTyped] {
            let reward = try ToolCallReward(spec: spec ?? RewardSpec(preset: preset))
            let breakdown = reward.score(gold: gold ?? self.gold, completion: completion, step: 1, totalSteps: 10)
            XCTAssertFalse(breakdown.isWeightedSum)
            XCTAssertNil(breakdown.length)
            result[preset] = breakdown.total
        }
        return result
    }

    func check(_ completion: String, gold: String? = nil, binary: Double, f1: Double, errorTyped: Double,
               _ label: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let scores = try totals(completion, gold: gold)
        XCTAssertEqual(scores[.binary]!, binary, accuracy: 1e-12, "binary: \(label)", file: file, line: line)
        XCTAssertEqual(scores[.f1Floor]!, f1, accuracy: 1e-12, "f1_floor: \(label)", file: file, line: line)
        XCTAssertEqual(scores[.errorTyped]!, errorTyped, accuracy: 1e-12, "error_typed: \(label)", file: file, line: line)
    }

    func testHandWrittenCases() throws {
        try check(answer([oslo, search]), binary: 1, f1: 1, errorTyped: 1, "perfect answer, calls reordered")
        // One of two calls right: precision = recall = 1/2.
        try check(answer([search, #"{"name": "forecast", "parameters": {"city": "Oslo"}}"#]), binary: 0, f1: 0.5,
                  errorTyped: -0.8, "wrong name")
        try check(answer([#"{"name": "search", "parameters": {"query": "cats"}}"#, oslo]), binary: 0, f1: 0.5,
                  errorTyped: -0.6, "missing parameter")
        try check("<tool_call>\n" + search + "\n" + oslo + "\n</tool_call>", binary: 0, f1: -1, errorTyped: -1,
                  "bad format: no <think>")
        // Both gold calls and one more: precision 2/3, recall 1, F1 = 0.8.
        try check(answer([search, oslo, oslo]), binary: 0, f1: 0.8, errorTyped: -0.8, "extra call")
        try check(answer([#"{"name": "search", "parameters": {"query": "cats", "limit": 5, "safe": true}}"#, oslo]),
                  binary: 0, f1: 0.5, errorTyped: -0.4, "unexpected parameter")
        try check(answer([#"{"name": "search", "parameters": {"query": "cats", "limit": "5"}}"#, oslo]),
                  binary: 0, f1: 0.5, errorTyped: -0.4, "wrong type")
        try check(answer([#"{"name": "search", "parameters": {"query": "dogs", "limit": 5}}"#, oslo]),
                  binary: 0, f1: 0.5, errorTyped: -0.2, "wrong value")
    }

    /// A gold answer without a call: the response is right; a call breaks the format (binary,
    /// f1_floor) and is a wrong count (error_typed).
    func testNoCallGold() throws {
        let gold = "<think> I should directly respond to the user's need. </think>\n<response> Sorry. </response>"
        try check("<think> no tool fits </think>\n<response> I cannot. </response>", gold: gold, binary: 1, f1: 1, errorTyped: 1,
                  "response")
        try check(answer([oslo]), gold: gold, binary: 0, f1: -1, errorTyped: -0.8, "a call where none is wanted")
    }

    func testValueEqualityAndErrorWeightsFollowTheSpec() throws {
        let boolean = answer([#"{"name": "search", "parameters": {"query": "cats", "limit": 5}}"#,
                              #"{"name": "weather", "parameters": {"city": "Oslo", "metric": true}}"#])
        let goldWithOne = answer([search, #"{"name": "weather", "parameters": {"city": "Oslo", "metric": 1}}"#])
        var spec = RewardSpec(preset: .binary)
        XCTAssertEqual(try ToolCallReward(spec: spec).score(gold: goldWithOne, completion: boolean, step: 1, totalSteps: 1).total, 1,
                       "python: true == 1")
        spec.correctness.values = .strict
        XCTAssertEqual(try ToolCallReward(spec: spec).score(gold: goldWithOne, completion: boolean, step: 1, totalSteps: 1).total, 0)
        let weighted = try JSONDecoder().decode(RewardSpec.self, from: Data(#"{"preset": "error_typed", "error_weights": {"wrong_value": 0.5}}"#.utf8))
        XCTAssertEqual(weighted.errorWeights[.wrongValue], 0.5)
        XCTAssertEqual(weighted.errorWeights[.badFormat], 1, "the others keep their defaults")
        let wrongValue = answer([#"{"name": "search", "parameters": {"query": "dogs", "limit": 5}}"#, oslo])
        XCTAssertEqual(try ToolCallReward(spec: weighted).score(gold: gold, completion: wrongValue, step: 1, totalSteps: 1).total, -0.5)
    }

    func testKeysThatDoNotApplyAreErrors() {
        func decode(_ json: String) throws -> RewardSpec { try JSONDecoder().decode(RewardSpec.self, from: Data(json.utf8)) }
        XCTAssertThrowsError(try decode(#"{"preset": "binary", "scale": {"format": [0, 2]}}"#)) { error in
            XCTAssertTrue("\(error)".contains("does not apply to preset binary"), "\(error)")
        }
        XCTAssertThrowsError(try decode(#"{"preset": "f1_floor", "correctness": {"granularity": "coarse"}}"#)) { error in
            XCTAssertTrue("\(error)".contains("only correctness.values applies"), "\(error)")
        }
        XCTAssertThrowsError(try decode(#"{"preset": "error_typed", "fidelity": "toolrl-code"}"#))
        XCTAssertThrowsError(try decode(#"{"preset": "original", "error_weights": {"wrong_name": 2}}"#)) { error in
            XCTAssertTrue("\(error)".contains("only apply to preset error_typed"), "\(error)")
        }
        XCTAssertThrowsError(try decode(#"{"preset": "error_typed", "error_weights": {"wrong_name": -1}}"#))
        XCTAssertNoThrow(try decode(#"{"preset": "binary", "correctness": {"values": "strict"}, "aggregation": "normalize_then_sum"}"#))
        // A resolved spec (every key written out) decodes again.
        for preset in [RewardPreset.binary, .f1Floor, .errorTyped] {
            let data = try! JSONEncoder().encode(RewardSpec(preset: preset))
            XCTAssertEqual(try decode(String(decoding: data, as: UTF8.self)), RewardSpec(preset: preset))
        }
    }
}
