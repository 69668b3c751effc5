import Basics
import XCTest
@testable import Training

/// GAE's backward recursion against the direct sum `A_t = Σ_l (γλ)^l δ_{t+l}`.
final class GAETests: XCTestCase {
    func testRecursionEqualsTheDirectSum() {
        var generator = SplitMix64(seed: 23)
        let lengths = [5, 1, 3, 0], width = 5, count = lengths.count * width
        let rewards = (0..<count).map { _ in generator.nextUnit() * 2 - 1 }
        let values = (0..<count).map { _ in generator.nextUnit() * 2 - 1 }
        for (gamma, lambda) in [(1.0, 1.0), (0.9, 0.8), (0.99, 0.0), (0.5, 1.0)] {
            let result = GeneralizedAdvantageEstimation.compute(rewards: rewards, values: values, lengths: lengths, width: width,
                                                                gamma: gamma, lambda: lambda)
            for (i, length) in lengths.enumerated() {
                let row = i * width
                func delta(_ t: Int) -> Double {
                    rewards[row + t] + gamma * (t + 1 < length ? values[row + t + 1] : 0) - values[row + t]
                }
                for t in 0..<width {
                    var direct = 0.0
                    if t < length {
                        for l in 0..<(length - t) { direct += pow(gamma * lambda, Double(l)) * delta(t + l) }
                    }
                    XCTAssertEqual(result.advantages[row + t], direct, accuracy: 1e-12, "γ \(gamma) λ \(lambda) row \(i) t \(t)")
                    XCTAssertEqual(result.returns[row + t], t < length ? direct + values[row + t] : 0, accuracy: 1e-12)
                }
            }
        }
    }

    /// γ = λ = 1 (veRL's default, ToolRL's PPO): A_t is the reward-to-go less V_t; with the reward
    /// only on the last token, every return is that reward.
    func testUndiscountedGAEIsRewardToGoLessTheValue() {
        let rewards: [Double] = [0, 0, 2, 0]
        let values: [Double] = [0.5, 1, 1.5, 7]
        let result = GeneralizedAdvantageEstimation.compute(rewards: rewards, values: values, lengths: [3], width: 4, gamma: 1, lambda: 1)
        XCTAssertEqual(result.advantages, [1.5, 1, 0.5, 0], accuracy: 1e-12)
        XCTAssertEqual(result.returns, [2, 2, 2, 0], accuracy: 1e-12)
        // λ = 0: one-step TD errors.
        let td = GeneralizedAdvantageEstimation.compute(rewards: rewards, values: values, lengths: [3], width: 4, gamma: 1, lambda: 0)
        XCTAssertEqual(td.advantages, [0.5, 0.5, 0.5, 0], accuracy: 1e-12)
    }
}
