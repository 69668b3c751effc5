/// A metric a report can show: `eval.<split>.<metric>` or `train.<name>` (docs/architecture.md).
public enum MetricPath: Hashable, Sendable, CustomStringConvertible {
    /// From eval lines of metrics.jsonl and from eval.json.
    case eval(split: String, metric: String)
    /// From training lines of metrics.jsonl.
    case train(name: String)

    /// Parses a path; metric names may contain dots and slashes after the split (`reward/total`).
    public init(parsing path: String) throws {
        if path.hasPrefix("train."), path.count > 6 {
            self = .train(name: String(path.dropFirst(6)))
            return
        }
        let parts = path.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        if parts.count == 3, parts[0] == "eval", !parts[1].isEmpty, !parts[2].isEmpty {
            self = .eval(split: String(parts[1]), metric: String(parts[2]))
            return
        }
        throw ReportError("metric path '\(path)' is not eval.<split>.<metric> or train.<name> (e.g. eval.unseen.accuracy, train.reward)")
    }

    public var description: String {
        switch self {
        case .eval(let split, let metric): return "eval.\(split).\(metric)"
        case .train(let name): return "train.\(name)"
        }
    }

    /// Whether a larger value is better. Every evaluation metric (accuracies, validities,
    /// rewards) and every training reward counts as higher-better; training losses, KL, clip
    /// ratios, step times and zero-spread fractions count as lower-better.
    public var higherIsBetter: Bool {
        switch self {
        case .eval: return true
        case .train(let name):
            let lowerBetter: Set<String> = ["loss", "kl", "step_time", "grad_norm", "frac_reward_zero_std",
                                            "completions/clipped_ratio"]
            return !(lowerBetter.contains(name) || name.hasPrefix("clip_ratio/"))
        }
    }

    /// A short column heading: the split for eval metrics, "train <name>" for training metrics.
    public var heading: String {
        switch self {
        case .eval(let split, let metric): return metric == "accuracy" ? split : "\(split) \(metric)"
        case .train(let name): return name == "reward" ? "train reward" : "train \(name)"
        }
    }
}

/// The evaluation splits, in the order the tables show them.
let standardSplits = ["overall", "seen", "unseen", "multi", "irrelevant"]
