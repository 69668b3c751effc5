import Basics
import Foundation

/// How per-token losses are aggregated into one number (TRL's `loss_type`; docs/config.md).
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
}

/// The KL estimator between the policy and the frozen reference (Schulman's k1 / k3).
public enum KLEstimator: String, ConfigOption {
    /// `l − l_ref`.
    case k1
    /// `exp(l_ref − l) − (l_ref − l) − 1`, always ≥ 0.
    case k3
}

/// Where the KL penalty acts: per token in the loss (DeepSeekMath, TRL) or subtracted from each
/// completion's reward before advantages (PPO style; what ToolRL's code does).
public enum KLPlacement: String, ConfigOption { case loss, reward }

/// KL estimators on per-token log-probs. The k3 log-ratio is clamped to ±20 (as veRL does) so
/// that one token far from the reference cannot overflow `exp`; beyond the clamp its gradient is 0.
enum KLDivergence {
    static let logRatioLimit: Float = 20

    /// The estimator's value for policy log-prob `logProb` and reference log-prob `referenceLogProb`.
    @inline(__always)
    public static func value(_ estimator: KLEstimator, logProb: Float, referenceLogProb: Float) -> Float {
        switch estimator {
        case .k1: return logProb - referenceLogProb
        case .k3:
            let logRatio = min(max(referenceLogProb - logProb, -logRatioLimit), logRatioLimit)
            return expf(logRatio) - logRatio - 1
        }
    }

    /// d value / d logProb.
    @inline(__always)
    static func derivative(_ estimator: KLEstimator, logProb: Float, referenceLogProb: Float) -> Float {
        switch estimator {
        case .k1: return 1
        case .k3:
            let logRatio = referenceLogProb - logProb
            return abs(logRatio) > logRatioLimit ? 0 : 1 - expf(logRatio)
        }
    }
}

/// The clipped-surrogate GRPO loss over per-token log-probs, and its gradient with respect to
/// each token's log-prob and entropy (`loss_type`, `epsilon`, `beta`, `kl_estimator` and
/// `entropy_coef` in docs/config.md).
///
/// Layout: every per-token array is [sequences, width] row-major; `mask` is 1 on loss-bearing
/// completion tokens (up to and including EOS) and 0 elsewhere (padding, truncated completions
/// when masked). `advantages` is [sequences].
enum PolicyLoss {
    struct Settings: Equatable, Sendable {
        var lossType: LossType
        var epsilonLow: Float
        var epsilonHigh: Float
        /// KL coefficient in the loss; 0 when the KL is off or placed in the reward.
        var klCoefficient: Float
        public var klEstimator: KLEstimator
        var entropyCoefficient: Float
        /// `L_max`, the dr_grpo constant: the completion budget (`max_new_tokens`).
        var maxCompletionLength: Int

        public init(lossType: LossType, epsilonLow: Float, epsilonHigh: Float, klCoefficient: Float,
                    klEstimator: KLEstimator, entropyCoefficient: Float, maxCompletionLength: Int) {
            self.lossType = lossType
            self.epsilonLow = epsilonLow
            self.epsilonHigh = epsilonHigh
            self.klCoefficient = klCoefficient
            self.klEstimator = klEstimator
            self.entropyCoefficient = entropyCoefficient
            self.maxCompletionLength = maxCompletionLength
        }
    }

    /// Loss value and the TRL loss-time metrics (means over loss-bearing tokens).
    struct Statistics: Equatable, Sendable {
        public var loss: Double = 0
        var kl: Double = 0
        var entropy: Double = 0
        var clipLow: Double = 0
        var clipHigh: Double = 0
        var clipRegion: Double = 0
        var tokenCount: Int = 0
        init() {}
    }

    /// The aggregation weight of each token of sequence `i` with `tokens` loss-bearing tokens.
    @inline(__always)
    static func weight(_ type: LossType, sequences: Int, tokens: Int, totalTokens: Int, maxLength: Int) -> Double {
        switch type {
        case .grpo: return 1 / (Double(sequences) * Double(max(1, tokens)))
        case .bnpo, .dapo: return 1 / Double(max(1, totalTokens))
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
    /// [sequences, width] with d loss / d l and d loss / d H.
    ///
    /// With `normalisation` (the whole batch) the arrays may hold a slice of the batch: every
    /// returned statistic is then this slice's share, so the shares of all slices add up to the
    /// whole batch's values.
    ///
    /// Legend: l current log-prob, l_old sampling log-prob, l_ref reference log-prob, r = exp(l − l_old),
    /// A advantage, H entropy, w aggregation weight, m mask.
    ///   ℓ = −min(r·A, clip(r, 1−ε_low, 1+ε_high)·A) + β·KL(l, l_ref)
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
        var stats = Statistics()
        stats.tokenCount = localTokens
        var klSum = 0.0, entropySum = 0.0, lowCount = 0, highCount = 0, regionCount = 0
        for i in 0..<sequences {
            let row = i * width
            var tokens = 0
            for t in 0..<width where mask[row + t] != 0 { tokens += 1 }
            let w = weight(settings.lossType, sequences: totalSequences, tokens: tokens,
                           totalTokens: totalTokens, maxLength: settings.maxCompletionLength)
            let advantage = advantages[i]
            for t in 0..<width {
                let index = row + t
                guard mask[index] != 0 else {
                    logProbGradients[index] = 0
                    entropyGradients[index] = 0
                    continue
                }
                let l = logProbs[index]
                let ratio = expf(l - oldLogProbs[index])
                let clipped = min(max(ratio, 1 - settings.epsilonLow), 1 + settings.epsilonHigh)
                let surrogate = min(ratio * advantage, clipped * advantage)
                let isLow = advantage < 0 && ratio < 1 - settings.epsilonLow
                let isHigh = advantage > 0 && ratio > 1 + settings.epsilonHigh
                if isLow { lowCount += 1 }
                if isHigh { highCount += 1 }
                if isLow || isHigh { regionCount += 1 }
                var tokenLoss = Double(-surrogate)
                var derivative: Float = (isLow || isHigh) ? 0 : -advantage * ratio
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
        }
        stats.entropy = entropySum / tokenDenominator
        stats.loss -= Double(settings.entropyCoefficient) * stats.entropy
        stats.kl = klSum / tokenDenominator
        stats.clipLow = Double(lowCount) / tokenDenominator
        stats.clipHigh = Double(highCount) / tokenDenominator
        stats.clipRegion = Double(regionCount) / tokenDenominator
        return stats
    }
}
