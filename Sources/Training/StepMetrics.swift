import Foundation

/// The per-step metrics GRPO and PPO share (TRL's names; docs/architecture.md).
enum StepMetrics {
    /// `reward`, `reward_std`, `rewards/<component>/mean|std` (with `overlong` when the penalty is
    /// on) and, with dynamic sampling, `dynamic_sampling/batches|drawn_groups|dropped_groups`.
    static func rollout(_ rollout: Rollout, rewardFunction: RewardFunction, config: TrainConfig) -> [(String, Double)] {
        let totals = rollout.totals
        var metrics: [(String, Double)] = [("reward", mean(totals)), ("reward_std", standardDeviation(totals))]
        var names = rewardFunction.componentNames
        for score in rollout.scores { for (name, _) in score.components where !names.contains(name) { names.append(name) } }
        for name in names {
            let values = rollout.scores.compactMap { $0.components.first { $0.0 == name }?.1 }
            metrics.append(("rewards/\(name)/mean", mean(values)))
            metrics.append(("rewards/\(name)/std", standardDeviation(values)))
        }
        if config.overlongPenalty != nil {
            metrics.append(("rewards/overlong/mean", mean(rollout.overlong)))
            metrics.append(("rewards/overlong/std", standardDeviation(rollout.overlong)))
        }
        if config.dynamicSampling {
            metrics.append(("dynamic_sampling/batches", Double(rollout.batches)))
            metrics.append(("dynamic_sampling/drawn_groups", Double(rollout.drawnGroups)))
            metrics.append(("dynamic_sampling/dropped_groups", Double(rollout.droppedGroups)))
        }
        return metrics
    }

    /// `kl` (with a reference), `entropy`, `clip_ratio/low_mean|high_mean|region_mean` and, with a
    /// dual clip, `clip_ratio/dual_mean`.
    static func policy(_ stats: PolicyLoss.Statistics, useReference: Bool, config: TrainConfig) -> [(String, Double)] {
        var metrics: [(String, Double)] = []
        if useReference { metrics.append(("kl", stats.kl)) }
        metrics.append(("entropy", stats.entropy))
        metrics.append(("clip_ratio/low_mean", stats.clipLow))
        metrics.append(("clip_ratio/high_mean", stats.clipHigh))
        metrics.append(("clip_ratio/region_mean", stats.clipRegion))
        if config.dualClip != nil { metrics.append(("clip_ratio/dual_mean", stats.clipDual)) }
        return metrics
    }

    /// `completions/mean_length|min_length|max_length|clipped_ratio`.
    static func completions(_ rollout: Rollout) -> [(String, Double)] {
        let lengths = rollout.lengths.map(Double.init)
        return [("completions/mean_length", mean(lengths)), ("completions/min_length", lengths.min() ?? 0),
                ("completions/max_length", lengths.max() ?? 0),
                ("completions/clipped_ratio", mean(rollout.truncated.map { $0 ? 1 : 0 }))]
    }

    static func mean(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }
    static func standardDeviation(_ values: [Double]) -> Double { GroupAdvantages.standardDeviation(values[...], ddof: 1) }
}
