import Basics
import Foundation

/// How per-token losses are aggregated into one number (TRL's `loss_type`; docs/config.md), and
/// CISPO, which also changes the per-token term.
enum LossType: String, ConfigOption {
    /// Mean over sequences of each sequence's token mean (DeepSeekMath).
    case grpo
    /// Token mean over the batch.
    case bnpo
    /// Token sum divided by (sequences · max_new_tokens) (Dr. GRPO).
    case drGRPO = "dr_grpo"
    /// Token mean over the whole generation batch (DAPO; TRL's default). With one optimiser
    /// batch per generation batch, as here, it equals `bnpo`.
    case dapo
    /// MiniMax-M1's CISPO: `ℓ = −sg(min(r, 1 + ε_high))·A·l`, aggregated as `dapo`. The ratio is
    /// clipped and detached instead of the token being dropped, so every token keeps a gradient.
    case cispo
}

/// What the importance ratio is taken over (TRL's `importance_sampling_level`; docs/config.md).
enum ImportanceSampling: String, ConfigOption {
    /// One ratio per token, `r_t = exp(l_t − l_old,t)` (PPO, GRPO).
    case token
    /// GSPO: one ratio per sequence, `s = exp(mean_t (l_t − l_old,t))`, clipped once per sequence;
    /// every token of the sequence gets the gradient `s/|o|` through the mean.
    case sequence
    /// GSPO-token: the value `s` for every token, but each token's gradient flows only through
    /// its own log-prob (`s_t = sg(s) · exp(l_t − sg(l_t))`), so per-token advantages stay per token.
    case sequenceToken = "sequence_token"
}

/// The clipped-surrogate policy loss over per-token log-probs, and its gradient with respect to
/// each token's log-prob and entropy (`loss_type`, `epsilon`, `importance_sampling`, `dual_clip`,
/// `beta`, `kl_estimator` and `entropy_coef` in docs/config.md).
///
/// Layout: every per-token array is [sequences, width] row-major; `mask` is 1 on loss-bearing
/// completion tokens (up to and including EOS) and 0 elsewhere (padding, truncated completions
/// when masked). `advantages` is per token too (GRPO broadcasts a sequence's advantage to its
/// tokens; GAE and REINFORCE++ give each token its own).
enum PolicyLoss {
    struct Settings: Equatable, Sendable {
        var lossType: LossType
        var epsilonLow: Float
        var epsilonHigh: Float
        /// KL coefficient in the loss; 0 when the KL is off or placed in the reward.
        var klCoefficient: Float
        var klEstimator: KLEstimator
        var entropyCoefficient: Float
        /// `L_max`, the dr_grpo constant: the completion budget (`max_new_tokens`).
        var maxCompletionLength: Int
        var importanceSampling: ImportanceSampling
        /// Dual-clip PPO's `c` (veRL `clip_ratio_c`): for A < 0 the token loss is at most `c·|A|`.
        /// nil: off.
        var dualClip: Float?

        init(lossType: LossType, epsilonLow: Float, epsilonHigh: Float, klCoefficient: Float,
                    klEstimator: KLEstimator, entropyCoefficient: Float, maxCompletionLength: Int,
                    importanceSampling: ImportanceSampling = .token, dualClip: Float? = nil) {
            self.lossType = lossType
            self.epsilonLow = epsilonLow
            self.epsilonHigh = epsilonHigh
            self.klCoefficient = klCoefficient
            self.klEstimator = klEstimator
            self.entropyCoefficient = entropyCoefficient
            self.maxCompletionLength = maxCompletionLength
            self.importanceSampling = importanceSampling
            self.dualClip = dualClip
        }
    }

    /// Loss value and the TRL loss-time metrics (means over loss-bearing tokens).
    struct Statistics: Equatable, Sendable {
        var loss: Double = 0
        var kl: Double = 0
        var entropy: Double = 0
        /// Tokens with A < 0 below the lower clip bound.
        var clipLow: Double = 0
        /// Tokens with A > 0 above the upper clip bound (for CISPO: whose weight was capped).
        var clipHigh: Double = 0
        /// Tokens whose policy gradient is zero (low or high clip; CISPO: the capped ones, which
        /// keep their gradient).
        var clipRegion: Double = 0
        /// Tokens with A < 0 whose loss the dual clip bounded (their gradient is zero).
        var clipDual: Double = 0
        var tokenCount: Int = 0
        init() {}
    }

    /// The aggregation weight of each token of sequence `i` with `tokens` loss-bearing tokens.
    @inline(__always)
    static func weight(_ type: LossType, sequences: Int, tokens: Int, totalTokens: Int, maxLength: Int) -> Double {
        switch type {
        case .grpo: return 1 / (Double(sequences) * Double(max(1, tokens)))
        case .bnpo, .dapo, .cispo: return 1 / Double(max(1, totalTokens))
        case .drGRPO: return 1 / (Double(sequences) * Double(max(1, maxLength)))
        }
    }

    /// The batch the aggregation weights refer to when `compute` sees only part of it (a
    /// micro-batch): its number of sequences and of loss-bearing tokens.
    struct Normalisation: Equatable, Sendable {
        var sequences: Int
        var tokens: Int
        init(sequences: Int, tokens: Int) {
            self.sequences = sequences
            self.tokens = tokens
        }
    }

    /// Computes the loss and writes (overwrites) `logProbGradients` and `entropyGradients`
    /// [sequences, width] with d loss / d l and d loss / d H. Sequences are never split: a
    /// sequence ratio needs the whole row.
    ///
    /// With `normalisation` (the whole batch) the arrays may hold a slice of the batch: every
    /// returned statistic is then this slice's share, so the shares of all slices add up to the
    /// whole batch's values.
    ///
    /// Legend: l current log-prob, l_old sampling log-prob, l_ref reference log-prob, ρ the ratio
    /// (token: exp(l − l_old); sequence: s = exp(Σ m·(l − l_old)/|o|)), A advantage, c dual clip,
    /// H entropy, w aggregation weight, m mask.
    ///   ℓ = −min(ρ·A, clip(ρ, 1−ε_low, 1+ε_high)·A)          then, with c and A < 0: ℓ ← min(ℓ, −c·A)
    ///   ℓ = −sg(min(ρ, 1+ε_high))·A·l                          (cispo)
    ///   ℓ += β·KL(l, l_ref)
    ///   loss = Σ w·m·ℓ − α · Σ m·H / Σ m
    static func compute(
        logProbs: UnsafePointer<Float>, oldLogProbs: UnsafePointer<Float>,
        referenceLogProbs: UnsafePointer<Float>?, entropies: UnsafePointer<Float>,
        mask: UnsafePointer<Float>, advantages: UnsafePointer<Float>,
        sequences: Int, width: Int, settings: Settings, normalisation: Normalisation? = nil,
        logProbGradients: UnsafeMutablePointer<Float>, entropyGradients: UnsafeMutablePointer<Float>
    ) -> Statistics {
        var localTokens = 0
        for index in 0..<(sequences * width) where mask[index] != 0 { localTokens += 1 }
        let totalTokens = normalisation?.tokens ?? localTokens
        let totalSequences = normalisation?.sequences ?? sequences
        let tokenDenominator = Double(max(1, totalTokens))
        let beta = settings.klCoefficient
        let useReference = beta != 0 && referenceLogProbs != nil
        let level = settings.importanceSampling
        let lower = 1 - settings.epsilonLow, upper = 1 + settings.epsilonHigh
        var stats = Statistics()
        stats.tokenCount = localTokens
        var klSum = 0.0, entropySum = 0.0, lowCount = 0, highCount = 0, regionCount = 0, dualCount = 0
        for i in 0..<sequences {
            let row = i * width
            var tokens = 0
            var logRatioSum: Float = 0
            for t in 0..<width where mask[row + t] != 0 {
                tokens += 1
                logRatioSum += logProbs[row + t] - oldLogProbs[row + t]
            }
            let w = weight(settings.lossType, sequences: totalSequences, tokens: tokens,
                           totalTokens: totalTokens, maxLength: settings.maxCompletionLength)
            let sequenceRatio = level == .token ? 1 : expf(logRatioSum / Float(max(1, tokens)))
            // GSPO: Σ_t w·dℓ_t/ds · s, shared out over the sequence's tokens afterwards.
            var sequenceGradient: Float = 0
            for t in 0..<width {
                let index = row + t
                guard mask[index] != 0 else {
                    logProbGradients[index] = 0
                    entropyGradients[index] = 0
                    continue
                }
                let l = logProbs[index]
                let advantage = advantages[index]
                let ratio = level == .token ? expf(l - oldLogProbs[index]) : sequenceRatio
                var tokenLoss: Double
                var derivative: Float
                if settings.lossType == .cispo {
                    let capped = min(ratio, upper)
                    if advantage > 0 && ratio > upper {
                        highCount += 1
                        regionCount += 1
                    }
                    tokenLoss = Double(-capped * advantage * l)
                    derivative = -capped * advantage
                } else {
                    let clipped = min(max(ratio, lower), upper)
                    var surrogate = min(ratio * advantage, clipped * advantage)
                    let isLow = advantage < 0 && ratio < lower
                    let isHigh = advantage > 0 && ratio > upper
                    if isLow { lowCount += 1 }
                    if isHigh { highCount += 1 }
                    if isLow || isHigh { regionCount += 1 }
                    var active = !(isLow || isHigh)
                    if let c = settings.dualClip, advantage < 0, -surrogate > -c * advantage {
                        surrogate = c * advantage
                        active = false
                        dualCount += 1
                    }
                    tokenLoss = Double(-surrogate)
                    // dℓ/dρ = −A on the active branch; dρ/dl = ρ for a token ratio (and for
                    // GSPO-token, whose ratio value is s); s/|o| for each token of a sequence ratio.
                    let ratioDerivative = active ? -advantage * ratio : 0
                    if level == .sequence {
                        sequenceGradient += Float(w) * ratioDerivative
                        derivative = 0
                    } else {
                        derivative = ratioDerivative
                    }
                }
                if let reference = referenceLogProbs {
                    let kl = KLDivergence.value(settings.klEstimator, logProb: l, referenceLogProb: reference[index])
                    klSum += Double(kl)
                    if useReference {
                        tokenLoss += Double(beta * kl)
                        derivative += beta * KLDivergence.derivative(settings.klEstimator, logProb: l, referenceLogProb: reference[index])
                    }
                }
                stats.loss += w * tokenLoss
                logProbGradients[index] = Float(w) * derivative
                entropySum += Double(entropies[index])
                entropyGradients[index] = Float(-Double(settings.entropyCoefficient) / tokenDenominator)
            }
            if level == .sequence && tokens > 0 {
                let share = sequenceGradient / Float(tokens)
                for t in 0..<width where mask[row + t] != 0 { logProbGradients[row + t] += share }
            }
        }
        stats.entropy = entropySum / tokenDenominator
        stats.loss -= Double(settings.entropyCoefficient) * stats.entropy
        stats.kl = klSum / tokenDenominator
        stats.clipLow = Double(lowCount) / tokenDenominator
        stats.clipHigh = Double(highCount) / tokenDenominator
        stats.clipRegion = Double(regionCount) / tokenDenominator
        stats.clipDual = Double(dualCount) / tokenDenominator
        return stats
    }
}
