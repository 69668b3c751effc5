import Basics
import Model
import Rewards
import XCTest
@testable import Training

/// The GRPO trainer with the issue-13 keys: dynamic sampling fills the batch, and every
/// estimator, loss and batch-shaping key runs off-policy steps with its metrics.
final class GRPOVariantsTests: XCTestCase {
    /// Prompts starting with "a" always score 0.5 (their groups carry no signal); the others score
    /// a hash of the completion (four completions of an untrained policy never all agree).
    struct HalfConstantReward: RewardFunction {
        var componentNames: [String] { ["bytes"] }
        func score(_ context: RewardContext) -> RewardScore {
            let hash = context.completion.utf8.reduce(7) { ($0 &* 31 &+ Int($1)) % 1_000_003 }
            let value = context.prompt.hasPrefix("a") ? 0.5 : Double(hash % 1000) / 1000
            return RewardScore(total: value, components: [("bytes", value)], weights: [1])
        }
    }

    func trainer(_ configure: (inout TrainConfig) -> Void, reward: RewardFunction = HalfConstantReward(),
                 reference: Bool = false) -> GRPOTrainer {
        let policy = Transformer(config: tinyModelConfig(), vocabularySize: Letters.vocabularySize, seed: 3)
        var config = TrainConfig()
        config.batchSize = 4
        config.groupSize = 4
        config.maxNewTokens = 6
        config.lr = 1e-2
        configure(&config)
        let schedule = LearningRateSchedule(peak: config.lr, warmupSteps: 0, totalSteps: 10, shape: .constant, minimumRatio: 1)
        return GRPOTrainer(policy: policy, reference: reference ? policy.copy() : nil, endOfText: Letters.endOfText,
                           decode: Letters.decode, rewardFunction: reward, config: config,
                           optimizer: AdamW(parameterCount: policy.parameterCount, settings: .init(weightDecay: 0)), schedule: schedule)
    }

    func prompts(_ tokens: [[Int32]]) -> [PolicyPrompt] {
        tokens.map { PolicyPrompt(prompt: Letters.decode($0), gold: "", tokens: $0) }
    }

    func metric(_ report: StepReport, _ name: String) -> Double? { report.metrics.first { $0.0 == name }?.1 }

    /// Batches of [constant, constant, varying, varying] then [constant, varying, constant,
    /// varying]: two batches fill the four groups, four groups dropped, none without signal.
    func testDynamicSamplingFillsTheBatch() {
        let grpo = trainer { $0.dynamicSampling = true; $0.maxResampleBatches = 3 }
        let batches = [prompts([[0, 1], [0, 2], [3, 1], [4, 2]]), prompts([[0, 3], [5, 1], [0, 4], [6, 2]])]
        var calls = 0
        var random = RandomGenerator(seed: 9)
        let report = grpo.step(nextPrompts: { defer { calls += 1 }; return batches[calls % 2] }, step: 1, totalSteps: 10,
                               random: &random)
        XCTAssertEqual(calls, 2)
        XCTAssertEqual(report.promptsDrawn, 8)
        XCTAssertEqual(metric(report, "dynamic_sampling/batches"), 2)
        XCTAssertEqual(metric(report, "dynamic_sampling/drawn_groups"), 8)
        XCTAssertEqual(metric(report, "dynamic_sampling/dropped_groups"), 4)
        XCTAssertEqual(metric(report, "frac_reward_zero_std"), 0, "only groups with signal are trained on")

        // Only constant groups: the cap stops the search and the step trains on the last batch.
        let capped = trainer { $0.dynamicSampling = true; $0.maxResampleBatches = 2 }
        calls = 0
        let constant = prompts([[0, 1], [0, 2], [0, 3], [0, 4]])
        let fallback = capped.step(nextPrompts: { calls += 1; return constant }, step: 1, totalSteps: 10, random: &random)
        XCTAssertEqual(calls, 3)
        XCTAssertEqual(metric(fallback, "dynamic_sampling/dropped_groups"), 8)
        XCTAssertEqual(metric(fallback, "frac_reward_zero_std"), 1)
        XCTAssertEqual(fallback.loss, 0, accuracy: 1e-12)
    }

    /// Two off-policy passes per variant: finite, with each variant's own metrics.
    func testEveryVariantTrains() {
        let batch = prompts([[1, 2], [3, 4, 5], [6], [2, 2, 1]])
        let variants: [(String, (inout TrainConfig) -> Void, RewardAggregation, Bool, [String])] = [
            ("rloo", { $0.advantage = .rloo }, .sumThenNormalize, false, []),
            ("reinforce_pp", { $0.advantage = .reinforcePlusPlus; $0.beta = 0.05; $0.klPlacement = .reward }, .sumThenNormalize, true,
             ["kl_coef", "kl"]),
            ("reinforce_pp_baseline", { $0.advantage = .reinforcePlusPlusBaseline }, .sumThenNormalize, false, []),
            ("gspo", { $0.importanceSampling = .sequence; $0.lossType = .grpo }, .sumThenNormalize, false, []),
            ("gspo_token", { $0.importanceSampling = .sequenceToken }, .sumThenNormalize, false, []),
            ("dual_clip", { $0.dualClip = 3 }, .sumThenNormalize, false, ["clip_ratio/dual_mean"]),
            ("cispo", { $0.lossType = .cispo; $0.epsilonHigh = 4 }, .sumThenNormalize, false, []),
            ("k2_adaptive", { $0.beta = 0.05; $0.klEstimator = .k2; $0.klPlacement = .reward; $0.klControl = .adaptive },
             .sumThenNormalize, true, ["kl_coef"]),
            ("overlong", { $0.overlongPenalty = OverlongPenalty(buffer: 3, factor: 0.5) }, .sumThenNormalize, false,
             ["rewards/overlong/mean"]),
            ("gdpo", { $0.overlongPenalty = OverlongPenalty(buffer: 3, factor: 0.5); $0.beta = 0.05; $0.klPlacement = .reward },
             .normalizeThenSum, true, ["rewards/overlong/mean"]),
        ]
        for (name, configure, aggregation, reference, expected) in variants {
            let grpo = trainer({ configure(&$0); $0.iterations = 2 }, reward: ByteFractionReward(), reference: reference)
            grpo.aggregation = aggregation
            var random = RandomGenerator(seed: 11)
            for step in 1...2 {
                let report = grpo.step(prompts: batch, step: step, totalSteps: 10, random: &random)
                XCTAssertTrue(report.loss.isFinite, name)
                XCTAssertTrue(report.metrics.allSatisfy { $0.1.isFinite }, "\(name): \(report.metrics)")
                for key in expected { XCTAssertNotNil(metric(report, key), "\(name): \(key)") }
            }
        }
    }
}
