import Foundation

/// Per-token reward arithmetic shared by the token-level estimators (REINFORCE++, GAE): where a
/// completion's reward sits, returns, and whitening over the loss-bearing tokens of a batch.
///
/// Layout: per-token arrays are [N, width] row-major; completion i has `lengths[i]` tokens at
/// positions 0..<lengths[i] of its row.
enum TokenAdvantages {
    /// veRL's token-level rewards: `−penalty_t` on every token (the KL in the reward, β·KL_t; none
    /// when `penalties` is nil) plus the completion's reward on its last token.
    static func rewards(scores: [Double], penalties: [Double]?, lengths: [Int], width: Int) -> [Double] {
        var rewards = [Double](repeating: 0, count: scores.count * width)
        for i in scores.indices where lengths[i] > 0 {
            if let penalties {
                for t in 0..<lengths[i] { rewards[i * width + t] = -penalties[i * width + t] }
            }
            rewards[i * width + lengths[i] - 1] += scores[i]
        }
        return rewards
    }

    /// Discounted returns `G_t = Σ_{k ≥ t} γ^{k−t} r_k` within each completion (REINFORCE++).
    static func returns(rewards: [Double], lengths: [Int], width: Int, gamma: Double) -> [Double] {
        var returns = [Double](repeating: 0, count: rewards.count)
        for i in lengths.indices {
            var running = 0.0
            for t in stride(from: lengths[i] - 1, through: 0, by: -1) {
                running = rewards[i * width + t] + gamma * running
                returns[i * width + t] = running
            }
        }
        return returns
    }

    /// veRL's `masked_whiten`: `(x − mean) / √(var + 1e-8)` with the mean and the sample (N − 1)
    /// variance over the tokens where `mask` ≠ 0; masked-out tokens become 0. Fewer than two
    /// tokens: variance 0.
    static func whiten(_ values: [Double], mask: [Float]) -> [Double] {
        precondition(values.count == mask.count, "whiten: values and mask differ in size")
        var count = 0.0, sum = 0.0
        for (value, m) in zip(values, mask) where m != 0 {
            count += 1
            sum += value
        }
        guard count > 0 else { return [Double](repeating: 0, count: values.count) }
        let mean = sum / count
        var squares = 0.0
        for (value, m) in zip(values, mask) where m != 0 { squares += (value - mean) * (value - mean) }
        let variance = count > 1 ? squares / (count - 1) : 0
        let scale = 1 / (variance + 1e-8).squareRoot()
        return zip(values, mask).map { $1 != 0 ? ($0 - mean) * scale : 0 }
    }

    /// Each completion's value on all of its row's positions (the loss mask selects its tokens).
    static func broadcast(_ perCompletion: [Double], width: Int) -> [Double] {
        perCompletion.flatMap { [Double](repeating: $0, count: width) }
    }
}
