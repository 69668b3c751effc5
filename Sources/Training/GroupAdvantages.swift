import Basics
import Foundation

/// How rewards are scaled into advantages (TRL `scale_rewards`).
enum RewardScaling: String, ConfigOption {
    /// `(r − group mean) / (group std + eps)`: DeepSeekMath GRPO.
    case group
    /// `(r − group mean) / (batch std + eps)`: the mean stays per group.
    case batch
    /// `r − group mean`: Dr. GRPO.
    case none
}

/// Group-relative advantages for GRPO (`scale_rewards`, `std_ddof` and `advantage_eps` in
/// docs/config.md).
enum GroupAdvantages {
    public struct Result: Equatable {
        /// One per completion, prompt-major like the rewards.
        var advantages: [Double]
        /// Fraction of completions whose scale (group std, or batch std under `.batch`) is ~0:
        /// TRL's `frac_reward_zero_std`.
        var fractionZeroStd: Double
    }

    /// Standard deviation with `ddof` (0 population, 1 sample). A sample of size ≤ ddof has std 0,
    /// not NaN, so singleton groups give advantage 0 instead of poisoning the loss.
    static func standardDeviation(_ values: ArraySlice<Double>, ddof: Int) -> Double {
        let n = values.count
        guard n > ddof, n > 0 else { return 0 }
        let mean = values.reduce(0, +) / Double(n)
        let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return (squares / Double(n - ddof)).squareRoot()
    }

    /// `rewards` holds `rewards.count / groupSize` consecutive groups of `groupSize` completions.
    static func compute(rewards: [Double], groupSize: Int, scaling: RewardScaling,
                               ddof: Int, epsilon: Double) -> Result {
        precondition(groupSize > 0 && rewards.count % groupSize == 0, "rewards must fill whole groups")
        let zeroStdTolerance = 1e-8
        var advantages = [Double](repeating: 0, count: rewards.count)
        var zeroStdCount = 0
        let batchStd = standardDeviation(rewards[...], ddof: ddof)
        for start in stride(from: 0, to: rewards.count, by: groupSize) {
            let group = rewards[start..<start + groupSize]
            let mean = group.reduce(0, +) / Double(groupSize)
            let groupStd = standardDeviation(group, ddof: ddof)
            let scale: Double
            switch scaling {
            case .group: scale = groupStd + epsilon
            case .batch: scale = batchStd + epsilon
            case .none: scale = 1
            }
            let zeroStd = (scaling == .batch ? batchStd : groupStd) < zeroStdTolerance
            if zeroStd { zeroStdCount += groupSize }
            for index in group.indices {
                // An all-equal group carries no signal: its advantages are exactly zero.
                advantages[index] = groupStd < zeroStdTolerance ? 0 : (rewards[index] - mean) / scale
            }
        }
        let fraction = rewards.isEmpty ? 0 : Double(zeroStdCount) / Double(rewards.count)
        return Result(advantages: advantages, fractionZeroStd: fraction)
    }

    /// RLOO: each completion against the mean of the other G − 1 of its group,
    /// `R_i − mean_{j≠i} R_j = G/(G−1)·(R_i − group mean)` (veRL `rloo`). A group of one has no
    /// other completion: advantage 0.
    static func leaveOneOut(rewards: [Double], groupSize: Int) -> [Double] {
        precondition(groupSize > 0 && rewards.count % groupSize == 0, "rewards must fill whole groups")
        guard groupSize > 1 else { return [Double](repeating: 0, count: rewards.count) }
        let factor = Double(groupSize) / Double(groupSize - 1)
        var advantages = [Double](repeating: 0, count: rewards.count)
        for start in stride(from: 0, to: rewards.count, by: groupSize) {
            let group = rewards[start..<start + groupSize]
            let mean = group.reduce(0, +) / Double(groupSize)
            for index in group.indices { advantages[index] = factor * (rewards[index] - mean) }
        }
        return advantages
    }

    /// `R − group mean`; a group of one keeps its reward (veRL's baseline for a singleton is 0).
    static func centred(rewards: [Double], groupSize: Int) -> [Double] {
        precondition(groupSize > 0 && rewards.count % groupSize == 0, "rewards must fill whole groups")
        guard groupSize > 1 else { return rewards }
        var centred = rewards
        for start in stride(from: 0, to: rewards.count, by: groupSize) {
            let mean = rewards[start..<start + groupSize].reduce(0, +) / Double(groupSize)
            for index in start..<start + groupSize { centred[index] -= mean }
        }
        return centred
    }

    /// GDPO (TRL `multi_objective_aggregation="normalize_then_sum"`): each component normalised
    /// within its group, `(c_k − mean_k)/(std_k + ε)`, summed with the weights, then the sums
    /// normalised over the batch, `(S − mean S)/(std S + ε)`. `components` is [N][K]. A group
    /// whose component values all agree contributes 0 for that component.
    static func normalizeThenSum(components: [[Double]], weights: [Double], groupSize: Int,
                                        ddof: Int, epsilon: Double) -> [Double] {
        precondition(groupSize > 0 && components.count % groupSize == 0, "rewards must fill whole groups")
        let zeroStdTolerance = 1e-8
        var sums = [Double](repeating: 0, count: components.count)
        for (k, weight) in weights.enumerated() {
            let column = components.map { $0[k] }
            for start in stride(from: 0, to: column.count, by: groupSize) {
                let group = column[start..<start + groupSize]
                let mean = group.reduce(0, +) / Double(groupSize)
                let std = standardDeviation(group, ddof: ddof)
                guard std >= zeroStdTolerance else { continue }
                for index in group.indices { sums[index] += weight * (column[index] - mean) / (std + epsilon) }
            }
        }
        guard !sums.isEmpty else { return [] }
        let mean = sums.reduce(0, +) / Double(sums.count)
        let std = standardDeviation(sums[...], ddof: ddof)
        return sums.map { std < zeroStdTolerance ? 0 : ($0 - mean) / (std + epsilon) }
    }
}
