import XCTest
@testable import Basics
@testable import Model
@testable import Training

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

final class SupervisedMemorisationTests: XCTestCase {
    /// SFT on two fixed examples, then greedy decoding reproduces each target: the trainer's
    /// targets line up with what the sampler generates.
    func testGreedyDecodingReproducesMemorisedTargets() {
        let model = Transformer(config: tinyModelConfig(context: 48), vocabularySize: Letters.vocabularySize, seed: 12)
        var config = TrainConfig()
        config.lr = 2e-2
        let optimizer = AdamW(parameterCount: model.parameterCount, settings: .init(weightDecay: 0))
        let schedule = LearningRateSchedule(peak: config.lr, warmupSteps: 0, totalSteps: 150, shape: .constant, minimumRatio: 1)
        let trainer = SupervisedTrainer(model: model, algorithm: .sft, endOfText: Letters.endOfText, config: config,
                                        optimizer: optimizer, schedule: schedule)
        // Long prompts (30 tokens) so that positions far into the context matter.
        let promptA: [Int32] = (0..<30).map { Int32($0 % 5) }
        let promptB: [Int32] = (0..<30).map { Int32(($0 * 3 + 1) % 6) }
        let examples = [SupervisedExample(promptTokens: promptA, targetTokens: [6, 5, 4, 3, 2, 1, 0, 7]),
                        SupervisedExample(promptTokens: promptB, targetTokens: [0, 0, 1, 1, 2, 2, 3, 7])]
        var loss = 0.0
        for step in 1...150 { loss = trainer.step(examples: examples, step: step).loss }
        XCTAssertLessThan(loss, 0.05)
        let sampler = Sampler(model: model, endOfText: Letters.endOfText)
        var random = RandomGenerator(seed: 1)
        let settings = SamplingSettings(temperature: 0, topK: 0, topP: 1, maxNewTokens: 10, stopSequences: [])
        let outputs = sampler.generate(prompts: [promptA, promptB], completionsPerPrompt: 1, settings: settings, random: &random)
        XCTAssertEqual(outputs[0].tokens, [6, 5, 4, 3, 2, 1, 0, 7])
        XCTAssertEqual(outputs[1].tokens, [0, 0, 1, 1, 2, 2, 3, 7])
    }
}
