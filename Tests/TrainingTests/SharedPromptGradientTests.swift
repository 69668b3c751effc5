import XCTest
@testable import Basics
@testable import Model
@testable import Training

/// The shared-prompt pass (each prompt once per group, its gradient summed over the group)
/// computes the gradient of the unshared pass (every sequence with its own copy of the prompt),
/// for every loss type with clipping active, KL in the loss, an entropy bonus, and prompts and
/// completions of different lengths in one batch.
final class SharedPromptGradientTests: XCTestCase {
    let model = ModelConfig(dim: 16, layers: 2, heads: 2, mlpDim: 32, context: 16, tokenizer: .bytes, bpeVocab: 512, initStd: 0.1)
    let G = 3, L = 5

    func trainer(_ policy: Transformer, _ config: TrainConfig) -> GRPOTrainer {
        GRPOTrainer(policy: policy, reference: policy.copy(), endOfText: Letters.endOfText, decode: Letters.decode,
                    rewardFunction: ByteFractionReward(), config: config,
                    optimizer: AdamW(parameterCount: policy.parameterCount, settings: .init(weightDecay: 0)),
                    schedule: LearningRateSchedule(peak: config.lr, warmupSteps: 0, totalSteps: 2, shape: .constant, minimumRatio: 1))
    }

    /// Largest relative error ‖shared − unshared‖ / ‖unshared‖ over the parameter views.
    func assertSameGradients(_ shared: [Float], _ unshared: [Float], views: [ParameterView], _ label: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        var worst = 0.0
        for view in views {
            let range = view.offset..<(view.offset + view.count)
            let difference = zip(shared[range], unshared[range]).map { Double($0 - $1) * Double($0 - $1) }.reduce(0, +).squareRoot()
            let norm = unshared[range].map { Double($0) * Double($0) }.reduce(0, +).squareRoot()
            XCTAssertGreaterThan(norm, 0, "\(label): \(view.name) has no gradient", file: file, line: line)
            let relative = difference / max(norm, 1e-30)
            worst = max(worst, relative)
            XCTAssertLessThan(relative, 1e-4, "\(label): \(view.name)", file: file, line: line)
        }
        print("\(label): largest relative gradient error over views \(worst)")
    }

    func testPolicyPassGradientsMatchForEveryLossType() {
        var random = RandomGenerator(seed: 12)
        let prompts: [[Int32]] = [4, 9, 1].map { length in (0..<length).map { _ in Int32(random.nextInt(below: 7)) } }
        let completionLengths = [5, 1, 0, 3, 5, 2, 4, 5, 1]
        let completions: [[Int32]] = completionLengths.map { length in (0..<length).map { _ in Int32(random.nextInt(below: 7)) } }
        let N = completions.count
        let layout = CompletionLayout(maxNewTokens: L, completionLengths: completionLengths)
        var mask = [Float](repeating: 0, count: N * L)
        for i in 0..<N { for j in 0..<completionLengths[i] { mask[i * L + j] = 1 } }
        let tokens = mask.reduce(0, +)
        // Per token (as GAE gives them; GRPO broadcasts one per completion).
        let advantages = (0..<(N * L)).map { _ in Float(random.nextNormal()) }
        // Several micro-batches in both forms.
        let shared = CompletionForward(prompts: prompts, completions: completions, groupSize: G, sharesPrompts: true,
                                       tokenBudget: 12, padding: Letters.endOfText)
        let unshared = CompletionForward(prompts: prompts, completions: completions, groupSize: G, sharesPrompts: false,
                                         tokenBudget: 40, padding: Letters.endOfText)
        XCTAssertGreaterThan(shared.microBatches.count, 1)
        XCTAssertGreaterThan(unshared.microBatches.count, 1)

        for type in LossType.allCases {
            var config = TrainConfig()
            config.groupSize = G
            config.maxNewTokens = L
            config.temperature = 0.8
            let policy = Transformer(config: model, vocabularySize: Letters.vocabularySize, seed: 31)
            let trainer = trainer(policy, config)
            trainer.head.setTargets(completions, layout: layout)
            // Old and reference log-probs: the current ones shifted so that ratios leave the clip range.
            var current = [Float](repeating: 0, count: N * L)
            let settings = PolicyLoss.Settings(lossType: type, epsilonLow: 0.2, epsilonHigh: 0.28, klCoefficient: 0.1,
                                               klEstimator: .k3, entropyCoefficient: 0.05, maxCompletionLength: L)
            let normalisation = PolicyLoss.Normalisation(sequences: N, tokens: Int(tokens))
            _ = trainer.policyGradients(forward: shared, layout: layout, oldLogProbs: &current, recordOld: true,
                                        referenceLogProbs: nil, mask: mask, advantages: advantages, settings: settings,
                                        normalisation: normalisation)
            let old = current.map { $0 - Float(random.nextNormal()) * 0.4 }
            let reference = current.map { $0 + Float(random.nextNormal()) * 0.3 }
            func gradients(_ forward: CompletionForward) -> ([Float], PolicyLoss.Statistics) {
                var oldCopy = old
                let stats = trainer.policyGradients(forward: forward, layout: layout, oldLogProbs: &oldCopy, recordOld: false,
                                                    referenceLogProbs: reference, mask: mask, advantages: advantages,
                                                    settings: settings, normalisation: normalisation)
                return (Array(policy.gradients.buffer), stats)
            }
            let (sharedGradients, sharedStats) = gradients(shared)
            let (unsharedGradients, unsharedStats) = gradients(unshared)
            XCTAssertGreaterThan(sharedStats.clipRegion, 0, "clipping must be active (\(type))")
            XCTAssertEqual(sharedStats.loss, unsharedStats.loss, accuracy: 1e-5 * max(1, abs(unsharedStats.loss)))
            XCTAssertEqual(sharedStats.kl, unsharedStats.kl, accuracy: 1e-5)
            XCTAssertEqual(sharedStats.entropy, unsharedStats.entropy, accuracy: 1e-5)
            XCTAssertEqual(sharedStats.clipRegion, unsharedStats.clipRegion, accuracy: 1e-12)
            assertSameGradients(sharedGradients, unsharedGradients, views: policy.gradients.views, "\(type)")
        }
    }

    /// A whole step (sampling, reference forward, loss with KL and entropy, backward) gives the
    /// same gradients and metrics either way.
    func testWholeStepMatches() {
        func step(sharesPrompts: Bool) -> ([Float], [(String, Double)], [ParameterView]) {
            let policy = Transformer(config: model, vocabularySize: Letters.vocabularySize, seed: 5)
            var config = TrainConfig()
            config.batchSize = 3
            config.groupSize = G
            config.maxNewTokens = L
            config.beta = 0.2
            config.entropyCoef = 0.02
            config.lossType = .grpo
            let trainer = trainer(policy, config)
            trainer.sharesPrompts = sharesPrompts
            trainer.microBatchTokens = 16
            var random = RandomGenerator(seed: 3)
            let prompts = [[Int32]([1, 2]), [3, 0, 6, 2, 5, 1, 4], [4]].map { PolicyPrompt(prompt: Letters.decode($0), gold: "", tokens: $0) }
            let report = trainer.step(prompts: prompts, step: 1, totalSteps: 2, random: &random)
            return (Array(policy.gradients.buffer), report.metrics, policy.gradients.views)
        }
        let (shared, sharedMetrics, views) = step(sharesPrompts: true)
        let (unshared, unsharedMetrics, _) = step(sharesPrompts: false)
        for (a, b) in zip(sharedMetrics, unsharedMetrics) {
            XCTAssertEqual(a.0, b.0)
            XCTAssertEqual(a.1, b.1, accuracy: 1e-5 * max(1, abs(b.1)), a.0)
        }
        assertSameGradients(shared, unshared, views: views, "whole step")
    }
}
