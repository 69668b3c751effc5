import Foundation
import Sweep

/// What `report:` in a spec asks for, as the planner wrote it into plan.json (keys and values as
/// `Sweep.ReportSettings`, which validates them when the spec is parsed).
public struct ReportConfiguration: Equatable, Sendable {
    public typealias Interval = ReportSettings.Interval
    public typealias Correction = ReportSettings.Correction
    public typealias Test = ReportSettings.Test

    /// The metric paths to table, headline first (see `MetricPath`); never empty.
    public var metrics: [String]
    /// Labels that pick the baseline row, e.g. `["variant": "baseline"]`; empty means no baseline.
    public var baseline: [String: String]
    public var reduce: Reduction
    /// Columns of the headline table; nil means every evaluation split of the headline metric plus `train.reward`.
    public var columns: [String]?
    public var interval: Interval
    public var correction: Correction
    public var test: Test
    public var bootstrap: Bootstrap

    public init(metric: String = "eval.overall.accuracy", metrics: [String]? = nil, baseline: [String: String] = [:],
                reduce: Reduction = .last, columns: [String]? = nil, interval: Interval = .t,
                correction: Correction = .holm, test: Test = .t, bootstrap: Bootstrap = Bootstrap()) {
        self.metrics = metrics ?? [metric]
        self.baseline = baseline
        self.reduce = reduce
        self.columns = columns
        self.interval = interval
        self.correction = correction
        self.test = test
        self.bootstrap = bootstrap
    }

    /// The headline metric, `metrics[0]`; setting it reports that metric alone.
    public var metric: String {
        get { metrics[0] }
        set { metrics = [newValue] }
    }
}

/// One planned run of a sweep (an entry of plan.json's `runs`).
public struct ReportPlanRun: Equatable, Sendable {
    public var id: String
    /// The table row: the labels joined with " / " in axis order.
    public var row: String
    /// Every non-seed axis → its label (`variant` too when the spec has variants).
    public var labels: [String: String]
    public var seed: Int
}

/// plan.json, the part a report needs.
public struct ReportPlan: Equatable, Sendable {
    public var sweep: String
    /// Axis names in the order their labels make up a row name (`variant` first when present).
    public var axes: [String]
    public var runs: [ReportPlanRun]
    public var report: ReportConfiguration

    /// Reads `plan.json`; errors name the file and, for syntax, the line and column.
    public static func read(from url: URL) throws -> ReportPlan {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ReportError("\(url.path): cannot read the sweep plan (\(error.localizedDescription)); run `ablate plan SPEC` or `ablate run SPEC` first")
        }
        let root: JSONNode
        do { root = try parseJSONDocument(data) } catch let error as JSONSyntaxError {
            let (line, column) = lineAndColumn(in: data, offset: error.offset)
            throw ReportError("\(url.path):\(line):\(column): \(error.message); re-plan the sweep to rewrite plan.json")
        }
        return try ReportPlan(json: root, path: url.path)
    }

    init(json root: JSONNode, path: String) throws {
        func bad(_ what: String) -> ReportError {
            ReportError("\(path): \(what); the file does not follow the plan.json format in docs/architecture.md (re-plan the sweep)")
        }
        guard root.objectValue != nil else { throw bad("expected a JSON object at the top level") }
        sweep = root["sweep"]?.stringValue ?? URL(fileURLWithPath: path).deletingLastPathComponent().lastPathComponent
        guard let runList = root["runs"]?.arrayValue else { throw bad("missing the \"runs\" array") }
        var runs: [ReportPlanRun] = []
        runs.reserveCapacity(runList.count)
        var labelOrder: [String] = []
        var seenLabel = Set<String>()
        for (index, entry) in runList.enumerated() {
            guard let id = entry["id"]?.stringValue else { throw bad("runs[\(index)] has no string \"id\"") }
            var labels: [String: String] = [:]
            for (key, value) in entry["labels"]?.objectValue ?? [] {
                switch value {
                case .string(let s): labels[key] = s
                case .number(let x): labels[key] = formatLabelNumber(x)
                case .bool(let b): labels[key] = String(b)
                default: labels[key] = "null"
                }
                if seenLabel.insert(key).inserted { labelOrder.append(key) }
            }
            let row = entry["row"]?.stringValue ?? labels.keys.sorted().map { labels[$0]! }.joined(separator: " / ")
            runs.append(ReportPlanRun(id: id, row: row.isEmpty ? "(all)" : row, labels: labels,
                                   seed: entry["seed"]?.intValue ?? 0))
        }
        self.runs = runs
        let declared = (root["axes"]?.arrayValue ?? []).compactMap(\.stringValue)
        var axes: [String] = []
        if seenLabel.contains("variant") && !declared.contains("variant") { axes.append("variant") }
        axes += declared.filter { seenLabel.contains($0) }
        axes += labelOrder.filter { !axes.contains($0) }
        self.axes = axes

        var settings = ReportConfiguration()
        if let report = root["report"], report.objectValue != nil {
            if let metrics = report["metrics"]?.arrayValue?.compactMap(\.stringValue), !metrics.isEmpty {
                settings.metrics = metrics
            } else if let metric = report["metric"]?.stringValue {
                settings.metric = metric
            }
            for (key, value) in report["baseline"]?.objectValue ?? [] {
                if let s = value.stringValue { settings.baseline[key] = s }
                else if let x = value.doubleValue { settings.baseline[key] = formatLabelNumber(x) }
            }
            let k = report["k"]?.intValue ?? 5
            if let name = report["reduce"]?.stringValue {
                guard let reduction = Reduction(name: name, k: k) else {
                    throw bad("report.reduce is \"\(name)\"; expected one of last, best, mean-last-k")
                }
                settings.reduce = reduction
            }
            if let columns = report["columns"]?.arrayValue { settings.columns = columns.compactMap(\.stringValue) }
            func choice<Choice: RawRepresentable & CaseIterable>(_ key: String, _ type: Choice.Type) throws -> Choice?
            where Choice.RawValue == String {
                guard let name = report[key]?.stringValue else { return nil }
                guard let value = Choice(rawValue: name) else {
                    throw bad("report.\(key) is \"\(name)\"; expected one of \(Choice.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return value
            }
            settings.interval = try choice("interval", ReportConfiguration.Interval.self) ?? .t
            settings.correction = try choice("correction", ReportConfiguration.Correction.self) ?? .holm
            settings.test = try choice("test", ReportConfiguration.Test.self) ?? .t
            if let resamples = report["resamples"]?.intValue {
                let range = ReportSettings.resampleRange
                guard range.contains(resamples) else {
                    throw bad("report.resamples is \(resamples); expected \(range.lowerBound) to \(range.upperBound)")
                }
                settings.bootstrap = Bootstrap(resamples: resamples)
            }
        }
        for metric in settings.metrics { _ = try MetricPath(parsing: metric) }
        self.report = settings
    }
}

/// Labels that are numbers print like YAML would write them: `3` not `3.0`.
func formatLabelNumber(_ x: Double) -> String {
    if x.isFinite, x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
    return String(x)
}

/// An error the user can act on; its description says what, where and how to fix it.
public struct ReportError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
