import Basics
import Foundation

/// The KL estimator between the policy and the frozen reference (Schulman's k1 / k2 / k3).
public enum KLEstimator: String, ConfigOption {
    /// `l − l_ref`.
    case k1
    /// `½ (l − l_ref)²` (veRL's `mse`/`k2`): its gradient `l − l_ref` is the unbiased gradient of
    /// the reverse KL, while the values of k1 and k3 are unbiased but their gradients are not.
    case k2
    /// `exp(l_ref − l) − (l_ref − l) − 1`, always ≥ 0.
    case k3
}

/// Where the KL penalty acts: per token in the loss (DeepSeekMath, TRL) or subtracted from the
/// reward before advantages (PPO style; what ToolRL's code does).
public enum KLPlacement: String, ConfigOption { case loss, reward }

/// KL estimators on per-token log-probs. The k3 log-ratio is clamped to ±20 (as veRL does) so
/// that one token far from the reference cannot overflow `exp`; beyond the clamp its gradient is 0.
enum KLDivergence {
    static let logRatioLimit: Float = 20

    /// The estimator's value for policy log-prob `logProb` and reference log-prob `referenceLogProb`.
    @inline(__always)
    static func value(_ estimator: KLEstimator, logProb: Float, referenceLogProb: Float) -> Float {
        switch estimator {
        case .k1: return logProb - referenceLogProb
        case .k2:
            let difference = logProb - referenceLogProb
            return 0.5 * difference * difference
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
        case .k2: return logProb - referenceLogProb
        case .k3:
            let logRatio = referenceLogProb - logProb
            return abs(logRatio) > logRatioLimit ? 0 : 1 - expf(logRatio)
        }
    }
}
