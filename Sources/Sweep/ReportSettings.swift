import Basics
import Config
import Foundation

/// The `report:` section of a spec, recorded in plan.json: which metrics Report tables (headline
/// first), how it reduces each run, which row is the baseline and which statistics it shows
/// (docs/spec.md, docs/reports.md). Decoded from a spec (through the located decoder) and from
/// plan.json; both validate metric paths through `MetricPath` and reductions through `Reduction`.
public struct ReportSettings: Equatable, Sendable {
    /// How a cell's interval is computed.
    public enum Interval: String, ConfigOption {
        /// Student-t over seeds.
        case t
        /// Percentile bootstrap over seeds.
        case bootstrap
    }

    /// Correction of the p-values of a table column for multiple comparisons.
    public enum Correction: String, ConfigOption {
        case holm, none
    }

    /// The test behind a cell's stars when the row and its baseline share seeds (unpaired rows
    /// always get Welch's t-test).
    public enum Test: String, ConfigOption {
        /// The paired t-test.
        case t
        /// The Wilcoxon signed-rank test.
        case wilcoxon
        /// The sign test.
        case sign
    }

    /// Every metric to table, headline first; one table per metric name. Never empty.
    public var metrics: [MetricPath]
    /// Axis name (or `variant`) → label of the baseline row; empty when none is named.
    public var baseline: [String: String]
    public var reduce: Reduction
    public var interval: Interval
    public var correction: Correction
    public var test: Test
    /// Bootstrap resamples per interval.
    public var resamples: Int

    public static let defaultMetric = MetricPath.eval(split: "overall", metric: "accuracy")
    /// `k` of `mean-last-k` when the spec does not give one.
    static let defaultK = 5
    public static let defaultResamples = 2000
    /// Fewer resamples make percentile intervals visibly noisy; more than this only cost time.
    static let resampleRange = 2000...1_000_000

    public init(metric: MetricPath = ReportSettings.defaultMetric, metrics: [MetricPath]? = nil, baseline: [String: String] = [:],
                reduce: Reduction = .last, interval: Interval = .t, correction: Correction = .holm, test: Test = .t,
                resamples: Int = ReportSettings.defaultResamples) {
        self.metrics = metrics.flatMap { $0.isEmpty ? nil : $0 } ?? [metric]
        self.baseline = baseline
        self.reduce = reduce
        self.interval = interval
        self.correction = correction
        self.test = test
        self.resamples = resamples
    }

    /// The headline metric, `metrics[0]`; setting it reports that metric alone.
    public var metric: MetricPath {
        get { metrics[0] }
        set { metrics = [newValue] }
    }

    /// The `k` written beside `reduce` (the default for reductions without one).
    public var k: Int {
        if case .meanLastK(let k) = reduce { return k }
        return Self.defaultK
    }

    /// The metric list of a spec or plan: `metrics` (headline first) or a single `metric`, each
    /// path parsed by `MetricPath`. Errors are `(key, message)`.
    static func metricList(single: String?, list: [String]?) -> Result<[MetricPath], KeyedProblem> {
        var paths: [String]
        var key = CodingKeys.metric
        if let list {
            key = .metrics
            guard single == nil || single == list.first else {
                return .failure(KeyedProblem(key, "give either 'metric' or 'metrics' (whose first entry is the headline), not both"))
            }
            guard !list.isEmpty else {
                return .failure(KeyedProblem(key, "'metrics' needs at least one metric path, e.g. [eval.overall.accuracy]"))
            }
            for (index, path) in list.enumerated() where list[..<index].contains(path) {
                return .failure(KeyedProblem(key, "\(JSONText.quoted(path)) is listed twice in 'metrics'"))
            }
            paths = list
        } else {
            paths = [single ?? defaultMetric.description]
        }
        var parsed: [MetricPath] = []
        for path in paths {
            do { parsed.append(try MetricPath(parsing: path)) } catch { return .failure(KeyedProblem(key, "\(error)")) }
        }
        return .success(parsed)
    }

    /// A problem with the value of one key.
    struct KeyedProblem: Error {
        var key: CodingKeys
        var message: String
        init(_ key: CodingKeys, _ message: String) {
            self.key = key
            self.message = message
        }
    }
}

extension ReportSettings: Codable {
    enum CodingKeys: String, CodingKey { case metric, metrics, baseline, reduce, k, interval, correction, test, resamples }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch Self.metricList(single: try container.decodeIfPresent(String.self, forKey: .metric),
                               list: try container.decodeIfPresent([String].self, forKey: .metrics)) {
        case .success(let paths): metrics = paths
        case .failure(let problem):
            throw DecodingError.dataCorruptedError(forKey: problem.key, in: container, debugDescription: problem.message)
        }
        baseline = (try container.decodeIfPresent([String: LabelText].self, forKey: .baseline) ?? [:]).mapValues(\.text)
        let k = try container.decodeIfPresent(Int.self, forKey: .k) ?? Self.defaultK
        guard k >= 1 else {
            throw DecodingError.dataCorruptedError(forKey: .k, in: container, debugDescription: "k must be at least 1, found \(k)")
        }
        let name = try container.decodeIfPresent(String.self, forKey: .reduce) ?? Reduction.last.name
        do { reduce = try Reduction(name: name, k: k) } catch {
            throw DecodingError.dataCorruptedError(forKey: .reduce, in: container, debugDescription: "\(error)")
        }
        interval = try container.decodeIfPresent(Interval.self, forKey: .interval) ?? .t
        correction = try container.decodeIfPresent(Correction.self, forKey: .correction) ?? .holm
        test = try container.decodeIfPresent(Test.self, forKey: .test) ?? .t
        resamples = try container.decodeChecked(
            Int.self, forKey: .resamples, default: Self.defaultResamples,
            requirement: "a number of resamples from \(Self.resampleRange.lowerBound) to \(Self.resampleRange.upperBound)"
        ) { Self.resampleRange.contains($0) }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(metric.description, forKey: .metric)
        try container.encode(metrics.map(\.description), forKey: .metrics)
        try container.encode(baseline, forKey: .baseline)
        try container.encode(reduce.name, forKey: .reduce)
        try container.encode(k, forKey: .k)
        try container.encode(interval, forKey: .interval)
        try container.encode(correction, forKey: .correction)
        try container.encode(test, forKey: .test)
        try container.encode(resamples, forKey: .resamples)
    }
}

/// A label written as any scalar (`0.001`, `true`, `coarse`), kept as its text.
struct LabelText: Decodable {
    var text: String

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) { self.text = text; return }
        if let value = try? container.decode(Int.self) { self.text = String(value); return }
        if let value = try? container.decode(Double.self) { self.text = CanonicalJSON.numberText(.double(value)) ?? "\(value)"; return }
        if let value = try? container.decode(Bool.self) { self.text = value ? "true" : "false"; return }
        throw DecodingError.typeMismatch(String.self, .init(codingPath: decoder.codingPath, debugDescription: "expected a label (a string or number)"))
    }
}
