/// A metric a report can show: `eval.<split>.<metric>` (from eval lines of metrics.jsonl and from
/// eval.json) or `train.<name>` (from training lines), e.g. `eval.unseen.accuracy`,
/// `train.reward` (docs/architecture.md). The one validator of metric paths: a spec's
/// `report.metric`, plan.json and `ablate report --metric` all parse through it.
public enum MetricPath: Hashable, Sendable, CustomStringConvertible {
    case eval(split: String, metric: String)
    case train(name: String)

    /// Parses a path. A split has no dots; names after it may contain dots and slashes
    /// (`reward/total`).
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
        throw MetricPathError(path: path)
    }

    public var description: String {
        switch self {
        case .eval(let split, let metric): return "eval.\(split).\(metric)"
        case .train(let name): return "train.\(name)"
        }
    }

    /// The metric's name without its split: `accuracy` for `eval.unseen.accuracy`, `reward` for
    /// `train.reward`.
    public var metricName: String {
        switch self {
        case .eval(_, let metric): return metric
        case .train(let name): return name
        }
    }
}

/// A metric path that is neither form.
struct MetricPathError: Error, CustomStringConvertible, Sendable {
    var path: String

    var description: String {
        "a metric is 'eval.<split>.<metric>' or 'train.<name>' (e.g. eval.unseen.accuracy, train.reward), found '\(path)'"
    }
}
