import Model
import XCTest
@testable import Training

/// PPO with its critic learns the letters task: one completion per prompt (ToolRL's PPO
/// setting: no group baseline, the critic and batch whitening are all it has).
final class PPOLearningTests: XCTestCase {
    static let prompts: [[Int32]] = [[1, 2], [3, 4, 5], [6], [2, 2, 1], [5, 1], [4], [3, 3], [6, 5, 4]]

    func makeTrainer(epochs: Int, miniBatches: Int, steps: Int, epsilon: Double = 0.2) -> PPOTrainer {
        let policy = Transformer(config: tinyModelConfig(), vocabularySize: Letters.vocabularySize, seed: 3)
        let critic = ValueModel(startingFrom: policy, seed: 4)
        var config = TrainConfig()
        config.algorithm = .ppo
        config.batchSize = Self.prompts.count
        config.groupSize = 1
        config.maxNewTokens = 6
        config.lr = 1e-2
        config.epsilon = epsilon
        var ppo = PPOConfig()
        ppo.epochs = epochs
        ppo.miniBatches = miniBatches
        let schedule = LearningRateSchedule(peak: config.lr, warmupSteps: 0, totalSteps: steps, shape: .constant, minimumRatio: 1)
        let criticSchedule = LearningRateSchedule(peak: 1e-2, warmupSteps: 0, totalSteps: steps, shape: .constant, minimumRatio: 1)
        return PPOTrainer(policy: policy, reference: nil, critic: critic, endOfText: Letters.endOfText, decode: Letters.decode,
                          rewardFunction: ByteFractionReward(), config: config, ppo: ppo, criticWarmup: 0,
                          optimizer: AdamW(parameterCount: policy.parameterCount, settings: .init(weightDecay: 0)),
                          criticOptimizer: AdamW(parameterCount: critic.parameterCount, settings: .init(weightDecay: 0)),
                          schedule: schedule, criticSchedule: criticSchedule)
    }

    /// Two epochs of two mini-batches: the later updates are off-policy, so the clip works too.
    func testRewardRisesOnTheLettersTask() {
        let steps = 20
        let trainer = makeTrainer(epochs: 2, miniBatches: 2, steps: steps)
        let prompts = (Self.prompts + Self.prompts).map { PolicyPrompt(prompt: Letters.decode($0), gold: "", tokens: $0) }
        var random = RandomGenerator(seed: 5)
        var rewards: [Double] = [], clipped: [Double] = []
        for step in 1...steps {
            let report = trainer.step(nextPrompts: { prompts }, step: step, totalSteps: steps, random: &random)
            XCTAssertTrue(report.loss.isFinite)
            func metric(_ name: String) -> Double { report.metrics.first { $0.0 == name }!.1 }
            rewards.append(metric("reward"))
            clipped.append(metric("clip_ratio/region_mean"))
            for name in ["critic/value_mean", "critic/vf_loss", "critic/vf_clipfrac", "critic/explained_variance"] {
                XCTAssertTrue(metric(name).isFinite, name)
            }
        }
        let first = rewards.prefix(5).reduce(0, +) / 5
        let last = rewards.suffix(5).reduce(0, +) / 5
        print("PPO learning: first-5 reward \(first), last-5 reward \(last)")
        XCTAssertGreaterThan(last, first + 0.3, "rewards: \(rewards)")
        XCTAssertGreaterThan(clipped.max()!, 0, "off-policy mini-batches must reach the clip")
    }

    /// One epoch of one mini-batch is on-policy: the ratio is exactly 1, so nothing clips even with
    /// a clip range of zero.
    func testOneEpochOfOneMiniBatchIsExactlyOnPolicy() {
        let trainer = makeTrainer(epochs: 1, miniBatches: 1, steps: 2, epsilon: 0)
        let prompts = Self.prompts.map { PolicyPrompt(prompt: Letters.decode($0), gold: "", tokens: $0) }
        var random = RandomGenerator(seed: 6)
        for step in 1...2 {
            let report = trainer.step(nextPrompts: { prompts }, step: step, totalSteps: 2, random: &random)
            XCTAssertEqual(report.metrics.first { $0.0 == "clip_ratio/region_mean" }?.1, 0)
        }
    }
}
