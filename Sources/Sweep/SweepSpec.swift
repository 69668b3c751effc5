import Basics
import Config
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

/// The `report:` section: how Report reduces each run and which row is the baseline.
public struct ReportSettings: Codable, Equatable, Sendable {
    public enum Reduce: String, Codable, Sendable, CaseIterable {
        case last, best
        case meanLastK = "mean-last-k"
    }

    public var metric: String
    /// Axis name (or `variant`) → label of the baseline row; empty when none is named.
    public var baseline: [String: String]
    public var reduce: Reduce
    public var k: Int

    public static let defaultMetric = "eval.overall.accuracy"

    public init(metric: String = ReportSettings.defaultMetric, baseline: [String: String] = [:], reduce: Reduce = .last, k: Int = 5) {
        self.metric = metric
        self.baseline = baseline
        self.reduce = reduce
        self.k = k
    }

    enum CodingKeys: String, CodingKey { case metric, baseline, reduce, k }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        metric = try container.decodeIfPresent(String.self, forKey: .metric) ?? Self.defaultMetric
        baseline = (try container.decodeIfPresent([String: LabelText].self, forKey: .baseline) ?? [:]).mapValues(\.text)
        let reduceText = try container.decodeIfPresent(String.self, forKey: .reduce) ?? Reduce.last.rawValue
        guard let reduce = Reduce(rawValue: reduceText) else {
            throw DecodingError.dataCorruptedError(forKey: .reduce, in: container,
                debugDescription: "expected one of last, best, mean-last-k, found \(CanonicalJSON.quoted(reduceText))")
        }
        self.reduce = reduce
        k = try container.decodeIfPresent(Int.self, forKey: .k) ?? 5
        guard k >= 1 else {
            throw DecodingError.dataCorruptedError(forKey: .k, in: container, debugDescription: "k must be at least 1, found \(k)")
        }
        let parts = metric.split(separator: ".")
        guard (parts.first == "eval" && parts.count == 3) || (parts.first == "train" && parts.count >= 2) else {
            throw DecodingError.dataCorruptedError(forKey: .metric, in: container,
                debugDescription: "a metric is 'eval.<split>.<metric>' or 'train.<name>', found \(CanonicalJSON.quoted(metric))")
        }
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
