import Basics
import Model
import XCTest
@testable import Training

/// PPO with its critic learns the letters task: one completion per prompt (ToolRL's PPO
/// setting: no group baseline, the critic and batch whitening are all it has).
final class PPOLearningTests: XCTestCase {
    static let prompts: [[Int32]] = [[1, 2], [3, 4, 5], [6], [2, 2, 1], [5, 1], [4], [3, 3], [6, 5, 4]]

    func makeTrainer(epochs: Int, miniBatches: Int, steps: Int, epsilon: Double = 0.2, groupSize: Int = 1) -> PPOTrainer {
        let policy = Transformer(config: tinyModelConfig(), vocabularySize: Letters.vocabularySize, seed: 3)
        let critic = ValueModel(startingFrom: policy, seed: 4)
        var config = TrainConfig()
        config.algorithm = .ppo
        config.batchSize = Self.prompts.count
        config.groupSize = groupSize
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

    /// Each prompt once for its group (the default) or once per completion: the same step, up to
    /// float rounding: every metric, and the gradients of the policy and of the critic (one
    /// update each, so both see the same parameters; several micro-batches).
    func testSharedAndUnsharedPassesAgree() {
        func step(sharesPrompts: Bool) -> (PPOTrainer, StepReport) {
            let trainer = makeTrainer(epochs: 1, miniBatches: 1, steps: 2, groupSize: 2)
            trainer.sharesPrompts = sharesPrompts
            trainer.microBatchTokens = 12
            let prompts = Self.prompts.prefix(4).map { PolicyPrompt(prompt: Letters.decode($0), gold: "", tokens: $0) }
            var random = RandomGenerator(seed: 8)
            return (trainer, trainer.step(nextPrompts: { Array(prompts) }, step: 1, totalSteps: 2, random: &random))
        }
        let (shared, sharedReport) = step(sharesPrompts: true)
        let (unshared, unsharedReport) = step(sharesPrompts: false)
        for (a, b) in zip(sharedReport.metrics, unsharedReport.metrics) {
            XCTAssertEqual(a.0, b.0)
            XCTAssertEqual(a.1, b.1, accuracy: 1e-5 * max(1, abs(b.1)), a.0)
        }
        for (name, a, b) in [("policy", shared.policy.gradients, unshared.policy.gradients),
                             ("critic", shared.critic.gradients, unshared.critic.gradients)] {
            for view in a.views {
                let range = view.offset..<(view.offset + view.count)
                let x = Array(a.buffer)[range], y = Array(b.buffer)[range]
                let difference = zip(x, y).map { Double($0 - $1) * Double($0 - $1) }.reduce(0, +).squareRoot()
                let norm = y.map { Double($0) * Double($0) }.reduce(0, +).squareRoot()
                XCTAssertLessThan(difference, 1e-4 * max(norm, 1e-6), "\(name) \(view.name)")
            }
        }
    }
}
