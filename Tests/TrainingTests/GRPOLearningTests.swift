import XCTest
import Model
@testable import Training

/// Reward: the fraction of completion bytes equal to `target`.
struct ByteFractionReward: RewardFunction {
    var target: UInt8 = UInt8(ascii: "a")
    var componentNames: [String] { ["bytes"] }
    func score(_ context: RewardContext) -> RewardScore {
        let bytes = Array(context.completion.utf8)
        let value = bytes.isEmpty ? 0 : Double(bytes.filter { $0 == target }.count) / Double(bytes.count)
        return RewardScore(total: value, components: [("bytes", value)])
    }
}

func tinyModelConfig(context: Int = 32) -> ModelConfig {
    ModelConfig(dim: 16, layers: 1, heads: 2, mlpDim: 32, context: context, tokenizer: .bytes, bpeVocab: 512, initStd: 0.02)
}

/// A toy vocabulary for fast tests: token t is the letter "abcdefg"[t]; token 7 is end-of-text.
enum Letters {
    static let vocabularySize = 8
    static let endOfText: Int32 = 7
    static func decode(_ tokens: [Int32]) -> String {
        String(tokens.compactMap { $0 < 7 ? Character(Unicode.Scalar(UInt8(ascii: "a") + UInt8($0))) : nil })
    }
}

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

    /// Splitting the forward passes into micro-batches changes nothing but memory: the loss
    /// weights refer to the whole batch. Off-policy passes (μ = 2), KL and entropy on.
    func testMicroBatchesGiveTheSameStep() {
        func trainedParameters(microBatchTokens: Int) -> ([Float], [(String, Double)]) {
            let policy = Transformer(config: tinyModelConfig(), vocabularySize: Letters.vocabularySize, seed: 9)
            var config = TrainConfig()
            config.batchSize = 3
            config.groupSize = 3
            config.maxNewTokens = 4
            config.iterations = 2
            config.beta = 0.1
            config.entropyCoef = 0.01
            config.lossType = .grpo
            config.lr = 1e-2
            let optimizer = AdamW(parameterCount: policy.parameterCount, settings: .init(weightDecay: 0))
            let schedule = LearningRateSchedule(peak: config.lr, warmupSteps: 0, totalSteps: 2, shape: .constant, minimumRatio: 1)
            let trainer = GRPOTrainer(policy: policy, reference: policy.copy(), endOfText: Letters.endOfText, decode: Letters.decode,
                                      rewardFunction: ByteFractionReward(), config: config, optimizer: optimizer, schedule: schedule)
            trainer.microBatchTokens = microBatchTokens
            var random = RandomGenerator(seed: 1)
            let prompts = [[Int32]([1, 2]), [3], [4, 5, 6]].map { PolicyPrompt(prompt: Letters.decode($0), gold: "", tokens: $0) }
            var metrics: [(String, Double)] = []
            var firstGradients: [Float] = []
            for step in 1...2 {
                metrics += trainer.step(prompts: prompts, step: step, totalSteps: 2, random: &random).metrics
                if step == 1 { firstGradients = Array(policy.gradients.buffer) }
            }
            return (firstGradients, metrics)
        }
        let (whole, wholeMetrics) = trainedParameters(microBatchTokens: 1 << 20)
        let (split, splitMetrics) = trainedParameters(microBatchTokens: 8)   // one or two sequences per micro-batch
        for (a, b) in zip(wholeMetrics, splitMetrics) {
            XCTAssertEqual(a.0, b.0)
            XCTAssertEqual(a.1, b.1, accuracy: 1e-5 * max(1, abs(a.1)), a.0)
        }
        // The last pass's gradients of step 1 (Adam would amplify rounding in near-zero gradients).
        let largest = zip(whole, split).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThan(largest, 1e-4 * (whole.map(abs).max() ?? 1), "float summation order only")
    }

    /// The sampler's log-probs (used for the KL-in-reward penalty) are the training forward's
    /// log-probs of the same tokens at the same temperature, up to float rounding.
    func testSamplerLogProbsMatchTheTrainingForward() {
        let policy = Transformer(config: tinyModelConfig(), vocabularySize: Letters.vocabularySize, seed: 21)
        let sampler = Sampler(model: policy, endOfText: Letters.endOfText)
        var random = RandomGenerator(seed: 8)
        let prompts: [[Int32]] = [[1, 2, 3], [4]]
        let settings = SamplingSettings(temperature: 0.7, topK: 0, topP: 1, maxNewTokens: 5, stopSequences: [])
        let completions = sampler.generate(prompts: prompts, completionsPerPrompt: 2, settings: settings, random: &random)
        let sequences = completions.enumerated().map { prompts[$0.offset / 2] + $0.element.tokens }
        let width = sequences.map(\.count).max()!
        let layout = CompletionLayout(width: width, maxNewTokens: 5, promptLengths: completions.indices.map { prompts[$0 / 2].count },
                                      completionLengths: completions.map(\.tokens.count))
        let rows = TokenRows()
        rows.fill(sequences, width: width, padding: Letters.endOfText)
        let logits = policy.forward(tokens: rows.tokens, batchSize: 4, sequenceLength: width)
        let head = PolicyLossHead()
        head.setTargets(completions.map(\.tokens), layout: layout)
        var gathered = [Float](repeating: 0, count: 4 * 5)
        head.gather(logits: logits, layout: layout, range: 0..<4, vocabularySize: Letters.vocabularySize, temperature: 0.7,
                    into: &gathered, entropies: nil)
        for (i, completion) in completions.enumerated() {
            for (j, logProb) in completion.logProbs.enumerated() {
                XCTAssertEqual(gathered[i * 5 + j], logProb, accuracy: 1e-4, "completion \(i) token \(j)")
            }
        }
    }

    /// KL in the reward: after the policy has moved away from the reference, `kl` is positive and
    /// the penalty reaches the advantages (the loss's KL term is off).
    func testKLInTheRewardPlacement() {
        let policy = Transformer(config: tinyModelConfig(), vocabularySize: Letters.vocabularySize, seed: 4)
        var config = TrainConfig()
        config.batchSize = 2
        config.groupSize = 4
        config.maxNewTokens = 4
        config.beta = 0.5
        config.klEstimator = .k1
        config.klPlacement = .reward
        config.lr = 5e-2
        let optimizer = AdamW(parameterCount: policy.parameterCount, settings: .init(weightDecay: 0))
        let schedule = LearningRateSchedule(peak: config.lr, warmupSteps: 0, totalSteps: 3, shape: .constant, minimumRatio: 1)
        let trainer = GRPOTrainer(policy: policy, reference: policy.copy(), endOfText: Letters.endOfText, decode: Letters.decode,
                                  rewardFunction: ByteFractionReward(), config: config, optimizer: optimizer, schedule: schedule)
        var random = RandomGenerator(seed: 2)
        let prompts = [[Int32]([1]), [2, 3]].map { PolicyPrompt(prompt: Letters.decode($0), gold: "", tokens: $0) }
        var kl: [Double] = []
        for step in 1...3 {
            let report = trainer.step(prompts: prompts, step: step, totalSteps: 3, random: &random)
            XCTAssertTrue(report.loss.isFinite)
            kl.append(report.metrics.first { $0.0 == "kl" }!.1)
        }
        XCTAssertEqual(kl[0], 0, accuracy: 1e-6, "the first step starts at the reference")
        XCTAssertNotEqual(kl[2], 0)
    }
}

final class SupervisedTrainerTests: XCTestCase {
    /// SFT: the loss covers only target tokens, falls with training, and micro-batches change nothing.
    func testSFTLearnsAndMicroBatchesAgree() {
        func train(microBatchTokens: Int, algorithm: TrainingAlgorithm) -> ([Double], [Float]) {
            let model = Transformer(config: tinyModelConfig(), vocabularySize: Letters.vocabularySize, seed: 6)
            var config = TrainConfig()
            config.lr = 3e-2
            let optimizer = AdamW(parameterCount: model.parameterCount, settings: .init(weightDecay: 0))
            let schedule = LearningRateSchedule(peak: config.lr, warmupSteps: 0, totalSteps: 8, shape: .constant, minimumRatio: 1)
            let trainer = SupervisedTrainer(model: model, algorithm: algorithm, endOfText: Letters.endOfText, config: config,
                                            optimizer: optimizer, schedule: schedule)
            trainer.microBatchTokens = microBatchTokens
            let examples = [SupervisedExample(promptTokens: [1, 2, 3], targetTokens: [0, 0, 7]),
                            SupervisedExample(promptTokens: [4], targetTokens: [0, 7]),
                            SupervisedExample(promptTokens: [5, 6], targetTokens: [0, 0, 0, 7])]
            var firstGradients: [Float] = []
            let losses = (1...8).map { step -> Double in
                let loss = trainer.step(examples: examples, step: step).loss
                if step == 1 { firstGradients = Array(model.gradients.buffer) }
                return loss
            }
            return (losses, firstGradients)
        }
        let (losses, whole) = train(microBatchTokens: 1 << 20, algorithm: .sft)
        XCTAssertLessThan(losses.last!, 0.5 * losses.first!)
        // With 8 letters the untrained loss is about ln 8.
        XCTAssertEqual(losses.first!, log(8), accuracy: 0.3)
        let (splitLosses, split) = train(microBatchTokens: 7, algorithm: .sft)   // one sequence per micro-batch
        for (a, b) in zip(losses, splitLosses) { XCTAssertEqual(a, b, accuracy: 1e-4) }
        // Gradients of the first step (Adam would amplify rounding in near-zero gradients).
        let scale = whole.map(abs).max()!
        XCTAssertLessThan(zip(whole, split).map { abs($0 - $1) }.max()!, 1e-4 * scale)
        // Pretraining also predicts the prompt tokens, so its first loss differs.
        let (pretrainLosses, _) = train(microBatchTokens: 1 << 20, algorithm: .pretrain)
        XCTAssertNotEqual(pretrainLosses.first!, losses.first!)
    }
}
