import Foundation

/// A parsed, validated sweep spec (format v1, see docs/spec.md). Every part keeps the location
/// it was written at, so expansion errors can point back into the file.
public struct SweepSpec: Sendable {
    public var name: String
    public var description: String?
    /// Absolute path of the spec file.
    public var path: String
    /// The base run config, dotted keys expanded.
    public var config: ConfigTree
    public var seeds: [Int]
    public var seedsLocation: SourceLocation?
    public var grid: [Axis]
    public var zipGroups: [ZipGroup]
    public var variants: [Variant]
    public var excludes: [ExcludeRule]
    public var stages: [Stage]
    public var report: ReportSettings
    /// Where `ablate run --executor …` sends runs, and with what resources (not part of any run).
    public var executor = ExecutorSettings()
    /// Warnings found while parsing (planning adds its own).
    public var warnings: [Diagnostic]

    /// One sweep axis: a dotted config key and its values, labelled or not.
    public struct Axis: Sendable {
        public var key: String
        public var keyLocation: SourceLocation?
        /// Whether the values were given as a map `label: value`.
        public var isLabeled: Bool
        public var values: [AxisValue]
    }

    public struct AxisValue: Sendable {
        /// The label (for an unlabeled axis, the value's text: `original`, `0.001`, `[0,1]`).
        public var label: String
        public var value: ConfigTree
    }

    /// Axes that advance together.
    public struct ZipGroup: Sendable {
        public var axes: [Axis]
        public var location: SourceLocation?
        public var count: Int { axes.first?.values.count ?? 0 }
    }

    /// A named set of overrides crossed with the grid.
    public struct Variant: Sendable {
        public var label: String
        public var labelLocation: SourceLocation?
        public var overrides: ConfigTree
    }

    /// Drop combinations matching every condition.
    public struct ExcludeRule: Sendable {
        public struct Condition: Sendable {
            public var key: String
            public var keyLocation: SourceLocation?
            public var value: ConfigTree
        }
        public var conditions: [Condition]
        public var location: SourceLocation?
    }

    /// A shared prerequisite run: `config` with these overrides, trained once per seed.
    public struct Stage: Sendable {
        public var name: String
        public var nameLocation: SourceLocation?
        public var overrides: ConfigTree
    }

    /// Every labelled dimension in row order: `variant` (when there are variants), grid axes,
    /// then zip axes.
    public var axisNames: [String] {
        (variants.isEmpty ? [] : ["variant"]) + grid.map(\.key) + zipGroups.flatMap { $0.axes.map(\.key) }
    }
}

/// The `report:` section: which metrics Report tables, how it reduces each run, which row is the
/// baseline and which statistics it shows (docs/spec.md, docs/reports.md).
public struct ReportSettings: Codable, Equatable, Sendable {
    public enum Reduce: String, Codable, Sendable, CaseIterable {
        case last, best
        case meanLastK = "mean-last-k"
    }

    /// How a cell's interval is computed.
    public enum Interval: String, Codable, Sendable, CaseIterable {
        /// Student-t over seeds.
        case t
        /// Percentile bootstrap over seeds.
        case bootstrap
    }

    /// Correction of the p-values of a table column for multiple comparisons.
    public enum Correction: String, Codable, Sendable, CaseIterable {
        case holm, none
    }

    /// The test behind a cell's stars when the row and its baseline share seeds (unpaired rows
    /// always get Welch's t-test).
    public enum Test: String, Codable, Sendable, CaseIterable {
        /// The paired t-test.
        case t
        /// The Wilcoxon signed-rank test.
        case wilcoxon
        /// The sign test.
        case sign
    }

    /// The headline metric: `metrics[0]`.
    public var metric: String
    /// Every metric to table, headline first; one table per metric name.
    public var metrics: [String]
    /// Axis name (or `variant`) → label of the baseline row; empty when none is named.
    public var baseline: [String: String]
    public var reduce: Reduce
    public var k: Int
    public var interval: Interval
    public var correction: Correction
    public var test: Test
    /// Bootstrap resamples per interval.
    public var resamples: Int

    public static let defaultMetric = "eval.overall.accuracy"
    public static let defaultResamples = 2000
    /// Fewer resamples make percentile intervals visibly noisy; more than this only cost time.
    public static let resampleRange = 2000...1_000_000

    public init(metric: String = ReportSettings.defaultMetric, metrics: [String]? = nil, baseline: [String: String] = [:],
                reduce: Reduce = .last, k: Int = 5, interval: Interval = .t, correction: Correction = .holm,
                test: Test = .t, resamples: Int = ReportSettings.defaultResamples) {
        self.metrics = metrics ?? [metric]
        self.metric = self.metrics.first ?? metric
        self.baseline = baseline
        self.reduce = reduce
        self.k = k
        self.interval = interval
        self.correction = correction
        self.test = test
        self.resamples = resamples
    }

    enum CodingKeys: String, CodingKey { case metric, metrics, baseline, reduce, k, interval, correction, test, resamples }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let single = try container.decodeIfPresent(String.self, forKey: .metric)
        if let list = try container.decodeIfPresent([String].self, forKey: .metrics) {
            guard single == nil || single == list.first else {
                throw DecodingError.dataCorruptedError(forKey: .metrics, in: container,
                    debugDescription: "give either 'metric' or 'metrics' (whose first entry is the headline), not both")
            }
            guard !list.isEmpty else {
                throw DecodingError.dataCorruptedError(forKey: .metrics, in: container,
                    debugDescription: "'metrics' needs at least one metric path, e.g. [eval.overall.accuracy]")
            }
            for (index, path) in list.enumerated() where list[..<index].contains(path) {
                throw DecodingError.dataCorruptedError(forKey: .metrics, in: container,
                    debugDescription: "\(CanonicalJSON.quoted(path)) is listed twice in 'metrics'")
            }
            metrics = list
        } else {
            metrics = [single ?? Self.defaultMetric]
        }
        metric = metrics[0]
        for path in metrics {
            let parts = path.split(separator: ".", omittingEmptySubsequences: false)
            guard (parts.first == "eval" && parts.count == 3 && parts.allSatisfy { !$0.isEmpty })
                    || (parts.first == "train" && parts.count >= 2 && !parts[1].isEmpty) else {
                throw DecodingError.dataCorruptedError(forKey: single == nil ? .metrics : .metric, in: container,
                    debugDescription: "a metric is 'eval.<split>.<metric>' or 'train.<name>', found \(CanonicalJSON.quoted(path))")
            }
        }
        baseline = (try container.decodeIfPresent([String: LabelText].self, forKey: .baseline) ?? [:]).mapValues(\.text)
        reduce = try Self.choice(Reduce.self, .reduce, in: container) ?? .last
        k = try container.decodeIfPresent(Int.self, forKey: .k) ?? 5
        guard k >= 1 else {
            throw DecodingError.dataCorruptedError(forKey: .k, in: container, debugDescription: "k must be at least 1, found \(k)")
        }
        interval = try Self.choice(Interval.self, .interval, in: container) ?? .t
        correction = try Self.choice(Correction.self, .correction, in: container) ?? .holm
        test = try Self.choice(Test.self, .test, in: container) ?? .t
        resamples = try container.decodeIfPresent(Int.self, forKey: .resamples) ?? Self.defaultResamples
        guard Self.resampleRange.contains(resamples) else {
            throw DecodingError.dataCorruptedError(forKey: .resamples, in: container,
                debugDescription: "resamples must be between \(Self.resampleRange.lowerBound) and \(Self.resampleRange.upperBound), found \(resamples)")
        }
    }

    /// A key whose value is one of an enumeration's names; nil when absent.
    private static func choice<Choice: RawRepresentable & CaseIterable>(
        _ type: Choice.Type, _ key: CodingKeys, in container: KeyedDecodingContainer<CodingKeys>
    ) throws -> Choice? where Choice.RawValue == String {
        guard let text = try container.decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let value = Choice(rawValue: text) else {
            let names = Choice.allCases.map(\.rawValue).joined(separator: ", ")
            throw DecodingError.dataCorruptedError(forKey: key, in: container,
                debugDescription: "expected one of \(names), found \(CanonicalJSON.quoted(text))")
        }
        return value
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
