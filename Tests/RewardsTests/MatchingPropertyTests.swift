import XCTest
@testable import Basics
@testable import Rewards
@testable import ToolUse

/// Optimal assignment is optimal: it equals exhaustive search and is never below greedy.
final class MatchingPropertyTests: XCTestCase {

    func testOptimalEqualsExhaustiveAndBeatsGreedyOnRandomMatrices() {
        var random = SplitMix64(seed: 42)
        for _ in 0..<400 {
            let rows = random.below(6), columns = random.below(6)
            let scores = (0..<rows).map { _ in
                (0..<columns).map { _ in random.below(3) == 0 ? 0 : Double(random.below(9)) / Double(1 + random.below(3)) }
            }
            let optimal = CallAssignment.optimalTotal(scores)
            XCTAssertEqual(optimal, CallAssignment.bruteForceTotal(scores), accuracy: 1e-9, "\(scores)")
            XCTAssertGreaterThanOrEqual(optimal + 1e-12, CallAssignment.greedyTotal(scores), "\(scores)")
        }
    }

    func testOptimalRewardIsNeverBelowGreedyOnRandomCallSets() throws {
        var random = SplitMix64(seed: 9)
        let names = ["A", "B", "C"]
        let keys = ["x", "y", "z"]
        func randomCall() -> ToolCall {
            var parameters: [(String, JSONValue)] = []
            for key in keys where random.below(2) == 0 { parameters.append((key, .integer(random.below(3)))) }
            return ToolCall(name: names[random.below(names.count)], parameters: parameters)
        }
        for granularity in [CorrectnessGranularity.original, .finegrained, .intermediate] {
            var optimalSpec = RewardSpec(preset: .original)
            optimalSpec.correctness.granularity = granularity
            var greedySpec = optimalSpec
            greedySpec.correctness.matching = .greedy
            let optimal = try ToolCallReward(spec: optimalSpec)
            let greedy = try ToolCallReward(spec: greedySpec)
            var strictlyBetter = 0
            for _ in 0..<150 {
                let gold = (0..<(1 + random.below(4))).map { _ in randomCall() }
                let predicted = (0..<random.below(5)).map { _ in randomCall() }
                let goldText = "<think> t </think>\n<tool_call>\n" + gold.map(\.description).joined(separator: "\n") + "\n</tool_call>"
                let text = "<think> t </think>\n<tool_call>\n" + predicted.map(\.description).joined(separator: "\n") + "\n</tool_call>"
                let best = optimal.score(gold: goldText, completion: text, step: 0, totalSteps: 1).correctness
                let first = greedy.score(gold: goldText, completion: text, step: 0, totalSteps: 1).correctness
                XCTAssertGreaterThanOrEqual(best + 1e-12, first, "\(granularity): \(goldText) vs \(text)")
                if best > first + 1e-9 { strictlyBetter += 1 }
            }
            if granularity == .original { XCTAssertGreaterThan(strictlyBetter, 0, "the random sets should include greedy traps") }
        }
    }
}

extension SplitMix64 {
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
