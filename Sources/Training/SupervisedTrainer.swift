import Basics
import Foundation
import Model

/// One supervised example: the prompt (context) and the target text's tokens (ending in EOS).
struct SupervisedExample {
    var promptTokens: [Int32]
    var targetTokens: [Int32]
    init(promptTokens: [Int32], targetTokens: [Int32]) {
        self.promptTokens = promptTokens
        self.targetTokens = targetTokens
    }
}

/// Teacher-forced next-token cross-entropy. `pretrain` puts the loss on every next token of
/// prompt + target; `sft` only on the target tokens (the prompt is context).
final class SupervisedTrainer {
    let model: Transformer
    public let algorithm: TrainingAlgorithm
    let config: TrainConfig
    let optimizer: AdamW
    public let schedule: LearningRateSchedule
    let endOfText: Int32
    /// Tokens per forward micro-batch (rows of the batch's longest length each).
    var microBatchTokens = 4096
    let rows = TokenRows()
    let targets = TokenScratch()
    let logProbs = ScratchBuffer(), logProbGradients = ScratchBuffer(), logitGradients = ScratchBuffer()

    init(model: Transformer, algorithm: TrainingAlgorithm, endOfText: Int32, config: TrainConfig,
                optimizer: AdamW, schedule: LearningRateSchedule) {
        precondition(algorithm != .grpo, "SupervisedTrainer trains pretrain or sft")
        self.model = model
        self.algorithm = algorithm
        self.endOfText = endOfText
        self.config = config
        self.optimizer = optimizer
        self.schedule = schedule
    }

    /// One optimiser step on `examples`. Sequences longer than the context lose prompt tokens
    /// from the left (and target tokens from the right only if the target alone is too long).
    public func step(examples: [SupervisedExample], step: Int) -> StepReport {
        var clock = PhaseClock()
        let context = model.config.context, V = model.vocabularySize
        var sequences: [[Int32]] = []
        var targetStarts: [Int] = []
        for example in examples {
            let target = Array(example.targetTokens.prefix(context))
            let prompt = Array(example.promptTokens.suffix(max(0, context - target.count)))
            sequences.append(prompt + target)
            targetStarts.append(prompt.count)
        }
        let B = sequences.count
        let T = max(2, sequences.map(\.count).max() ?? 2)
        // Row t of a sequence predicts its token t + 1; targets are [B, T], −1 where no loss.
        let targetPointer = targets.reset(count: B * T, to: -1)
        var count = 0
        for (b, sequence) in sequences.enumerated() {
            let first = algorithm == .pretrain ? 0 : max(0, targetStarts[b] - 1)
            guard sequence.count >= 2 else { continue }
            for t in first..<(sequence.count - 1) {
                targetPointer[b * T + t] = sequence[t + 1]
                count += 1
            }
        }
        // Loss = mean over all target tokens of the batch; forward passes run on micro-batches
        // of at most `microBatchTokens` tokens and their gradients accumulate.
        let denominator = Double(max(1, count))
        let logProbPointer = logProbs.reset(count: B * T)
        let gradientPointer = logProbGradients.reset(count: B * T)
        for n in 0..<(B * T) where targetPointer[n] >= 0 { gradientPointer[n] = Float(-1 / denominator) }
        model.zeroGradients()
        let perMicroBatch = max(1, microBatchTokens / T)
        var flops = StepPhases()
        flops.policyForwardBackward = FLOPCounter.forwardBackward(config: model.config, vocabularySize: V, batchSize: B, sequenceLength: T)
        flops.optimizer = 10 * Double(model.parameterCount)
        for first in stride(from: 0, to: B, by: perMicroBatch) {
            let rowsInBatch = min(B, first + perMicroBatch) - first
            let offset = first * T
            rows.fill(Array(sequences[first..<(first + rowsInBatch)]), width: T, padding: endOfText)
            let logits = model.forward(tokens: rows.tokens, batchSize: rowsInBatch, sequenceLength: T)
            TokenLogProbs.forward(logProbs: logProbPointer + offset, entropies: nil, logits: logits,
                                  targets: targetPointer + offset, temperature: 1, rows: rowsInBatch * T, vocabularySize: V)
            let dLogits = logitGradients.reset(count: rowsInBatch * T * V)
            TokenLogProbs.backward(logitGradients: dLogits, logProbGradients: gradientPointer + offset, entropyGradients: nil,
                                   logits: logits, targets: targetPointer + offset, temperature: 1,
                                   rows: rowsInBatch * T, vocabularySize: V)
            model.backward(logitGradients: dLogits)
        }
        var loss = 0.0
        for n in 0..<(B * T) where targetPointer[n] >= 0 { loss -= Double(logProbPointer[n]) }
        loss /= denominator
        clock.lap(\.policyForwardBackward)
        let learningRate = schedule.rate(atStep: step)
        let gradNorm = GradientClipping.clip(model.gradients.pointer, count: model.gradients.count, maxNorm: config.maxGradNorm)
        optimizer.update(parameters: model.parameters.pointer, gradients: model.gradients.pointer, learningRate: Float(learningRate))
        clock.lap(\.optimizer)
        let tokens = sequences.reduce(0) { $0 + $1.count }
        return StepReport(metrics: [("loss", loss), ("grad_norm", gradNorm), ("learning_rate", learningRate)],
                          loss: loss, tokens: tokens, timings: clock.phases, flops: flops, promptsDrawn: examples.count)
    }
}
