import Foundation

/// GAE (Schulman et al. 2016) over token-level rewards and critic values, as veRL's
/// `compute_gae_advantage_return`: per completion, backwards from its last token,
///
///     δ_t = r_t + γ·V_{t+1} − V_t        (V past the last token is 0: the episode ends)
///     A_t = δ_t + γλ·A_{t+1}
///     R_t = A_t + V_t                    (the critic's regression target)
///
/// then the advantages are whitened over the batch's loss-bearing tokens
/// (`TokenAdvantages.whiten`); the returns are not. With γ = λ = 1 (veRL's and ToolRL's
/// setting), `A_t = Σ_{k≥t} r_k − V_t`: the Monte-Carlo return less the value.
///
/// Layout: [N, width] row-major; completion i's tokens are 0..<lengths[i] of its row.
enum GeneralizedAdvantageEstimation {
    struct Result {
        /// Before whitening.
        var advantages: [Double]
        var returns: [Double]
    }

    static func compute(rewards: [Double], values: [Double], lengths: [Int], width: Int,
                        gamma: Double, lambda: Double) -> Result {
        precondition(rewards.count == values.count && rewards.count == lengths.count * width, "GAE: array sizes differ")
        var advantages = [Double](repeating: 0, count: rewards.count)
        var returns = [Double](repeating: 0, count: rewards.count)
        for i in lengths.indices {
            let row = i * width
            var running = 0.0
            for t in stride(from: lengths[i] - 1, through: 0, by: -1) {
                let next = t + 1 < lengths[i] ? values[row + t + 1] : 0
                let delta = rewards[row + t] + gamma * next - values[row + t]
                running = delta + gamma * lambda * running
                advantages[row + t] = running
                returns[row + t] = running + values[row + t]
            }
        }
        return Result(advantages: advantages, returns: returns)
    }
}
