import Basics
import Foundation
import Model

/// One prompt of a GRPO or PPO batch: its text (for the reward), the reference output, and its tokens.
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

/// One sampled batch, before any forward pass: the prompts, G completions each (prompt-major),
/// what of each completion the loss sees, and the rewards. GRPO and PPO start every step from one.
struct Rollout {
    var prompts: [PolicyPrompt]
    var completions: [SampledCompletion]
    /// Tokens of each completion the loss sees: at most `max_new_tokens` and what fits the context.
    var lengths: [Int]
    /// Completions that hit the budget without end-of-text.
    var truncated: [Bool]
    var scores: [RewardScore]
    /// DAPO's overlong penalty per completion (0 when off).
    var overlong: [Double]
    /// Generation batches drawn and groups drawn and left out (dynamic sampling).
    var batches = 1
    var drawnGroups = 0
    var droppedGroups = 0
    /// Seconds spent in the reward function (step timings count them apart from sampling).
    var scoringSeconds = 0.0
    /// FLOPs of every generation batch drawn (`FLOPCounter.sampling`).
    var samplingFlops = 0.0

    var count: Int { completions.count }
    var groupSize: Int { prompts.isEmpty ? 1 : completions.count / prompts.count }
    /// Each completion's prompt length.
    var promptLengths: [Int] { completions.indices.map { prompts[$0 / groupSize].tokens.count } }
    /// The completion tokens the loss sees, per completion.
    var keptCompletions: [[Int32]] { completions.indices.map { Array(completions[$0].tokens.prefix(lengths[$0])) } }
    /// Prompt + the completion tokens the loss sees, per completion.
    var sequences: [[Int32]] {
        completions.indices.map { prompts[$0 / groupSize].tokens + completions[$0].tokens.prefix(lengths[$0]) }
    }

    /// Each completion's reward: its score plus the overlong penalty.
    var totals: [Double] { zip(scores, overlong).map { $0.total + $1 } }

    /// The loss mask [N, width]: 1 on each completion's tokens, none for truncated completions
    /// when `maskTruncated` (DAPO's overlong filtering).
    func lossMask(width: Int, maskTruncated: Bool) -> [Float] {
        var mask = [Float](repeating: 0, count: count * width)
        for i in 0..<count where !(maskTruncated && truncated[i]) {
            for t in 0..<lengths[i] { mask[i * width + t] = 1 }
        }
        return mask
    }

    /// The reward's parts for `reward.aggregation: normalize_then_sum`, [N][K] with weights [K]:
    /// the weighted components (or the total as one part when the reward is not a weighted sum),
    /// then the overlong penalty (weight 1) when it is on.
    func rewardParts(overlongOn: Bool) -> (values: [[Double]], weights: [Double]) {
        let weights = scores.first.map { $0.weights.isEmpty ? [1] : $0.weights } ?? [1]
        let values = scores.indices.map { i -> [Double] in
            let score = scores[i]
            var parts = score.weights.isEmpty ? [score.total] : score.components.map(\.1)
            if overlongOn { parts.append(overlong[i]) }
            return parts
        }
        return (values, overlongOn ? weights + [1] : weights)
    }
}

/// Samples and scores rollouts (with DAPO's dynamic sampling and overlong penalty when on).
struct RolloutSampler {
    let sampler: Sampler
    let rewardFunction: RewardFunction
    let config: TrainConfig
    let context: Int
    let endOfText: Int32
    let decode: ([Int32]) -> String

    /// Samples from `policy`; completions stop at `endOfText` and `decode` gives the reward their text.
    init(policy: Transformer, rewardFunction: RewardFunction, config: TrainConfig, endOfText: Int32,
         decode: @escaping ([Int32]) -> String) {
        sampler = Sampler(model: policy, endOfText: endOfText)
        self.rewardFunction = rewardFunction
        self.config = config
        context = policy.config.context
        self.endOfText = endOfText
        self.decode = decode
    }

    var samplingSettings: SamplingSettings {
        SamplingSettings(temperature: Float(config.temperature), topK: config.topK, topP: Float(config.topP),
                         maxNewTokens: config.maxNewTokens, stopSequences: [])
    }

    /// One batch of `G` completions for each prompt `nextPrompts()` hands out. With dynamic
    /// sampling, groups whose rewards agree are dropped and `nextPrompts` is asked again until
    /// `batch_size` groups are kept or `max_resample_batches` more batches were drawn; a step
    /// that kept nothing trains on the whole last batch.
    func sample(nextPrompts: () -> [PolicyPrompt], step: Int, totalSteps: Int, random: inout RandomGenerator) -> Rollout {
        var kept = Rollout.empty
        var last: Rollout
        var batches = 0, drawn = 0, scoring = 0.0, flops = 0.0
        repeat {
            last = sampleOnce(prompts: nextPrompts(), step: step, totalSteps: totalSteps, random: &random)
            scoring += last.scoringSeconds
            flops += last.samplingFlops
            batches += 1
            drawn += last.prompts.count
            guard config.dynamicSampling else { break }
            let room = config.batchSize - kept.prompts.count
            let informative = DynamicSampling.informativeGroups(rewards: last.totals, groupSize: config.groupSize).prefix(room)
            kept = kept.appending(last, groups: Array(informative))
        } while kept.prompts.count < config.batchSize && batches <= config.maxResampleBatches
        var rollout = kept.prompts.isEmpty ? last : kept
        rollout.scoringSeconds = scoring
        rollout.samplingFlops = flops
        rollout.batches = batches
        rollout.drawnGroups = drawn
        rollout.droppedGroups = drawn - rollout.prompts.count
        return rollout
    }

    private func sampleOnce(prompts: [PolicyPrompt], step: Int, totalSteps: Int, random: inout RandomGenerator) -> Rollout {
        let G = config.groupSize, L = config.maxNewTokens
        let completions = sampler.generate(prompts: prompts.map(\.tokens), completionsPerPrompt: G,
                                           settings: samplingSettings, random: &random)
        var lengths: [Int] = [], truncated: [Bool] = [], scores: [RewardScore] = [], overlong: [Double] = []
        let start = now()
        for (i, completion) in completions.enumerated() {
            let prompt = prompts[i / G]
            let kept = max(0, min(completion.tokens.count, L, context - prompt.tokens.count))
            lengths.append(kept)
            truncated.append(completion.finish == .length)
            var tokens = Array(completion.tokens.prefix(kept))
            if tokens.last == endOfText { tokens.removeLast() }
            scores.append(rewardFunction.score(RewardContext(prompt: prompt.prompt, gold: prompt.gold, completion: decode(tokens),
                                                             completionTokens: tokens, step: step, totalSteps: totalSteps)))
            overlong.append(config.overlongPenalty?.value(length: kept, maxLength: L) ?? 0)
        }
        let flops = FLOPCounter.sampling(config: sampler.model.config, vocabularySize: sampler.model.vocabularySize,
                                         promptLengths: prompts.map(\.tokens.count), groupSize: G,
                                         completionLengths: completions.map(\.tokens.count))
        return Rollout(prompts: prompts, completions: completions, lengths: lengths, truncated: truncated,
                       scores: scores, overlong: overlong, scoringSeconds: now() - start, samplingFlops: flops)
    }
}

extension Rollout {
    static let empty = Rollout(prompts: [], completions: [], lengths: [], truncated: [], scores: [], overlong: [])

    /// This rollout followed by the given groups of `other`.
    func appending(_ other: Rollout, groups: [Int]) -> Rollout {
        let G = other.groupSize
        var result = self
        for group in groups {
            result.prompts.append(other.prompts[group])
            let members = (group * G)..<((group + 1) * G)
            result.completions += other.completions[members]
            result.lengths += other.lengths[members]
            result.truncated += other.truncated[members]
            result.scores += other.scores[members]
            result.overlong += other.overlong[members]
        }
        return result
    }
}
