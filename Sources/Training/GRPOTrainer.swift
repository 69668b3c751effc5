import Basics
import Foundation
import Model
import Rewards

/// GRPO on one policy: sample G completions per prompt, score, turn rewards into advantages
/// (`train.advantage`, `reward.aggregation`), then μ passes of the clipped surrogate with KL and
/// entropy terms (the `train` keys of docs/config.md), each pass one AdamW update.
///
/// Old log-probs are the first pass's own forward (the policy has not moved yet, so they equal
/// the sampler's up to float rounding) and are stored for passes 2…μ; with μ = 1 the ratio is
/// therefore exactly 1. The KL-in-reward penalty uses the sampler's log-probs, which are
/// available before any forward pass. Every forward and backward (reference and policy) runs each
/// prompt once for its group (`CompletionForward`, `PrefixBatch`): equal to a full pass of every
/// prompt + completion row up to float rounding, at ~40 % of its cost with G = 8 and prompts
/// twice as long as completions.
public final class GRPOTrainer {
    public let policy: Transformer
    /// The frozen initial policy; nil when β = 0.
    public let reference: Transformer?
    public let rewardFunction: RewardFunction
    public let config: TrainConfig
    public let optimizer: AdamW
    public let schedule: LearningRateSchedule
    /// How the reward's components become advantages (`reward.aggregation`).
    var aggregation: RewardAggregation = .sumThenNormalize
    /// REINFORCE++'s discount γ (`ppo.gamma`).
    var discount: Double = 1
    /// The coefficient of a KL in the reward and its controller (checkpointed by the run).
    var klController: KLController
    let rollouts: RolloutSampler
    let endOfText: Int32

    // Per-step buffers, kept across steps. Per-token arrays are [N, maxNewTokens].
    /// Rows (tokens) per forward micro-batch: whole groups, each prompt once.
    var microBatchTokens = 2048
    /// Whether forward passes run each prompt once for its group (`CompletionForward`); false
    /// runs every sequence with its own copy of the prompt, the reference the tests compare with.
    var sharesPrompts = true
    let head = PolicyLossHead()
    let oldLogProbs = ScratchBuffer(), referenceLogProbs = ScratchBuffer()
    let mask = ScratchBuffer(), advantages = ScratchBuffer(), logitGradients = ScratchBuffer()

    /// `endOfText` ends completions (a value outside the vocabulary disables early stopping:
    /// the benchmark); `decode` turns completion tokens into the text the reward sees.
    public init(policy: Transformer, reference: Transformer?, endOfText: Int32, decode: @escaping ([Int32]) -> String,
                rewardFunction: RewardFunction, config: TrainConfig, optimizer: AdamW, schedule: LearningRateSchedule) {
        self.policy = policy
        self.reference = reference
        self.rewardFunction = rewardFunction
        self.config = config
        self.optimizer = optimizer
        self.schedule = schedule
        klController = KLController(train: config)
        rollouts = RolloutSampler(policy: policy, rewardFunction: rewardFunction, config: config, endOfText: endOfText,
                                  decode: decode)
        self.endOfText = endOfText
    }

    public convenience init(policy: Transformer, reference: Transformer?, tokenizer: Tokenizer, rewardFunction: RewardFunction,
                            config: TrainConfig, optimizer: AdamW, schedule: LearningRateSchedule) {
        self.init(policy: policy, reference: reference, endOfText: tokenizer.endOfText, decode: { tokenizer.decode($0) },
                  rewardFunction: rewardFunction, config: config, optimizer: optimizer, schedule: schedule)
    }

    /// One GRPO step (1-based `step` of `totalSteps`) on `prompts` (drawn again when dynamic
    /// sampling asks for more); draws from `random`.
    public func step(prompts: [PolicyPrompt], step: Int, totalSteps: Int, random: inout RandomGenerator) -> StepReport {
        self.step(nextPrompts: { prompts }, step: step, totalSteps: totalSteps, random: &random)
    }

    /// One GRPO step on the prompts `nextPrompts` hands out (one batch, or more with dynamic
    /// sampling: `StepReport.promptsDrawn` says how many).
    func step(nextPrompts: () -> [PolicyPrompt], step: Int, totalSteps: Int, random: inout RandomGenerator) -> StepReport {
        var clock = PhaseClock()

        // 1. Sample G completions per prompt (prompt-major) and score them.
        let rollout = rollouts.sample(nextPrompts: nextPrompts, step: step, totalSteps: totalSteps, random: &random)
        clock.lapRollout(rollout)
        let prompts = rollout.prompts, completions = rollout.completions
        let G = config.groupSize, N = rollout.count, L = config.maxNewTokens
        let V = policy.vocabularySize
        let completionLengths = rollout.lengths

        // 2. Per-token arrays and the forward passes.
        let lossMask = rollout.lossMask(width: L, maskTruncated: config.maskTruncated)
        let maskPointer = mask.reset(count: N * L)
        maskPointer.update(from: lossMask, count: N * L)
        let padding = endOfText >= 0 && Int(endOfText) < V ? endOfText : 0
        let layout = CompletionLayout(maxNewTokens: L, completionLengths: completionLengths)
        head.setTargets(completions.map(\.tokens), layout: layout)
        // Forward passes run on micro-batches of whole groups of at most `microBatchTokens`
        // rows so that the stored activations stay small; gradients accumulate across them.
        let forward = CompletionForward(prompts: prompts.map(\.tokens), completions: rollout.keptCompletions, groupSize: G,
                                       sharesPrompts: sharesPrompts, tokenBudget: microBatchTokens, padding: padding)

        // 3. Reference log-probs (no grad) when a KL term is on.
        let temperature = Float(config.temperature)
        let useReference = reference != nil && config.beta > 0
        if useReference, let reference {
            referenceLogProbs.reset(count: N * L)
            for (k, range) in forward.scoredMicroBatches() {
                let logits = forward.logits(of: reference, microBatch: k, training: false)
                head.gather(logits: logits, layout: layout, range: range, vocabularySize: V,
                            temperature: temperature, into: referenceLogProbs.pointer, entropies: nil)
            }
        }
        clock.lap(\.referenceForward)

        // 4. Advantages. With the KL in the reward, each completion token first loses β·KL_t,
        // measured with the sampler's log-probs (those of the policy that sampled it).
        let klInReward = useReference && config.klPlacement == .reward
        let rewardKL = klInReward
            ? RewardKL(coefficient: klController.coefficient, estimator: config.klEstimator, completions: completions,
                       lengths: completionLengths, reference: referenceLogProbs.pointer, width: L)
            : nil
        let (tokenAdvantages, fractionZeroStd) = self.tokenAdvantages(rollout, rewardKL: rewardKL, lossMask: lossMask)
        let advantagePointer = advantages.reset(count: N * L)
        for index in 0..<(N * L) { advantagePointer[index] = Float(tokenAdvantages[index]) }
        let klCoefficient = klController.coefficient
        if let rewardKL { klController.update(meanKL: rewardKL.meanKL, sequences: N) }
        oldLogProbs.reset(count: N * L)
        clock.lap(\.reward)

        // 5. μ passes, each one AdamW update.
        let settings = config.lossSettings(klInLoss: useReference && !klInReward)
        var lossTokens = 0
        for index in 0..<(N * L) where maskPointer[index] != 0 { lossTokens += 1 }
        let normalisation = PolicyLoss.Normalisation(sequences: N, tokens: lossTokens)
        var passStats: [PolicyLoss.Statistics] = []
        var gradNorms: [Double] = []
        let learningRate = schedule.rate(atStep: step)
        for pass in 0..<config.iterations {
            let stats = policyGradients(forward: forward, layout: layout, oldLogProbs: oldLogProbs.pointer, recordOld: pass == 0,
                                        referenceLogProbs: useReference ? referenceLogProbs.pointer : nil, mask: maskPointer,
                                        advantages: advantagePointer, settings: settings, normalisation: normalisation)
            passStats.append(stats)
            clock.lap(\.policyForwardBackward)
            let gradients = policy.gradients
            gradNorms.append(GradientClipping.clip(gradients.pointer, count: gradients.count, maxNorm: config.maxGradNorm))
            optimizer.update(parameters: policy.parameters.pointer, gradients: gradients.pointer, learningRate: Float(learningRate))
            clock.lap(\.optimizer)
        }

        // 6. Metrics (TRL names, docs/architecture.md).
        var metrics = StepMetrics.rollout(rollout, rewardFunction: rewardFunction, config: config)
        metrics.append(("frac_reward_zero_std", fractionZeroStd))
        if klInReward { metrics.append(("kl_coef", klCoefficient)) }
        let stats = PolicyLoss.Statistics.mean(passStats)
        metrics += StepMetrics.policy(stats, useReference: useReference, config: config)
        metrics += StepMetrics.completions(rollout)
        metrics.append(("loss", stats.loss))
        metrics.append(("grad_norm", StepMetrics.mean(gradNorms)))
        metrics.append(("learning_rate", learningRate))
        let passes = Double(passStats.count)
        let tokens = zip(rollout.promptLengths, completionLengths).reduce(0) { $0 + $1.0 + $1.1 }
        var flops = StepPhases()
        flops.sampling = rollout.samplingFlops
        flops.referenceForward = useReference ? forward.flops(config: policy.config, vocabularySize: V, training: false) : 0
        flops.policyForwardBackward = passes * forward.flops(config: policy.config, vocabularySize: V, training: true)
        flops.optimizer = passes * 10 * Double(policy.parameterCount)
        return StepReport(metrics: metrics, loss: stats.loss, tokens: tokens, timings: clock.phases, flops: flops,
                          promptsDrawn: rollout.drawnGroups)
    }

    /// Per-token advantages [N, L] of a rollout and TRL's `frac_reward_zero_std`.
    func tokenAdvantages(_ rollout: Rollout, rewardKL: RewardKL?, lossMask: [Float]) -> ([Double], Double) {
        let L = config.maxNewTokens, G = config.groupSize
        let batch = BatchRewards(scores: rollout.totals, groupSize: G, lengths: rollout.lengths,
                                 klPenalties: rewardKL?.penalties, mask: lossMask, width: L)
        let (estimated, fractionZeroStd) = config.advantage.advantages(batch, scaling: config.scaleRewards, ddof: config.stdDdof,
                                                                       epsilon: config.advantageEps, gamma: discount)
        guard aggregation == .normalizeThenSum else { return (estimated, fractionZeroStd) }
        // GDPO: each part normalised in its group; the KL in the reward is a part of weight 1.
        var (parts, weights) = rollout.rewardParts(overlongOn: config.overlongPenalty != nil)
        if let rewardKL {
            for (i, penalty) in rewardKL.totals(lengths: rollout.lengths, width: L).enumerated() { parts[i].append(-penalty) }
            weights.append(1)
        }
        let sequence = GroupAdvantages.normalizeThenSum(components: parts, weights: weights, groupSize: G,
                                                        ddof: config.stdDdof, epsilon: config.advantageEps)
        return (TokenAdvantages.broadcast(sequence, width: L), fractionZeroStd)
    }

}

extension GRPOTrainer {
    /// One pass of the loss over the whole batch (`PolicyLossHead.policyPass`), leaving
    /// d loss / d parameters in `policy.gradients`.
    func policyGradients(forward: CompletionForward, layout: CompletionLayout, oldLogProbs: UnsafeMutablePointer<Float>,
                         recordOld: Bool, referenceLogProbs: UnsafePointer<Float>?, mask: UnsafePointer<Float>,
                         advantages: UnsafePointer<Float>, settings: PolicyLoss.Settings,
                         normalisation: PolicyLoss.Normalisation) -> PolicyLoss.Statistics {
        head.policyPass(policy: policy, forward: forward, microBatches: forward.scoredMicroBatches(), layout: layout,
                        temperature: Float(config.temperature), oldLogProbs: oldLogProbs, recordOld: recordOld,
                        referenceLogProbs: referenceLogProbs, mask: mask, advantages: advantages, settings: settings,
                        normalisation: normalisation, logitGradients: logitGradients)
    }

    /// Splits N sequences of `width` tokens into the fewest micro-batches of at most
    /// `tokenBudget` tokens (at least one sequence each), with sizes differing by at most one.
    static func microBatches(sequences N: Int, width: Int, tokenBudget: Int) -> [Range<Int>] {
        let perBatch = max(1, tokenBudget / max(1, width))
        let count = (N + perBatch - 1) / perBatch
        guard count > 0 else { return [] }
        return (0..<count).map { k in (N * k / count)..<(N * (k + 1) / count) }
    }
}
