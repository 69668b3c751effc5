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
}
