import XCTest
@testable import Rewards
@testable import ToolUse

/// Fidelity `paper` against values computed by hand from the paper's formulas (docs/rewards.md,
/// "Correctness").
final class PaperFidelityTests: XCTestCase {
    let gold = """
    <think> I should use the appropriate tool with proper parameters to respond to the user's need. </think>
    <tool_call>
    {"name": "A", "parameters": {"x": 1, "y": "b"}}
    {"name": "B", "parameters": {"z": 3}}
    </tool_call>
    """
    let callA = #"{"name": "A", "parameters": {"x": 1, "y": "b"}}"#
    let callB = #"{"name": "B", "parameters": {"z": 3}}"#

    func completion(_ lines: [String], think: Bool = true) -> String {
        (think ? "<think> ok </think>\n" : "") + "<tool_call>\n" + lines.joined(separator: "\n") + "\n</tool_call>"
    }

    func score(_ text: String, preset: RewardPreset = .original, gold: String? = nil, step: Int = 0,
               totalSteps: Int = 100, fidelity: RewardFidelity = .paper) throws -> RewardBreakdown {
        let reward = try ToolCallReward(spec: RewardSpec(preset: preset, fidelity: fidelity))
        return reward.score(gold: gold ?? self.gold, completion: text, step: step, totalSteps: totalSteps)
    }

    /// The paper's correctness terms worked by hand for one gold answer (S_max = 6).
    func testSection32Table() throws {
        let cases: [(String, String, Double, Double)] = [
            ("exact", completion([callA, callB]), 1, 3),
            ("swapped", completion([callB, callA]), 1, 3),
            ("one wrong value", completion([#"{"name": "A", "parameters": {"x": 2, "y": "b"}}"#, callB]), 1, 2),
            ("string for int", completion([#"{"name": "A", "parameters": {"x": "1", "y": "b"}}"#, callB]), 1, 2),
            ("B missing", completion([callA]), 1, 0.5),
            ("extra call C", completion([callA, callB, #"{"name": "C", "parameters": {}}"#]), 1, 6 * (2.0 / 3 + 5) / 6 - 3),
            ("wrong tool names", completion([#"{"name": "X", "parameters": {"x": 1, "y": "b"}}"#, #"{"name": "Y", "parameters": {"z": 3}}"#]), 1, -3),
            ("bad JSON", completion([callA, #"{"name": "B", "parameters": {"z": 3}"#]), 1, -3),
            ("no think, B missing", completion([callA], think: false), 0, 0.5),
            ("response instead", "<think> ok </think>\n<response> done </response>", 0, -3),
        ]
        for (label, text, format, correctness) in cases {
            let result = try score(text)
            XCTAssertEqual(result.format, format, accuracy: 1e-12, label)
            XCTAssertEqual(result.correctness, correctness, accuracy: 1e-12, label)
            XCTAssertEqual(result.total, format + correctness, accuracy: 1e-12, label)
            XCTAssertNil(result.length, label)
        }
        // Where the paper fidelity deliberately differs: a blank line between calls is harmless.
        let blank = completion([callA, "", callB])
        XCTAssertEqual(try score(blank).correctness, 3)
        XCTAssertEqual(try score(blank, fidelity: .toolrlCode).correctness, -3)
    }

    /// docs/rewards.md, "The two fidelities", matching: greedy −0.714 against optimal +2.14.
    func testGreedyTrap() throws {
        let gold = "<think> t </think>\n<tool_call>\n" + #"{"name": "A", "parameters": {"x": 1}}"# + "\n"
            + #"{"name": "A", "parameters": {"x": 1, "y": 2, "z": 3}}"# + "\n</tool_call>"
        let text = completion([#"{"name": "A", "parameters": {"x": 1, "y": 2, "z": 3}}"#, #"{"name": "A", "parameters": {"x": 9}}"#])
        XCTAssertEqual(try score(text, gold: gold).correctness, 6.0 * 6 / 7 - 3, accuracy: 1e-12)
        XCTAssertEqual(try score(text, gold: gold, fidelity: .toolrlCode).correctness, 6.0 * (1 + 4.0 / 3 + 1.0 / 3) / 7 - 3, accuracy: 1e-12)
        XCTAssertEqual(try score(text, gold: gold, fidelity: .toolrlCode).correctness, -0.714, accuracy: 1e-3)
        var spec = RewardSpec(preset: .original)
        spec.correctness.matching = .greedy
        let greedy = try ToolCallReward(spec: spec).score(gold: gold, completion: text, step: 0, totalSteps: 1)
        XCTAssertEqual(greedy.correctness, -0.714, accuracy: 1e-3)
    }

    func testGranularities() throws {
        // Keys permuted and one value wrong: A {y, x=2}, B exact.
        let text = completion([#"{"name": "A", "parameters": {"y": "b", "x": 2}}"#, callB])
        // original: names 1 + A (keys 1 + values 1) + B (1 + 1) = 5 of 6.
        XCTAssertEqual(try score(text).correctness, 6.0 * 5 / 6 - 3, accuracy: 1e-12)
        // finegrained (set equality of names and keys): the same 5 of 6.
        XCTAssertEqual(try score(text, preset: .finegrained).correctness, 6.0 * 5 / 6 - 3, accuracy: 1e-12)
        // intermediate: names 1 + A 0 + B 1 = 2 of S = 3.
        XCTAssertEqual(try score(text, preset: .intermediate).correctness, 6.0 * 2 / 3 - 3, accuracy: 1e-12)
        // coarse: not the same call set.
        XCTAssertEqual(try score(text, preset: .coarse).correctness, -3)
        XCTAssertEqual(try score(completion([callB, callA]), preset: .coarse).correctness, 3)
        // finegrained: an extra call breaks name-set equality: 0 + 3 + 2 of 6.
        let extra = completion([callA, callB, #"{"name": "C", "parameters": {}}"#])
        XCTAssertEqual(try score(extra, preset: .finegrained).correctness, 6.0 * 5 / 6 - 3, accuracy: 1e-12)
        // equal_max: 2·R/S − 1.
        XCTAssertEqual(try score(completion([callA]), preset: .equalMax).correctness, 2.0 * 3.5 / 6 - 1, accuracy: 1e-12)
    }

    func testFormatNeedsGoldLayoutInOrder() throws {
        let both = "<think> t </think>\n<tool_call>\n\(callA)\n</tool_call>\n<response> r </response>"
        XCTAssertEqual(try score(both).format, 0, "a response the gold does not have")
        XCTAssertEqual(try score(completion([callA, callB])).format, 1)
        XCTAssertEqual(try score("  <think> t </think>\n\n<tool_call>\n\(callA)\n\(callB)\n</tool_call>  ").format, 1,
                       "paper fidelity accepts any whitespace between blocks")
        XCTAssertEqual(try score("<tool_call>\n\(callA)\n</tool_call>\n<think> t </think>").format, 0)
        XCTAssertEqual(try score("<think> t </think> sure! \n<tool_call>\n\(callA)\n</tool_call>").format, 0)
        let responseGold = "<think> I should directly respond to the user's need. </think>\n<response> hi </response>"
        let reply = try score("<think> a </think>\n<response> b </response>", gold: responseGold)
        XCTAssertEqual(reply.format, 1)
        XCTAssertEqual(reply.correctness, 0, "response-only gold scores 0 correctness")
    }

    func testResponseOnlyAbstainOption() throws {
        var spec = RewardSpec(preset: .original)
        spec.correctness.responseOnly = .abstain
        let reward = try ToolCallReward(spec: spec)
        let responseGold = "<think> x </think>\n<response> hi </response>"
        XCTAssertEqual(reward.score(gold: responseGold, completion: "<think> a </think>\n<response> b </response>", step: 0, totalSteps: 1).correctness, 3)
        XCTAssertEqual(reward.score(gold: responseGold, completion: completion([callA]), step: 0, totalSteps: 1).correctness, -3)
    }

    func testStrictValuesOption() throws {
        var spec = RewardSpec(preset: .original)
        spec.correctness.values = .strict
        let reward = try ToolCallReward(spec: spec)
        let boolForInt = completion([#"{"name": "A", "parameters": {"x": true, "y": "b"}}"#, callB])
        XCTAssertEqual(reward.score(gold: gold, completion: boolForInt, step: 0, totalSteps: 1).correctness, 2)
        XCTAssertEqual(try score(boolForInt).correctness, 3, "Python == counts true as 1")
        let floatForInt = completion([#"{"name": "A", "parameters": {"x": 1.0, "y": "b"}}"#, callB])
        XCTAssertEqual(reward.score(gold: gold, completion: floatForInt, step: 0, totalSteps: 1).correctness, 3)
    }

    func testLengthUnroundedWithGrowingTarget() throws {
        let text = "<think> " + Array(repeating: "w", count: 64).joined(separator: " ") + " </think>\n<tool_call>\n\(callA)\n\(callB)\n</tool_call>"
        let fixed = try score(text, preset: .length)
        XCTAssertEqual(fixed.length, 64.0 / 512, "no rounding in fidelity paper (0.125, not 0.12)")
        XCTAssertEqual(fixed.total, 1 + 3 + 0.125)
        // Growing: 512·(1 + p); at p = 1/2 the target is 768.
        XCTAssertEqual(try score(text, preset: .dynamicLength, step: 50, totalSteps: 100).length ?? -1, 64.0 / 768, accuracy: 1e-12)
        XCTAssertEqual(try score(text, preset: .dynamicLength, step: 100, totalSteps: 100).length ?? -1, 64.0 / 1024, accuracy: 1e-12)
        XCTAssertEqual(try score(text, preset: .length).length, try score(text, preset: .length, step: 99).length)
        XCTAssertEqual(try score("no think", preset: .length).length, 0)
    }

    func testPaperSchedules() throws {
        let bad = "nothing"
        // two_stage at 30/105 of the run: before, format [0,1] and correctness [-1,1]; after, [0,0.5] and [-3,3].
        let early = try score(completion([callA, callB]), preset: .twoStage, step: 29, totalSteps: 105)
        XCTAssertEqual(early.format, 1)
        XCTAssertEqual(early.correctness, 1, accuracy: 1e-12)
        let late = try score(completion([callA, callB]), preset: .twoStage, step: 30, totalSteps: 105)
        XCTAssertEqual(late.format, 0.5)
        XCTAssertEqual(late.correctness, 3)
        // dynamic: format [−2+p, 2−p], correctness [−2−p, 2+p].
        for (step, total) in [(0, 100), (25, 100), (70, 100), (100, 100)] {
            let p = Double(step) / Double(total)
            let pass = try score(completion([callA, callB]), preset: .dynamicScale, step: step, totalSteps: total)
            XCTAssertEqual(pass.format, 2 - p, accuracy: 1e-12)
            XCTAssertEqual(pass.correctness, 2 + p, accuracy: 1e-12)
            let fail = try score(bad, preset: .dynamicScale, step: step, totalSteps: total)
            XCTAssertEqual(fail.format, -2 + p, accuracy: 1e-12)
            XCTAssertEqual(fail.correctness, -2 - p, accuracy: 1e-12)
        }
    }

    func testWeightsScaleTheTotalOnly() throws {
        var spec = RewardSpec(preset: .length)
        spec.weights.format = 2
        spec.weights.correctness = 0.5
        spec.weights.length = 0
        let result = try ToolCallReward(spec: spec).score(gold: gold, completion: completion([callA]), step: 0, totalSteps: 1)
        XCTAssertEqual(result.format, 1)
        XCTAssertEqual(result.correctness, 0.5)
        XCTAssertEqual(result.total, 2 * 1 + 0.5 * 0.5)
    }
}
