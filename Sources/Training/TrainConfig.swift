import Basics
import Foundation

/// The training algorithm of a run.
public enum TrainingAlgorithm: String, ConfigOption {
    /// Teacher-forced next-token cross-entropy on every token of prompt + gold output.
    case pretrain
    /// Cross-entropy on the gold output tokens only (the prompt is context).
    case sft
    /// Group relative policy optimisation on sampled completions scored by the reward (and the
    /// critic-free estimators of `train.advantage`).
    case grpo
    /// PPO with a critic (`critic`, `ppo` sections): GAE advantages from token-level values.
    case ppo

    /// Whether the algorithm samples completions and scores them with the reward.
    public var isReinforcement: Bool { self == .grpo || self == .ppo }
}

/// `RunConfig.train`: optimiser, schedule, batch and GRPO settings. Keys are snake_case and use
/// TRL's names where TRL has one; every default is documented in docs/config.md.
public struct TrainConfig: Codable, Equatable, Sendable {
    public var algorithm: TrainingAlgorithm = .grpo
    public var steps: Int = 100
    public var lr: Double = 3e-4
    public var warmup: Int = 0
    var lrSchedule: LearningRateSchedule.Shape = .constant
    var minLRRatio: Double = 0.1
    /// The steps the schedule spans; nil: `steps`. Longer than `steps`, the run stops part-way
    /// along a longer run's schedule (that run's checkpoint at `steps`, made again).
    var lrScheduleSteps: Int? = nil
    public var weightDecay: Double = 0.0
    var adamBeta1: Double = 0.9
    var adamBeta2: Double = 0.999
    var adamEps: Double = 1e-8
    var maxGradNorm: Double = 1.0
    /// Prompts per step for grpo; sequences per step for sft and pretrain.
    public var batchSize: Int = 4
    public var groupSize: Int = 4
    public var temperature: Double = 1.0
    /// 0 disables top-k.
    public var topK: Int = 0
    public var topP: Double = 1.0
    public var maxNewTokens: Int = 128
    public var beta: Double = 0.0
    public var klEstimator: KLEstimator = .k3
    public var klPlacement: KLPlacement = .loss
    public var epsilon: Double = 0.2
    /// nil: same as `epsilon`.
    var epsilonHigh: Double? = nil
    /// Optimiser passes over each sampled batch (μ).
    public var iterations: Int = 1
    var lossType: LossType = .dapo
    var scaleRewards: RewardScaling = .group
    var stdDdof: Int = 1
    var advantageEps: Double = 1e-4
    var entropyCoef: Double = 0.0
    var maskTruncated: Bool = false
    public var checkpointEvery: Int = 50
    var logEvery: Int = 1
    var advantage: AdvantageEstimator = .grpo
    var importanceSampling: ImportanceSampling = .token
    /// Dual-clip `c` (> 1); nil: off.
    var dualClip: Double? = nil
    var klControl: KLControl = .fixed
    var klTarget: Double = 0.1
    var klHorizon: Double = 10_000
    var dynamicSampling: Bool = false
    /// The most generation batches drawn for one step beyond the first.
    var maxResampleBatches: Int = 4
    /// nil: off.
    var overlongPenalty: OverlongPenalty? = nil

    public init() {}

    /// The upper clip bound in effect.
    var resolvedEpsilonHigh: Double { epsilonHigh ?? epsilon }

    /// The steps the learning-rate schedule spans.
    var resolvedScheduleSteps: Int { lrScheduleSteps ?? steps }

    enum CodingKeys: String, CodingKey {
        case algorithm, steps, lr, warmup
        case lrSchedule = "lr_schedule", minLRRatio = "min_lr_ratio", lrScheduleSteps = "lr_schedule_steps", weightDecay = "weight_decay"
        case adamBeta1 = "adam_beta1", adamBeta2 = "adam_beta2", adamEps = "adam_eps"
        case maxGradNorm = "max_grad_norm", batchSize = "batch_size", groupSize = "group_size"
        case temperature, topK = "top_k", topP = "top_p", maxNewTokens = "max_new_tokens"
        case beta, klEstimator = "kl_estimator", klPlacement = "kl_placement"
        case epsilon, epsilonHigh = "epsilon_high", iterations, lossType = "loss_type"
        case scaleRewards = "scale_rewards", stdDdof = "std_ddof", advantageEps = "advantage_eps"
        case entropyCoef = "entropy_coef", maskTruncated = "mask_truncated"
        case checkpointEvery = "checkpoint_every", logEvery = "log_every"
        case advantage, importanceSampling = "importance_sampling", dualClip = "dual_clip"
        case klControl = "kl_control", klTarget = "kl_target", klHorizon = "kl_horizon"
        case dynamicSampling = "dynamic_sampling", maxResampleBatches = "max_resample_batches"
        case overlongPenalty = "overlong_penalty"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = TrainConfig()
        algorithm = try c.decodeIfPresent(TrainingAlgorithm.self, forKey: .algorithm) ?? d.algorithm
        steps = try c.decodeChecked(Int.self, forKey: .steps, default: d.steps, requirement: "an integer ≥ 0") { $0 >= 0 }
        lr = try c.decodeChecked(Double.self, forKey: .lr, default: d.lr, requirement: "a number ≥ 0") { $0 >= 0 && $0.isFinite }
        warmup = try c.decodeChecked(Int.self, forKey: .warmup, default: d.warmup, requirement: "an integer ≥ 0") { $0 >= 0 }
        lrSchedule = try c.decodeIfPresent(LearningRateSchedule.Shape.self, forKey: .lrSchedule) ?? d.lrSchedule
        minLRRatio = try c.decodeChecked(Double.self, forKey: .minLRRatio, default: d.minLRRatio, requirement: "a number in [0, 1]") { $0 >= 0 && $0 <= 1 }
        lrScheduleSteps = try c.decodeIfPresent(Int.self, forKey: .lrScheduleSteps)
        if let span = lrScheduleSteps, span < 1 {
            throw DecodingError.dataCorruptedError(forKey: .lrScheduleSteps, in: c, debugDescription: "\(span) is not allowed: expected an integer ≥ 1, or null for train.steps")
        }
        weightDecay = try c.decodeChecked(Double.self, forKey: .weightDecay, default: d.weightDecay, requirement: "a number ≥ 0") { $0 >= 0 }
        adamBeta1 = try c.decodeChecked(Double.self, forKey: .adamBeta1, default: d.adamBeta1, requirement: "a number in [0, 1)") { $0 >= 0 && $0 < 1 }
        adamBeta2 = try c.decodeChecked(Double.self, forKey: .adamBeta2, default: d.adamBeta2, requirement: "a number in [0, 1)") { $0 >= 0 && $0 < 1 }
        adamEps = try c.decodeChecked(Double.self, forKey: .adamEps, default: d.adamEps, requirement: "a number > 0") { $0 > 0 }
        maxGradNorm = try c.decodeChecked(Double.self, forKey: .maxGradNorm, default: d.maxGradNorm, requirement: "a number ≥ 0 (0 disables clipping)") { $0 >= 0 }
        batchSize = try c.decodeChecked(Int.self, forKey: .batchSize, default: d.batchSize, requirement: "an integer ≥ 1") { $0 >= 1 }
        groupSize = try c.decodeChecked(Int.self, forKey: .groupSize, default: d.groupSize, requirement: "an integer ≥ 1") { $0 >= 1 }
        temperature = try c.decodeChecked(Double.self, forKey: .temperature, default: d.temperature, requirement: "a number > 0") { $0 > 0 }
        topK = try c.decodeChecked(Int.self, forKey: .topK, default: d.topK, requirement: "an integer ≥ 0 (0 disables top-k)") { $0 >= 0 }
        topP = try c.decodeChecked(Double.self, forKey: .topP, default: d.topP, requirement: "a number in (0, 1]") { $0 > 0 && $0 <= 1 }
        maxNewTokens = try c.decodeChecked(Int.self, forKey: .maxNewTokens, default: d.maxNewTokens, requirement: "an integer ≥ 1") { $0 >= 1 }
        beta = try c.decodeChecked(Double.self, forKey: .beta, default: d.beta, requirement: "a number ≥ 0") { $0 >= 0 }
        klEstimator = try c.decodeIfPresent(KLEstimator.self, forKey: .klEstimator) ?? d.klEstimator
        klPlacement = try c.decodeIfPresent(KLPlacement.self, forKey: .klPlacement) ?? d.klPlacement
        epsilon = try c.decodeChecked(Double.self, forKey: .epsilon, default: d.epsilon, requirement: "a number in [0, 1)") { $0 >= 0 && $0 < 1 }
        epsilonHigh = try c.decodeIfPresent(Double.self, forKey: .epsilonHigh)
        if let high = epsilonHigh, !(high >= 0) {
            throw DecodingError.dataCorruptedError(forKey: .epsilonHigh, in: c, debugDescription: "\(high) is not allowed: expected a number ≥ 0, or null for the same as epsilon")
        }
        iterations = try c.decodeChecked(Int.self, forKey: .iterations, default: d.iterations, requirement: "an integer ≥ 1") { $0 >= 1 }
        lossType = try c.decodeIfPresent(LossType.self, forKey: .lossType) ?? d.lossType
        scaleRewards = try c.decodeIfPresent(RewardScaling.self, forKey: .scaleRewards) ?? d.scaleRewards
        stdDdof = try c.decodeChecked(Int.self, forKey: .stdDdof, default: d.stdDdof, requirement: "0 or 1") { $0 == 0 || $0 == 1 }
        advantageEps = try c.decodeChecked(Double.self, forKey: .advantageEps, default: d.advantageEps, requirement: "a number ≥ 0") { $0 >= 0 }
        entropyCoef = try c.decodeChecked(Double.self, forKey: .entropyCoef, default: d.entropyCoef, requirement: "a number ≥ 0") { $0 >= 0 }
        maskTruncated = try c.decodeIfPresent(Bool.self, forKey: .maskTruncated) ?? d.maskTruncated
        checkpointEvery = try c.decodeChecked(Int.self, forKey: .checkpointEvery, default: d.checkpointEvery, requirement: "an integer ≥ 0 (0: only at the end)") { $0 >= 0 }
        logEvery = try c.decodeChecked(Int.self, forKey: .logEvery, default: d.logEvery, requirement: "an integer ≥ 1") { $0 >= 1 }
        advantage = try c.decodeIfPresent(AdvantageEstimator.self, forKey: .advantage) ?? d.advantage
        importanceSampling = try c.decodeIfPresent(ImportanceSampling.self, forKey: .importanceSampling) ?? d.importanceSampling
        dualClip = try c.decodeCheckedIfPresent(Double.self, forKey: .dualClip, requirement: "a number > 1 (veRL's clip_ratio_c is 3), or null for no dual clip") { $0 > 1 && $0.isFinite }
        klControl = try c.decodeIfPresent(KLControl.self, forKey: .klControl) ?? d.klControl
        klTarget = try c.decodeChecked(Double.self, forKey: .klTarget, default: d.klTarget, requirement: "a number > 0") { $0 > 0 && $0.isFinite }
        klHorizon = try c.decodeChecked(Double.self, forKey: .klHorizon, default: d.klHorizon, requirement: "a number > 0") { $0 > 0 && $0.isFinite }
        dynamicSampling = try c.decodeIfPresent(Bool.self, forKey: .dynamicSampling) ?? d.dynamicSampling
        maxResampleBatches = try c.decodeChecked(Int.self, forKey: .maxResampleBatches, default: d.maxResampleBatches, requirement: "an integer ≥ 0") { $0 >= 0 }
        overlongPenalty = try c.decodeIfPresent(OverlongPenalty.self, forKey: .overlongPenalty)
        if let penalty = overlongPenalty, penalty.buffer > maxNewTokens {
            throw DecodingError.dataCorruptedError(forKey: .overlongPenalty, in: c, debugDescription: "buffer \(penalty.buffer) is longer than max_new_tokens \(maxNewTokens): the penalty would start before the first token; use a buffer ≤ max_new_tokens")
        }
        try checkCombinations(c)
    }

    /// Settings that contradict each other, reported at the key to change.
    private func checkCombinations(_ c: KeyedDecodingContainer<CodingKeys>) throws {
        func reject(_ key: CodingKeys, _ message: String) throws {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: message)
        }
        if algorithm == .ppo && advantage != .grpo {
            try reject(.advantage, "algorithm ppo computes its advantages with GAE from its critic; train.advantage applies to algorithm grpo")
        }
        if algorithm == .ppo && iterations != 1 {
            try reject(.iterations, "algorithm ppo passes over each batch ppo.epochs times; leave train.iterations at 1")
        }
        if advantage == .rloo && groupSize < 2 {
            try reject(.advantage, "rloo needs group_size ≥ 2 (a leave-one-out baseline needs another completion in the group)")
        }
        if advantage != .grpo && scaleRewards != .group {
            try reject(.scaleRewards, "scale_rewards applies to advantage grpo only (\(advantage.rawValue) does not divide by a group std)")
        }
        if lossType == .cispo && importanceSampling != .token {
            try reject(.importanceSampling, "loss_type cispo weighs each token by its own clipped ratio; use importance_sampling: token")
        }
        if lossType == .cispo && dualClip != nil {
            try reject(.dualClip, "loss_type cispo has no surrogate to bound; remove dual_clip")
        }
        if klControl == .adaptive && !(klPlacement == .reward && beta > 0) {
            try reject(.klControl, "kl_control adaptive moves the coefficient of a KL in the reward: set kl_placement: reward and beta > 0 (its starting value)")
        }
        if dynamicSampling && groupSize < 2 {
            try reject(.dynamicSampling, "dynamic_sampling drops groups whose rewards all agree; it needs group_size ≥ 2")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(algorithm, forKey: .algorithm)
        try c.encode(steps, forKey: .steps)
        try c.encode(lr, forKey: .lr)
        try c.encode(warmup, forKey: .warmup)
        try c.encode(lrSchedule, forKey: .lrSchedule)
        try c.encode(minLRRatio, forKey: .minLRRatio)
        if let span = lrScheduleSteps { try c.encode(span, forKey: .lrScheduleSteps) } else { try c.encodeNil(forKey: .lrScheduleSteps) }
        try c.encode(weightDecay, forKey: .weightDecay)
        try c.encode(adamBeta1, forKey: .adamBeta1)
        try c.encode(adamBeta2, forKey: .adamBeta2)
        try c.encode(adamEps, forKey: .adamEps)
        try c.encode(maxGradNorm, forKey: .maxGradNorm)
        try c.encode(batchSize, forKey: .batchSize)
        try c.encode(groupSize, forKey: .groupSize)
        try c.encode(temperature, forKey: .temperature)
        try c.encode(topK, forKey: .topK)
        try c.encode(topP, forKey: .topP)
        try c.encode(maxNewTokens, forKey: .maxNewTokens)
        try c.encode(beta, forKey: .beta)
        try c.encode(klEstimator, forKey: .klEstimator)
        try c.encode(klPlacement, forKey: .klPlacement)
        try c.encode(epsilon, forKey: .epsilon)
        if let high = epsilonHigh { try c.encode(high, forKey: .epsilonHigh) } else { try c.encodeNil(forKey: .epsilonHigh) }
        try c.encode(iterations, forKey: .iterations)
        try c.encode(lossType, forKey: .lossType)
        try c.encode(scaleRewards, forKey: .scaleRewards)
        try c.encode(stdDdof, forKey: .stdDdof)
        try c.encode(advantageEps, forKey: .advantageEps)
        try c.encode(entropyCoef, forKey: .entropyCoef)
        try c.encode(maskTruncated, forKey: .maskTruncated)
        try c.encode(checkpointEvery, forKey: .checkpointEvery)
        try c.encode(logEvery, forKey: .logEvery)
        try c.encode(advantage, forKey: .advantage)
        try c.encode(importanceSampling, forKey: .importanceSampling)
        if let clip = dualClip { try c.encode(clip, forKey: .dualClip) } else { try c.encodeNil(forKey: .dualClip) }
        try c.encode(klControl, forKey: .klControl)
        try c.encode(klTarget, forKey: .klTarget)
        try c.encode(klHorizon, forKey: .klHorizon)
        try c.encode(dynamicSampling, forKey: .dynamicSampling)
        try c.encode(maxResampleBatches, forKey: .maxResampleBatches)
        if let penalty = overlongPenalty { try c.encode(penalty, forKey: .overlongPenalty) } else { try c.encodeNil(forKey: .overlongPenalty) }
    }
}

extension TrainConfig {
    /// The policy loss these settings ask for; `klInLoss`: β·KL per token in the loss.
    func lossSettings(klInLoss: Bool) -> PolicyLoss.Settings {
        PolicyLoss.Settings(lossType: lossType, epsilonLow: Float(epsilon), epsilonHigh: Float(resolvedEpsilonHigh),
                            klCoefficient: klInLoss ? Float(beta) : 0, klEstimator: klEstimator,
                            entropyCoefficient: Float(entropyCoef), maxCompletionLength: maxNewTokens,
                            importanceSampling: importanceSampling, dualClip: dualClip.map(Float.init))
    }
}
