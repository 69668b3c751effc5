import Sweep

extension MetricPath {
    /// Whether a larger value is better. Evaluation accuracies, validities, rewards and every
    /// training reward count as higher-better; evaluation error counts (`errors.<class>`),
    /// training losses, KL, clip ratios, step times and zero-spread fractions as lower-better.
    var higherIsBetter: Bool {
        switch self {
        case .eval(_, let metric): return !metric.hasPrefix("errors.")
        case .train(let name):
            let lowerBetter: Set<String> = ["loss", "kl", "step_time", "grad_norm", "frac_reward_zero_std",
                                            "completions/clipped_ratio"]
            return !(lowerBetter.contains(name) || name.hasPrefix("clip_ratio/"))
        }
    }

    /// A short column heading: the split for eval metrics, "train <name>" for training metrics.
    var heading: String {
        switch self {
        case .eval(let split, let metric): return metric == "accuracy" ? split : "\(split) \(metric)"
        case .train(let name): return name == "reward" ? "train reward" : "train \(name)"
        }
    }
}

/// The evaluation splits, in the order the tables show them.
let standardSplits = ["overall", "seen", "unseen", "multi", "irrelevant"]
