import Foundation
import XCTest
@testable import Benchmarks
@testable import Rewards
@testable import ToolUse

final class ToolCallRewardTests: XCTestCase {
    func gold(_ name: String) -> String {
        "<think> g </think>\n<tool_call>\n{\"name\": \"\(name)\", \"parameters\": {\"x\": 1}}\n</tool_call>"
    }

    /// The gold cache is keyed by code points: NFC and NFD spellings are different answers.
    func testGoldCacheKeepsCanonicallyEquivalentGoldsApart() throws {
        let nfc = "caf\u{E9}", nfd = "cafe\u{301}"
        XCTAssertEqual(nfc, nfd, "Swift's == treats them as equal")
        let completion = "<think> c </think>\n<tool_call>\n{\"name\": \"\(nfc)\", \"parameters\": {\"x\": 1}}\n</tool_call>"
        for fidelity in RewardFidelity.allCases {
            let reward = try ToolCallReward(spec: RewardSpec(preset: .original, fidelity: fidelity))
            XCTAssertEqual(reward.score(gold: gold(nfc), completion: completion, step: 1, totalSteps: 10).correctness, 3)
            XCTAssertEqual(reward.score(gold: gold(nfd), completion: completion, step: 1, totalSteps: 10).correctness, -3)
            XCTAssertEqual(reward.score(gold: gold(nfc), completion: completion, step: 1, totalSteps: 10).correctness, 3)
        }
    }

    func testConcurrentScoringAgreesWithSerialScoring() throws {
        let lines = ScoreBenchmark.syntheticLines(count: 400, seed: 3).map { try! JSONValue.parse($0) }
        for fidelity in RewardFidelity.allCases {
            let serial = try ToolCallReward(spec: RewardSpec(preset: .dynamicScale, fidelity: fidelity))
            let expected = lines.map {
                serial.score(gold: $0["gold"]!.stringValue!, completion: $0["completion"]!.stringValue!, step: 40, totalSteps: 100)
            }
            let shared = try ToolCallReward(spec: RewardSpec(preset: .dynamicScale, fidelity: fidelity))
            var results = [RewardBreakdown?](repeating: nil, count: lines.count)
            let lock = NSLock()
            DispatchQueue.concurrentPerform(iterations: 4) { worker in
                for index in stride(from: worker, to: lines.count, by: 4) {
                    let line = lines[index]
                    let result = shared.score(gold: line["gold"]!.stringValue!, completion: line["completion"]!.stringValue!,
                                              step: 40, totalSteps: 100)
                    lock.lock()
                    results[index] = result
                    lock.unlock()
                }
            }
            XCTAssertEqual(results.compactMap { $0 }, expected, fidelity.rawValue)
        }
    }

    func testBreakdownTotalsAndLengthPresence() throws {
        let text = "<think> one two three </think>\n<tool_call>\n{\"name\": \"A\", \"parameters\": {\"x\": 1}}\n</tool_call>"
        for preset in RewardPreset.allCases where preset.isToolRL {
            for fidelity in RewardFidelity.allCases {
                let reward = try ToolCallReward(spec: RewardSpec(preset: preset, fidelity: fidelity))
                let result = reward.score(gold: gold("A"), completion: text, step: 50, totalSteps: 105)
                XCTAssertEqual(result.length != nil, preset == .length || preset == .dynamicLength, "\(preset) \(fidelity)")
                XCTAssertEqual(result.total, result.format + result.correctness + (result.length ?? 0), accuracy: 1e-12)
                XCTAssertGreaterThan(result.format, 0, "\(preset) \(fidelity): well-formed")
                let range = reward.ranges(step: 50, totalSteps: 105).correctness
                XCTAssertEqual(result.correctness, range.max, accuracy: 1e-12, "\(preset) \(fidelity): exact calls")
            }
        }
    }
}
