import Basics
import Foundation
import Model

/// One prompt of a GRPO batch: its text (for the reward), the reference output, and its tokens.
public struct PolicyPrompt {
    public var prompt: String
    public var gold: String
    public var tokens: [Int32]
    public init(prompt: String, gold: String, tokens: [Int32]) {
        self.prompt = prompt
        self.gold = gold
        self.tokens = tokens
    }
}

/// GRPO on one policy: sample G completions per prompt, score, group-normalise, then μ passes
/// of the clipped surrogate with KL and entropy terms (the `train` keys of docs/config.md), each
/// pass one AdamW update.
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
    let sampler: Sampler
    let endOfText: Int32
    let decode: ([Int32]) -> String

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
        sampler = Sampler(model: policy, endOfText: endOfText)
        self.endOfText = endOfText
        self.decode = decode
    }

    public convenience init(policy: Transformer, reference: Transformer?, tokenizer: Tokenizer, rewardFunction: RewardFunction,
                            config: TrainConfig, optimizer: AdamW, schedule: LearningRateSchedule) {
        self.init(policy: policy, reference: reference, endOfText: tokenizer.endOfText, decode: { tokenizer.decode($0) },
                  rewardFunction: rewardFunction, config: config, optimizer: optimizer, schedule: schedule)
    }

    var samplingSettings: SamplingSettings {
        SamplingSettings(temperature: Float(config.temperature), topK: config.topK, topP: Float(config.topP),
                         maxNewTokens: config.maxNewTokens, stopSequences: [])
    }

    /// One GRPO step (1-based `step` of `totalSteps`) on `prompts`; draws from `random`.
    public func step(prompts: [PolicyPrompt], step: Int, totalSteps: Int, random: inout RandomGenerator) -> StepReport {
        var timings = StepPhases()
        let G = config.groupSize, N = prompts.count * G, L = config.maxNewTokens
        let V = policy.vocabularySize, context = policy.config.context
        var clock = now()
        func lap(_ phase: WritableKeyPath<StepPhases, Double>) {
            let t = now()
            timings[keyPath: phase] += t - clock
            clock = t
        }

        // 1. Sample G completions per prompt (prompt-major).
        let completions = sampler.generate(prompts: prompts.map(\.tokens), completionsPerPrompt: G,
                                           settings: samplingSettings, random: &random)
        lap(\.sampling)

        // 2. The completion tokens the loss sees, per-token arrays, and the forward passes.
        var keptCompletions: [[Int32]] = []
        keptCompletions.reserveCapacity(N)
        var promptLengths = [Int](repeating: 0, count: N)
        var completionLengths = [Int](repeating: 0, count: N)
        var truncated = [Bool](repeating: false, count: N)
        let maskPointer = mask.reset(count: N * L)
        for i in 0..<N {
            let prompt = prompts[i / G].tokens
            let completion = completions[i].tokens
            let kept = max(0, min(completion.count, L, context - prompt.count))
            promptLengths[i] = prompt.count
            completionLengths[i] = kept
            truncated[i] = completions[i].finish == .length
            if !(config.maskTruncated && truncated[i]) {
                for j in 0..<kept { maskPointer[i * L + j] = 1 }
            }
            keptCompletions.append(Array(completion.prefix(kept)))
        }
        let padding = endOfText >= 0 && Int(endOfText) < V ? endOfText : 0
        let layout = CompletionLayout(maxNewTokens: L, completionLengths: completionLengths)
        head.setTargets(completions.map(\.tokens), layout: layout)
        // Forward passes run on micro-batches of whole groups of at most `microBatchTokens`
        // rows so that the stored activations stay small; gradients accumulate across them.
        let forward = CompletionForward(prompts: prompts.map(\.tokens), completions: keptCompletions, groupSize: G,
                                       sharesPrompts: sharesPrompts, tokenBudget: microBatchTokens, padding: padding)

        // 3. Rewards on the decoded completions (EOS stripped).
        var totals = [Double](repeating: 0, count: N)
        var componentValues: [String: [Double]] = [:]
        var componentOrder: [String] = rewardFunction.componentNames
        for i in 0..<N {
            var tokens = Array(completions[i].tokens.prefix(completionLengths[i]))
            if tokens.last == endOfText { tokens.removeLast() }
            let prompt = prompts[i / G]
            let score = rewardFunction.score(RewardContext(prompt: prompt.prompt, gold: prompt.gold, completion: decode(tokens),
                                                           completionTokens: tokens, step: step, totalSteps: totalSteps))
            totals[i] = score.total
            for (name, value) in score.components {
                if componentValues[name] == nil {
                    componentValues[name] = []
                    if !componentOrder.contains(name) { componentOrder.append(name) }
                }
                componentValues[name]!.append(value)
            }
        }
        lap(\.reward)

        // 4. Reference log-probs (no grad) when a KL term is on.
        let temperature = Float(config.temperature)
        let useReference = reference != nil && config.beta > 0
        if useReference, let reference {
            referenceLogProbs.reset(count: N * L)
            for k in forward.microBatches.indices where forward.logitRows(k) > 0 {
                let logits = forward.logits(of: reference, microBatch: k, training: false)
                head.gather(logits: logits, layout: layout, range: forward.microBatches[k], vocabularySize: V,
                            temperature: temperature, into: referenceLogProbs.pointer, entropies: nil)
            }
        }
        lap(\.referenceForward)

        // 5. Advantages. With the KL in the reward, each completion first loses β·Σ_t KL_t,
        // measured with the sampler's log-probs (those of the policy that sampled it).
        var rewardStats = RewardStatistics(totals: totals, groupSize: G, config: config)
        let klInReward = useReference && config.klPlacement == .reward
        if klInReward {
            let sampled = oldLogProbs.reset(count: N * L)
            for i in 0..<N {
                for j in 0..<completionLengths[i] { sampled[i * L + j] = completions[i].logProbs[j] }
            }
            rewardStats.subtractKL(beta: config.beta, estimator: config.klEstimator, old: sampled,
                                   reference: referenceLogProbs.pointer, completionLengths: completionLengths, width: L)
        }
        oldLogProbs.reset(count: N * L)
        let advantagePointer = advantages.reset(count: N)
        for i in 0..<N { advantagePointer[i] = Float(rewardStats.advantages[i]) }

        // 6. μ passes, each one AdamW update.
        let settings = PolicyLoss.Settings(
            lossType: config.lossType, epsilonLow: Float(config.epsilon), epsilonHigh: Float(config.resolvedEpsilonHigh),
            klCoefficient: useReference && !klInReward ? Float(config.beta) : 0, klEstimator: config.klEstimator,
            entropyCoefficient: Float(config.entropyCoef), maxCompletionLength: L)
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
            lap(\.policyForwardBackward)
            let gradients = policy.gradients
            gradNorms.append(GradientClipping.clip(gradients.pointer, count: gradients.count, maxNorm: config.maxGradNorm))
            optimizer.update(parameters: policy.parameters.pointer, gradients: gradients.pointer, learningRate: Float(learningRate))
            lap(\.optimizer)
        }

        // 7. Metrics (TRL names, docs/architecture.md).
        func mean(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }
        let passes = Double(passStats.count)
        func passMean(_ key: KeyPath<PolicyLoss.Statistics, Double>) -> Double { passStats.reduce(0) { $0 + $1[keyPath: key] } / passes }
        var metrics: [(String, Double)] = [
            ("reward", mean(totals)),
            ("reward_std", GroupAdvantages.standardDeviation(totals[...], ddof: 1)),
        ]
        for name in componentOrder {
            let values = componentValues[name] ?? []
            metrics.append(("rewards/\(name)/mean", mean(values)))
            metrics.append(("rewards/\(name)/std", GroupAdvantages.standardDeviation(values[...], ddof: 1)))
        }
        metrics.append(("frac_reward_zero_std", rewardStats.fractionZeroStd))
        if useReference { metrics.append(("kl", passMean(\.kl))) }
        metrics.append(("entropy", passMean(\.entropy)))
        metrics.append(("clip_ratio/low_mean", passMean(\.clipLow)))
        metrics.append(("clip_ratio/high_mean", passMean(\.clipHigh)))
        metrics.append(("clip_ratio/region_mean", passMean(\.clipRegion)))
        let lengths = completionLengths.map(Double.init)
        metrics.append(("completions/mean_length", mean(lengths)))
        metrics.append(("completions/min_length", lengths.min() ?? 0))
        metrics.append(("completions/max_length", lengths.max() ?? 0))
        metrics.append(("completions/clipped_ratio", mean(truncated.map { $0 ? 1 : 0 })))
        let loss = passMean(\.loss)
        metrics.append(("loss", loss))
        metrics.append(("grad_norm", mean(gradNorms)))
        metrics.append(("learning_rate", learningRate))
        let tokens = zip(promptLengths, completionLengths).reduce(0) { $0 + $1.0 + $1.1 }
        var flops = StepPhases()
        flops.sampling = FLOPCounter.sampling(config: policy.config, vocabularySize: V, promptLengths: prompts.map(\.tokens.count),
                                              groupSize: G, completionLengths: completions.map(\.tokens.count))
        flops.referenceForward = useReference ? forward.flops(config: policy.config, vocabularySize: V, training: false) : 0
        flops.policyForwardBackward = passes * forward.flops(config: policy.config, vocabularySize: V, training: true)
        flops.optimizer = passes * 10 * Double(policy.parameterCount)
        return StepReport(metrics: metrics, loss: loss, tokens: tokens, timings: timings, flops: flops)
    }

}

extension GRPOTrainer {
    /// One pass of the loss over the batch: zeroes the policy's gradients, then per micro-batch
    /// forward, loss and backward, leaving d loss / d parameters in `policy.gradients`. With
    /// `recordOld` (the first pass, before the policy moves) the pass's own log-probs are first
    /// stored as the old ones.
    func policyGradients(forward: CompletionForward, layout: CompletionLayout, oldLogProbs: UnsafeMutablePointer<Float>,
                         recordOld: Bool, referenceLogProbs: UnsafePointer<Float>?, mask: UnsafePointer<Float>,
                         advantages: UnsafePointer<Float>, settings: PolicyLoss.Settings,
                         normalisation: PolicyLoss.Normalisation) -> PolicyLoss.Statistics {
        let V = policy.vocabularySize, temperature = Float(config.temperature)
        policy.zeroGradients()
        var stats = PolicyLoss.Statistics()
        for k in forward.microBatches.indices where forward.logitRows(k) > 0 {
            let range = forward.microBatches[k]
            let logits = forward.logits(of: policy, microBatch: k, training: true)
            if recordOld {
                head.gather(logits: logits, layout: layout, range: range, vocabularySize: V, temperature: temperature,
                            into: oldLogProbs, entropies: nil)
            }
            let dLogits = logitGradients.reset(count: forward.logitRows(k) * V)
            stats.add(head.lossAndGradients(
                logits: logits, layout: layout, range: range, vocabularySize: V, temperature: temperature,
                oldLogProbs: oldLogProbs, referenceLogProbs: referenceLogProbs, mask: mask, advantages: advantages,
                settings: settings, normalisation: normalisation, logitGradients: dLogits))
            forward.backward(of: policy, microBatch: k, logitGradients: dLogits)
        }
        return stats
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

/// Rewards → advantages for one GRPO batch, with the optional KL-in-reward penalty.
struct RewardStatistics {
    var totals: [Double]
    let groupSize: Int
    let config: TrainConfig
    private(set) var advantages: [Double] = []
    private(set) var fractionZeroStd = 0.0

    init(totals: [Double], groupSize: Int, config: TrainConfig) {
        self.totals = totals
        self.groupSize = groupSize
        self.config = config
        recompute()
    }

    mutating func recompute() {
        let result = GroupAdvantages.compute(rewards: totals, groupSize: groupSize, scaling: config.scaleRewards,
                                             ddof: config.stdDdof, epsilon: config.advantageEps)
        advantages = result.advantages
        fractionZeroStd = result.fractionZeroStd
    }

    /// `R_i ← R_i − β Σ_t KL_t(l_old, l_ref)` over each completion's tokens (ToolRL's code path).
    mutating func subtractKL(beta: Double, estimator: KLEstimator, old: UnsafePointer<Float>,
                             reference: UnsafePointer<Float>, completionLengths: [Int], width: Int) {
        for i in totals.indices {
            var sum = 0.0
            for j in 0..<completionLengths[i] {
                sum += Double(KLDivergence.value(estimator, logProb: old[i * width + j], referenceLogProb: reference[i * width + j]))
            }
            totals[i] -= beta * sum
        }
        recompute()
    }
}
