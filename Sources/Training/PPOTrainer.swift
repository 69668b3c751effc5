import Basics
import Foundation
import Model

/// PPO with a critic, as veRL's PPO trainer runs it (ToolRL's PPO rows; docs/config.md, "PPO
/// with a critic"). One step:
///
/// 1. sample and score a rollout (`RolloutSampler`);
/// 2. before any update: the policy's old log-probs, the reference's (β > 0) and the critic's
///    values V_t, each read on the row that predicts completion token t;
/// 3. token rewards (−β·KL_t with the KL in the reward, the reward on the last token), GAE
///    advantages whitened over the batch's loss-bearing tokens, returns R_t = A_t + V_t;
/// 4. `ppo.epochs` passes over the batch in `ppo.mini_batches` mini-batches of whole groups:
///    per mini-batch one critic update (`ValueLoss`) and, after the critic warm-up, one policy
///    update (`PolicyLoss` with per-token advantages, normalised over the mini-batch).
///
/// With one epoch and one mini-batch the policy update is on-policy: the ratio is exactly 1.
final class PPOTrainer {
    let policy: Transformer
    /// The frozen initial policy; nil when β = 0.
    let reference: Transformer?
    let critic: ValueModel
    let rewardFunction: RewardFunction
    let config: TrainConfig
    let ppo: PPOConfig
    /// Steps at the start that train the critic only (`critic.warmup`).
    let criticWarmup: Int
    let optimizer: AdamW
    let criticOptimizer: AdamW
    let schedule: LearningRateSchedule
    let criticSchedule: LearningRateSchedule
    var klController: KLController
    let rollouts: RolloutSampler
    let endOfText: Int32
    /// Rows (tokens) per forward micro-batch: whole groups, each prompt once.
    var microBatchTokens = 2048
    /// Whether forward passes run each prompt once for its group (`CompletionForward`).
    var sharesPrompts = true

    // Per-step buffers; per-token arrays are [N, maxNewTokens].
    let head = PolicyLossHead()
    let oldLogProbs = ScratchBuffer(), referenceLogProbs = ScratchBuffer()
    let mask = ScratchBuffer(), advantages = ScratchBuffer(), logitGradients = ScratchBuffer()
    let oldValues = ScratchBuffer(), returns = ScratchBuffer()
    let values = ScratchBuffer(), valueGradients = ScratchBuffer(), packedValueGradients = ScratchBuffer()

    init(policy: Transformer, reference: Transformer?, critic: ValueModel, endOfText: Int32,
                decode: @escaping ([Int32]) -> String, rewardFunction: RewardFunction, config: TrainConfig, ppo: PPOConfig,
                criticWarmup: Int, optimizer: AdamW, criticOptimizer: AdamW, schedule: LearningRateSchedule,
                criticSchedule: LearningRateSchedule) {
        self.policy = policy
        self.reference = reference
        self.critic = critic
        self.rewardFunction = rewardFunction
        self.config = config
        self.ppo = ppo
        self.criticWarmup = criticWarmup
        self.optimizer = optimizer
        self.criticOptimizer = criticOptimizer
        self.schedule = schedule
        self.criticSchedule = criticSchedule
        klController = KLController(train: config)
        rollouts = RolloutSampler(policy: policy, rewardFunction: rewardFunction, config: config, endOfText: endOfText,
                                  decode: decode)
        self.endOfText = endOfText
    }

    /// One PPO step (1-based `step` of `totalSteps`) on the prompts `nextPrompts` hands out.
    func step(nextPrompts: () -> [PolicyPrompt], step: Int, totalSteps: Int, random: inout RandomGenerator) -> StepReport {
        var clock = PhaseClock()

        // 1. Rollout; mini-batches of whole groups, each with its forward passes.
        let rollout = rollouts.sample(nextPrompts: nextPrompts, step: step, totalSteps: totalSteps, random: &random)
        clock.lapRollout(rollout)
        let N = rollout.count, G = rollout.groupSize, L = config.maxNewTokens, V = policy.vocabularySize
        let lengths = rollout.lengths
        let padding = endOfText >= 0 && Int(endOfText) < V ? endOfText : 0
        let layout = CompletionLayout(maxNewTokens: L, completionLengths: lengths)
        head.setTargets(rollout.completions.map(\.tokens), layout: layout)
        let lossMask = rollout.lossMask(width: L, maskTruncated: config.maskTruncated)
        mask.reset(count: N * L).update(from: lossMask, count: N * L)
        let temperature = Float(config.temperature)
        let miniBatches = Self.miniBatches(groups: rollout.prompts.count, groupSize: G, count: ppo.miniBatches)
        let prompts = rollout.prompts.map(\.tokens), kept = rollout.keptCompletions
        let forwards = miniBatches.map { range in
            CompletionForward(prompts: Array(prompts[(range.lowerBound / G)..<(range.upperBound / G)]), completions: Array(kept[range]),
                              groupSize: G, sharesPrompts: sharesPrompts, tokenBudget: microBatchTokens, padding: padding)
        }
        /// The micro-batches of mini-batch `m` with a token to score, completions numbered in the batch.
        func microBatches(_ m: Int) -> [(k: Int, completions: Range<Int>)] {
            forwards[m].scoredMicroBatches(offset: miniBatches[m].lowerBound)
        }

        // 2. Old log-probs (the training forward, as the update runs it: with one epoch and one
        // mini-batch the ratio is exactly 1), reference log-probs and values, before any update.
        let useReference = reference != nil && config.beta > 0
        oldLogProbs.reset(count: N * L)
        referenceLogProbs.reset(count: N * L)
        oldValues.reset(count: N * L)
        for (m, forward) in forwards.enumerated() {
            for (k, range) in microBatches(m) {
                head.gather(logits: forward.logits(of: policy, microBatch: k, training: true), layout: layout, range: range,
                            vocabularySize: V, temperature: temperature, into: oldLogProbs.pointer, entropies: nil)
                if useReference, let reference {
                    head.gather(logits: forward.logits(of: reference, microBatch: k, training: false), layout: layout, range: range,
                                vocabularySize: V, temperature: temperature, into: referenceLogProbs.pointer, entropies: nil)
                }
                unpackValues(forward.values(of: critic, microBatch: k), layout: layout, range: range, into: oldValues.pointer, origin: 0)
            }
        }
        clock.lap(\.referenceForward)

        // 3. Token rewards, GAE, whitened advantages, returns.
        let klInReward = useReference && config.klPlacement == .reward
        let rewardKL = klInReward
            ? RewardKL(coefficient: klController.coefficient, estimator: config.klEstimator, completions: rollout.completions,
                       lengths: lengths, reference: referenceLogProbs.pointer, width: L)
            : nil
        let tokenRewards = TokenAdvantages.rewards(scores: rollout.totals, penalties: rewardKL?.penalties, lengths: lengths, width: L)
        let valueArray = (0..<(N * L)).map { Double(oldValues.pointer[$0]) }
        let gae = GeneralizedAdvantageEstimation.compute(rewards: tokenRewards, values: valueArray, lengths: lengths, width: L,
                                                         gamma: ppo.gamma, lambda: ppo.lambda)
        let whitened = TokenAdvantages.whiten(gae.advantages, mask: lossMask)
        let advantagePointer = advantages.reset(count: N * L), returnPointer = returns.reset(count: N * L)
        for index in 0..<(N * L) {
            advantagePointer[index] = Float(whitened[index])
            returnPointer[index] = Float(gae.returns[index])
        }
        let klCoefficient = klController.coefficient
        if let rewardKL { klController.update(meanKL: rewardKL.meanKL, sequences: N) }
        clock.lap(\.reward)

        // 4. Epochs × mini-batches: a critic update, then (after the warm-up) a policy update.
        let settings = config.lossSettings(klInLoss: useReference && !klInReward)
        let updatesPolicy = step > criticWarmup
        let learningRate = schedule.rate(atStep: step), criticLearningRate = criticSchedule.rate(atStep: step)
        var policyStats: [PolicyLoss.Statistics] = [], valueStats: [ValueLoss.Statistics] = []
        var gradNorms: [Double] = [], criticGradNorms: [Double] = []
        for _ in 0..<ppo.epochs {
            for (m, forward) in forwards.enumerated() {
                let miniBatch = miniBatches[m]
                let tokens = Int(lossMask[(miniBatch.lowerBound * L)..<(miniBatch.upperBound * L)].reduce(0, +))
                valueStats.append(criticGradients(forward: forward, microBatches: microBatches(m), layout: layout, totalTokens: tokens))
                clock.lap(\.policyForwardBackward)
                criticGradNorms.append(GradientClipping.clip(critic.gradients.pointer, count: critic.gradients.count,
                                                             maxNorm: config.maxGradNorm))
                criticOptimizer.update(parameters: critic.parameters.pointer, gradients: critic.gradients.pointer,
                                       learningRate: Float(criticLearningRate))
                clock.lap(\.optimizer)
                guard updatesPolicy else { continue }
                policyStats.append(head.policyPass(
                    policy: policy, forward: forward, microBatches: microBatches(m), layout: layout, temperature: temperature,
                    oldLogProbs: oldLogProbs.pointer, recordOld: false,
                    referenceLogProbs: useReference ? referenceLogProbs.pointer : nil, mask: mask.pointer,
                    advantages: advantagePointer, settings: settings,
                    normalisation: PolicyLoss.Normalisation(sequences: miniBatch.count, tokens: tokens),
                    logitGradients: logitGradients))
                clock.lap(\.policyForwardBackward)
                gradNorms.append(GradientClipping.clip(policy.gradients.pointer, count: policy.gradients.count, maxNorm: config.maxGradNorm))
                optimizer.update(parameters: policy.parameters.pointer, gradients: policy.gradients.pointer,
                                 learningRate: Float(learningRate))
                clock.lap(\.optimizer)
            }
        }

        // 5. Metrics: the rollout's, the policy's (when it moved), the critic's (veRL's names).
        var metrics = StepMetrics.rollout(rollout, rewardFunction: rewardFunction, config: config)
        if klInReward { metrics.append(("kl_coef", klCoefficient)) }
        let stats = PolicyLoss.Statistics.mean(policyStats)
        if updatesPolicy { metrics += StepMetrics.policy(stats, useReference: useReference, config: config) }
        metrics += StepMetrics.completions(rollout)
        let valueMean = zip(valueArray, lossMask).reduce(0) { $0 + ($1.1 != 0 ? $1.0 : 0) } / max(1, Double(lossMask.reduce(0, +)))
        let vfLoss = StepMetrics.mean(valueStats.map(\.loss))
        metrics += [("critic/value_mean", valueMean), ("critic/vf_loss", vfLoss),
                    ("critic/vf_clipfrac", StepMetrics.mean(valueStats.map(\.clipFraction))),
                    ("critic/explained_variance", ValueLoss.explainedVariance(values: valueArray, returns: gae.returns, mask: lossMask)),
                    ("critic/grad_norm", StepMetrics.mean(criticGradNorms)), ("critic/learning_rate", criticLearningRate)]
        if updatesPolicy {
            metrics += [("loss", stats.loss), ("grad_norm", StepMetrics.mean(gradNorms)), ("learning_rate", learningRate)]
        }
        let tokens = zip(rollout.promptLengths, lengths).reduce(0) { $0 + $1.0 + $1.1 }
        return StepReport(metrics: metrics, loss: updatesPolicy ? stats.loss : vfLoss, tokens: tokens, timings: clock.phases,
                          flops: flops(rollout, forwards: forwards, useReference: useReference, policyUpdates: gradNorms.count,
                                       criticUpdates: criticGradNorms.count),
                          promptsDrawn: rollout.drawnGroups)
    }

    /// Zeroes the critic's gradients and leaves d(value loss)/d parameters over one mini-batch
    /// (`forward`'s micro-batches), the loss a token mean over its `totalTokens` loss-bearing tokens.
    private func criticGradients(forward: CompletionForward, microBatches: [(k: Int, completions: Range<Int>)], layout: CompletionLayout,
                                 totalTokens: Int) -> ValueLoss.Statistics {
        let L = layout.maxNewTokens
        critic.zeroGradients()
        var stats = ValueLoss.Statistics()
        for (k, range) in microBatches {
            let current = values.reset(count: range.count * L)
            unpackValues(forward.values(of: critic, microBatch: k), layout: layout, range: range, into: current, origin: range.lowerBound)
            let offset = range.lowerBound * L
            let gradients = valueGradients.reset(count: range.count * L)
            let slice = ValueLoss.compute(values: current, oldValues: oldValues.pointer + offset,
                                          returns: returns.pointer + offset, mask: mask.pointer + offset, count: range.count * L,
                                          clip: ppo.valueClip.map(Float.init), totalTokens: totalTokens, valueGradients: gradients)
            stats.loss += slice.loss
            stats.clipFraction += slice.clipFraction
            let packed = packedValueGradients.reset(count: layout.logitRows(range))
            var row = 0
            for i in range where layout.completionLengths[i] > 0 {
                for t in 0..<layout.completionLengths[i] { packed[row + t] = gradients[(i - range.lowerBound) * L + t] }
                row += layout.completionLengths[i]
            }
            forward.backward(of: critic, microBatch: k, valueGradients: packed)
        }
        return stats
    }

    /// Copies the packed values of the completions in `range` (completion by completion, as
    /// `CompletionForward` packs them) to `output` [·, maxNewTokens], completion i at row i − `origin`.
    private func unpackValues(_ packed: UnsafePointer<Float>, layout: CompletionLayout, range: Range<Int>,
                              into output: UnsafeMutablePointer<Float>, origin: Int) {
        let L = layout.maxNewTokens
        var row = 0
        for i in range where layout.completionLengths[i] > 0 {
            for t in 0..<layout.completionLengths[i] { output[(i - origin) * L + t] = packed[row + t] }
            row += layout.completionLengths[i]
        }
    }

    /// FLOPs per phase (`FLOPCounter`; the critic counted as its trunk with a one-column head).
    private func flops(_ rollout: Rollout, forwards: [CompletionForward], useReference: Bool, policyUpdates: Int,
                       criticUpdates: Int) -> StepPhases {
        let V = policy.vocabularySize
        func pass(_ config: ModelConfig, _ columns: Int, training: Bool) -> Double {
            forwards.reduce(0) { $0 + $1.flops(config: config, vocabularySize: columns, training: training) }
        }
        var flops = StepPhases()
        flops.sampling = rollout.samplingFlops
        flops.referenceForward = pass(policy.config, V, training: false) * (useReference ? 2 : 1) + pass(critic.config, 1, training: false)
        let epochs = Double(ppo.epochs), batches = Double(max(1, forwards.count))
        flops.policyForwardBackward = epochs * pass(critic.config, 1, training: true)
            + Double(policyUpdates) / batches * pass(policy.config, V, training: true)
        flops.optimizer = 10 * Double(policyUpdates * policy.parameterCount + criticUpdates * critic.parameterCount)
        return flops
    }
}

extension PPOTrainer {
    /// `groups` groups of `groupSize` completions split into `count` contiguous mini-batches of
    /// whole groups (sizes differing by at most one group), as completion ranges.
    static func miniBatches(groups: Int, groupSize: Int, count: Int) -> [Range<Int>] {
        let parts = max(1, min(count, groups))
        return (0..<parts).map { k in (groups * k / parts * groupSize)..<(groups * (k + 1) / parts * groupSize) }
    }
}
