import XCTest
@testable import Basics
@testable import Model
@testable import Training

final class GRPOLearningTests: XCTestCase {
    /// A tiny policy learns to emit 'a' (one of 7 letters) within a few dozen GRPO steps.
    func testRewardRisesOnASimpleRealReward() {
        let policy = Transformer(config: tinyModelConfig(), vocabularySize: Letters.vocabularySize, seed: 3)
        var config = TrainConfig()
        config.batchSize = 4
        config.groupSize = 8
        config.maxNewTokens = 6
        config.lr = 1e-2
        config.steps = 30
        config.lossType = .dapo
        let optimizer = AdamW(parameterCount: policy.parameterCount, settings: .init(weightDecay: 0))
        let schedule = LearningRateSchedule(peak: config.lr, warmupSteps: 0, totalSteps: config.steps, shape: .constant, minimumRatio: 1)
        let trainer = GRPOTrainer(policy: policy, reference: nil, endOfText: Letters.endOfText, decode: Letters.decode,
                                  rewardFunction: ByteFractionReward(), config: config, optimizer: optimizer, schedule: schedule)
        let prompts: [[Int32]] = [[1, 2], [3, 4, 5], [6], [2, 2, 1]]
        let policyPrompts = prompts.map { PolicyPrompt(prompt: Letters.decode($0), gold: "", tokens: $0) }
        var random = RandomGenerator(seed: 5)
        var rewards: [Double] = []
        for step in 1...config.steps {
            let report = trainer.step(prompts: policyPrompts, step: step, totalSteps: config.steps, random: &random)
            XCTAssertTrue(report.loss.isFinite)
            rewards.append(report.metrics.first { $0.0 == "reward" }!.1)
            // μ = 1: exactly on-policy, nothing clips.
            XCTAssertEqual(report.metrics.first { $0.0 == "clip_ratio/region_mean" }!.1, 0)
        }
        let first = rewards.prefix(5).reduce(0, +) / 5
        let last = rewards.suffix(5).reduce(0, +) / 5
        print("GRPO learning: first-5 reward \(first), last-5 reward \(last)")
        XCTAssertGreaterThan(last, first + 0.3, "rewards: \(rewards)")
    }
}
