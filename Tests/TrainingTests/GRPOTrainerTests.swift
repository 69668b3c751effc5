import XCTest
@testable import Basics
@testable import Model
@testable import Training

final class GRPOTrainerTests: XCTestCase {
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
        let layout = CompletionLayout(maxNewTokens: 5, completionLengths: completions.map(\.tokens.count))
        let batch = PrefixBatch(prompts: prompts, completions: completions.map(\.tokens), groupSize: 2)
        let logits = policy.forward(batch)
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

final class MicroBatchSplitTests: XCTestCase {
    func testFewestEvenMicroBatchesWithinTheBudget() {
        let batches = GRPOTrainer.microBatches(sequences: 64, width: 384, tokenBudget: 4096)
        XCTAssertEqual(batches.count, 7)                          // 10 rows fit; ⌈64/10⌉ = 7
        XCTAssertEqual(batches.map(\.count).reduce(0, +), 64)
        XCTAssertTrue(batches.allSatisfy { $0.count * 384 <= 4096 && $0.count >= 9 })
        XCTAssertEqual(batches.first?.lowerBound, 0)
        XCTAssertEqual(batches.last?.upperBound, 64)
        XCTAssertTrue(zip(batches, batches.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        // A row longer than the budget still gets a micro-batch of its own.
        XCTAssertEqual(GRPOTrainer.microBatches(sequences: 3, width: 5000, tokenBudget: 4096).map(\.count), [1, 1, 1])
    }
}
