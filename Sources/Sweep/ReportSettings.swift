import Config
import Foundation

/// The `report:` section of a spec, recorded in plan.json: the headline metric, how Report
/// reduces each run, and which row is the baseline. Decoded from a spec (through the located
/// decoder) and from plan.json; both validate through `MetricPath` and `Reduction`.
public struct ReportSettings: Equatable, Sendable {
    public var metric: MetricPath
    /// Axis name (or `variant`) → label of the baseline row; empty when none is named.
    public var baseline: [String: String]
    public var reduce: Reduction

    public static let defaultMetric = MetricPath.eval(split: "overall", metric: "accuracy")
    /// `k` of `mean-last-k` when the spec does not give one.
    static let defaultK = 5

    public init(metric: MetricPath = ReportSettings.defaultMetric, baseline: [String: String] = [:], reduce: Reduction = .last) {
        self.metric = metric
        self.baseline = baseline
        self.reduce = reduce
    }

    /// The `k` written beside `reduce` (the default for reductions without one).
    public var k: Int {
        if case .meanLastK(let k) = reduce { return k }
        return Self.defaultK
    }
}

extension ReportSettings: Codable {
    enum CodingKeys: String, CodingKey { case metric, baseline, reduce, k }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let metricText = try container.decodeIfPresent(String.self, forKey: .metric) ?? Self.defaultMetric.description
        do { metric = try MetricPath(parsing: metricText) } catch {
            throw DecodingError.dataCorruptedError(forKey: .metric, in: container, debugDescription: "\(error)")
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
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(metric.description, forKey: .metric)
        try container.encode(baseline, forKey: .baseline)
        try container.encode(reduce.name, forKey: .reduce)
        try container.encode(k, forKey: .k)
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
