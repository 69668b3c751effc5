import Basics
import Foundation
import RunStore

/// `runs/<sweep>/plan.json` (docs/architecture.md): the planned runs of a sweep with their row
/// labels, and the report settings. Written by `Ledger.record`; read by reports and `status`.
public struct PlanFile: Encodable, Equatable, Sendable {
    /// One planned run (or stage run).
    public struct Run: Encodable, Equatable, Sendable {
        public var id: String
        /// The labels joined with ` / ` in axis order: the table row name (empty for stages).
        public var row: String
        /// Every non-seed axis → its label (`variant` too when the spec has variants).
        public var labels: [String: String]
        public var seed: Int
        public var stage: String?
        public var dependsOn: [String]

        enum CodingKeys: String, CodingKey { case id, row, labels, seed, stage, dependsOn = "depends_on" }

        public init(id: String, row: String, labels: [String: String], seed: Int, stage: String? = nil, dependsOn: [String] = []) {
            self.id = id
            self.row = row
            self.labels = labels
            self.seed = seed
            self.stage = stage
            self.dependsOn = dependsOn
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(row, forKey: .row)
            try container.encode(labels, forKey: .labels)
            try container.encode(seed, forKey: .seed)
            try container.encode(stage, forKey: .stage)  // explicit null for sweep runs
            try container.encode(dependsOn, forKey: .dependsOn)
        }
    }

    public var sweep: String
    public var specPath: String
    /// Axis names in the order their labels make up a row name (`variant` first when present).
    public var axes: [String]
    public var runs: [Run]
    public var stages: [Run]
    public var excluded: Int
    public var report: ReportSettings

    enum CodingKeys: String, CodingKey { case sweep, specPath = "spec_path", axes, runs, stages, excluded, report }

    public init(sweep: String, specPath: String, axes: [String], runs: [Run], stages: [Run] = [], excluded: Int = 0,
                report: ReportSettings = ReportSettings()) {
        self.sweep = sweep
        self.specPath = specPath
        self.axes = axes
        self.runs = runs
        self.stages = stages
        self.excluded = excluded
        self.report = report
    }

    public init(_ plan: SweepPlan) {
        func entry(_ run: PlannedRun) -> Run {
            Run(id: run.id, row: run.row, labels: Dictionary(run.labels.map { ($0.axis, $0.label) }, uniquingKeysWith: { $1 }),
                seed: run.seed, stage: run.stage, dependsOn: run.dependsOn)
        }
        self.init(sweep: plan.sweep, specPath: plan.specPath, axes: plan.axes, runs: plan.runs.map(entry),
                  stages: plan.stages.map(entry), excluded: plan.excluded, report: plan.report)
    }

    /// Pretty JSON with sorted keys.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    // MARK: Reading

    /// Reads plan.json with the fast JSON reader (a 10,000-run plan is read by every report).
    /// Errors name the file and the line and column (syntax) or the field (format).
    public static func read(at path: String) throws -> PlanFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RunFileError(path: path, "cannot read the sweep plan; run `ablate plan SPEC` or `ablate run SPEC` first")
        }
        let root: JSONNode
        do { root = try JSONNode.parse(data) } catch let error as JSONSyntaxError {
            let (line, column) = error.lineAndColumn(in: data)
            throw RunFileError(path: path, line: line, column: column, "\(error.message); plan the sweep again to rewrite plan.json")
        }
        func bad(_ field: String, _ what: String) -> RunFileError {
            RunFileError(path: path, field: field, "\(what) (docs/architecture.md has the plan.json format; plan the sweep again)")
        }
        guard root.objectValue != nil else { throw bad("(top level)", "expected a JSON object") }
        func runs(_ key: String) throws -> [Run] {
            guard let list = root[key]?.arrayValue else {
                if key == "stages" { return [] }
                throw bad(key, "missing the list of runs")
            }
            return try list.enumerated().map { index, entry in
                guard let id = entry["id"]?.stringValue else { throw bad("\(key)[\(index)].id", "expected a string") }
                var labels: [String: String] = [:]
                for (axis, value) in entry["labels"]?.objectValue ?? [] {
                    guard let label = value.stringValue else { throw bad("\(key)[\(index)].labels.\(axis)", "expected a string") }
                    labels[axis] = label
                }
                return Run(id: id, row: entry["row"]?.stringValue ?? "", labels: labels, seed: entry["seed"]?.intValue ?? 0,
                           stage: entry["stage"]?.stringValue,
                           dependsOn: (entry["depends_on"]?.arrayValue ?? []).compactMap(\.stringValue))
            }
        }
        var report = ReportSettings()
        if let settings = root["report"], settings.objectValue != nil {
            let list = settings["metrics"]?.arrayValue.map { $0.compactMap(\.stringValue) }
            switch ReportSettings.metricList(single: list == nil ? settings["metric"]?.stringValue : nil, list: list) {
            case .success(let paths): report.metrics = paths
            case .failure(let problem): throw bad("report.\(problem.key.stringValue)", problem.message)
            }
            for (axis, value) in settings["baseline"]?.objectValue ?? [] {
                guard let label = value.stringValue else { throw bad("report.baseline.\(axis)", "expected a string") }
                report.baseline[axis] = label
            }
            let k = settings["k"]?.intValue ?? ReportSettings.defaultK
            do { report.reduce = try Reduction(name: settings["reduce"]?.stringValue ?? Reduction.last.name, k: k) } catch {
                throw bad("report.reduce", "\(error)")
            }
            func choice<Choice: ConfigOption>(_ key: String, _ fallback: Choice) throws -> Choice {
                guard let name = settings[key]?.stringValue else { return fallback }
                guard let value = Choice(rawValue: name) else { throw bad("report.\(key)", Choice.unknownValueMessage(name)) }
                return value
            }
            report.interval = try choice("interval", report.interval)
            report.correction = try choice("correction", report.correction)
            report.test = try choice("test", report.test)
            if let resamples = settings["resamples"]?.intValue {
                guard ReportSettings.resampleRange.contains(resamples) else {
                    throw bad("report.resamples", "\(resamples) is not allowed: expected \(ReportSettings.resampleRange)")
                }
                report.resamples = resamples
            }
        }
        return PlanFile(sweep: root["sweep"]?.stringValue ?? URL(fileURLWithPath: path).deletingLastPathComponent().lastPathComponent,
                        specPath: root["spec_path"]?.stringValue ?? "",
                        axes: (root["axes"]?.arrayValue ?? []).compactMap(\.stringValue),
                        runs: try runs("runs"), stages: try runs("stages"),
                        excluded: root["excluded"]?.intValue ?? 0, report: report)
    }
}
