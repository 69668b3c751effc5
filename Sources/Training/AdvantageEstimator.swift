import Basics
import Foundation

/// How rewards become advantages in `algorithm: grpo` (`train.advantage`; veRL's
/// `adv_estimator`). PPO always uses GAE with its critic (`GeneralizedAdvantageEstimation`).
enum AdvantageEstimator: String, ConfigOption {
    /// Group-relative: `(R − group mean) / scale`, scale per `scale_rewards` (DeepSeekMath, TRL).
    case grpo
    /// Leave-one-out mean baseline: `R_i − mean_{j≠i} R_j = G/(G−1)·(R_i − group mean)`
    /// (Ahmadian et al. 2024; veRL `rloo`). Needs G ≥ 2.
    case rloo
    /// REINFORCE++ (Hu 2025; veRL `reinforce_plus_plus`): token rewards (the KL in the reward on
    /// every token, the reward on the last), returns `G_t = Σ_{k≥t} γ^{k−t} r_k`, whitened over
    /// every loss-bearing token of the batch. No group baseline.
    case reinforcePlusPlus = "reinforce_pp"
    /// REINFORCE++-baseline (veRL `reinforce_plus_plus_baseline`): `R − group mean` (KL summed
    /// into R; a group of one keeps R, as veRL), broadcast to the tokens, then whitened over the
    /// batch.
    case reinforcePlusPlusBaseline = "reinforce_pp_baseline"
}

/// One batch's rewards as the estimators read them: N completions in consecutive groups.
struct BatchRewards {
    /// [N] each completion's reward (every component, before any KL).
    var scores: [Double]
    var groupSize: Int
    /// [N] completion tokens (the last one carries the reward).
    var lengths: [Int]
    /// [N, width] β·KL_t per completion token when the KL is in the reward; nil otherwise.
    var klPenalties: [Double]?
    /// [N, width] the loss mask: whitening runs over these tokens.
    var mask: [Float]
    var width: Int

    /// Each completion's reward less its summed KL penalty (what sequence-level estimators use).
    var sequenceRewards: [Double] {
        guard let klPenalties else { return scores }
        return scores.indices.map { i in
            scores[i] - (0..<lengths[i]).reduce(0) { $0 + klPenalties[i * width + $1] }
        }
    }
}

extension AdvantageEstimator {
    /// Per-token advantages [N, width] and TRL's `frac_reward_zero_std` (over `sequenceRewards`).
    /// `scaling`, `ddof` and `epsilon` are `grpo`'s; `gamma` discounts REINFORCE++ returns.
    func advantages(_ batch: BatchRewards, scaling: RewardScaling, ddof: Int, epsilon: Double,
                    gamma: Double) -> (advantages: [Double], fractionZeroStd: Double) {
        let rewards = batch.sequenceRewards
        let grouped = GroupAdvantages.compute(rewards: rewards, groupSize: batch.groupSize, scaling: scaling,
                                              ddof: ddof, epsilon: epsilon)
        let values: [Double]
        switch self {
        case .grpo:
            values = TokenAdvantages.broadcast(grouped.advantages, width: batch.width)
        case .rloo:
            values = TokenAdvantages.broadcast(GroupAdvantages.leaveOneOut(rewards: rewards, groupSize: batch.groupSize),
                                               width: batch.width)
        case .reinforcePlusPlus:
            let tokenRewards = TokenAdvantages.rewards(scores: batch.scores, penalties: batch.klPenalties,
                                                       lengths: batch.lengths, width: batch.width)
            let returns = TokenAdvantages.returns(rewards: tokenRewards, lengths: batch.lengths, width: batch.width, gamma: gamma)
            values = TokenAdvantages.whiten(returns, mask: batch.mask)
        case .reinforcePlusPlusBaseline:
            let centred = GroupAdvantages.centred(rewards: rewards, groupSize: batch.groupSize)
            values = TokenAdvantages.whiten(TokenAdvantages.broadcast(centred, width: batch.width), mask: batch.mask)
        }
        return (values, grouped.fractionZeroStd)
    }
}
