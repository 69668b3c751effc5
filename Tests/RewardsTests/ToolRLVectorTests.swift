import TestSupport
import XCTest
@testable import Rewards
@testable import ToolUse

/// Every case of toolrl-reward-vectors.jsonl (values from the original ToolRL code) must come out
/// the same under fidelity toolrl-code, within 1e-6, on all four fields.
final class ToolRLVectorTests: XCTestCase {
    func testEveryReferenceVectorMatches() throws {
        let url = try fixtureURL("toolrl-reward-vectors.jsonl")
        let text = try String(contentsOf: url, encoding: .utf8)
        var rewards: [String: ToolCallReward] = [:]
        var checked = 0
        var failures: [String] = []
        for (index, line) in text.split(separator: "\n").enumerated() {
            let case_ = try JSONValue.parse(line)
            guard let variant = case_["variant"]?.stringValue, let gold = case_["gold"]?.stringValue,
                  let completion = case_["completion"]?.stringValue, case .integer(let step)? = case_["step"],
                  let id = case_["id"]?.stringValue else {
                return XCTFail("line \(index + 1) lacks a field")
            }
            let preset = try XCTUnwrap(RewardPreset(rawValue: variant), "unknown variant \(variant)")
            let reward = try rewards[variant] ?? ToolCallReward(spec: RewardSpec(preset: preset, fidelity: .toolrlCode))
            rewards[variant] = reward
            let result = reward.score(gold: gold, completion: completion, step: step, totalSteps: 105)
            func number(_ key: String) -> Double? {
                switch case_[key] {
                case .integer(let whole)?: return Double(whole)
                case .double(let value)?: return value
                default: return nil
                }
            }
            var problems: [String] = []
            let fields: [(String, Double)] = [("format", result.format), ("correctness", result.correctness), ("total", result.total)]
            for (key, actual) in fields {
                let expected = number(key)
                if let expected, Swift.abs(expected - actual) <= 1e-6 { continue }
                problems.append("\(key) \(actual) expected \(String(describing: expected))")
            }
            let expectedLength = number("length")
            switch (expectedLength, result.length) {
            case (nil, nil): break
            case let (expected?, actual?) where Swift.abs(expected - actual) <= 1e-6: break
            default: problems.append("length \(String(describing: result.length)) expected \(String(describing: expectedLength))")
            }
            if !problems.isEmpty {
                let detail = case_["detail"]?.stringValue ?? ""
                let perturbation = case_["perturbation"]?.stringValue ?? ""
                failures.append("\(id) [\(variant), step \(step), \(perturbation): \(detail)]: " + problems.joined(separator: "; "))
            }
            checked += 1
        }
        XCTAssertEqual(checked, 150)
        XCTAssertTrue(failures.isEmpty, "\(failures.count) vectors differ:\n" + failures.joined(separator: "\n"))
    }
}
