import Foundation

/// One planned run (or stage run): its identity, where it sits in the sweep, and its config.
public struct PlannedRun: Sendable {
    /// Lowercase hex SHA-256 of `canonicalConfig`.
    public var id: String
    /// Labels joined with ` / ` in axis order: the table row name (empty for stages).
    public var row: String
    /// (axis, label) for every non-seed axis, in axis order.
    public var labels: [(axis: String, label: String)]
    public var seed: Int
    /// The stage name for a stage run, nil for a sweep run.
    public var stage: String?
    /// Ids of the stage runs this run starts from.
    public var dependsOn: [String]
    /// The resolved config, `init: stage:<name>` rewritten to `init: run:<id>`.
    public var config: ConfigTree
    /// The canonical JSON text `id` hashes: the resolved config with each data file reduced to
    /// its content hash (`FileReferences.identity`).
    public var canonicalConfig: String

    public var shortID: String { String(id.prefix(12)) }
}

/// A sweep expanded into runs: what `ablate plan` prints and `plan.json` records.
public struct SweepPlan: Sendable {
    public var sweep: String
    public var specPath: String
    /// Axis names in row order (`variant` first when the spec has variants).
    public var axes: [String]
    /// Runs in expansion order (variants × grid × zip × seeds, excluded ones left out).
    public var runs: [PlannedRun]
    /// Stage runs, dependencies before dependents.
    public var stages: [PlannedRun]
    public var excluded: Int
    public var report: ReportSettings
    public var warnings: [Diagnostic]
    /// The spec's `executor:` section, passed through to `ablate run` (not in `plan.json`).
    public var executor = ExecutorSettings()

    /// Stages then runs, each id once: the order to train them in.
    public var uniqueRunsInDependencyOrder: [PlannedRun] {
        var seen = Set<String>()
        return (stages + runs).filter { seen.insert($0.id).inserted }
    }
}

/// The `plan.json` file format (docs/architecture.md).
public struct PlanFile: Codable, Equatable, Sendable {
    public struct Run: Codable, Equatable, Sendable {
        public var id: String
        public var row: String
        public var labels: [String: String]
        public var seed: Int
        public var stage: String?
        public var dependsOn: [String]

        enum CodingKeys: String, CodingKey { case id, row, labels, seed, stage, dependsOn = "depends_on" }

        public init(id: String, row: String, labels: [String: String], seed: Int, stage: String?, dependsOn: [String]) {
            self.id = id; self.row = row; self.labels = labels; self.seed = seed; self.stage = stage; self.dependsOn = dependsOn
        }

        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            row = try container.decodeIfPresent(String.self, forKey: .row) ?? ""
            labels = try container.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
            seed = try container.decode(Int.self, forKey: .seed)
            stage = try container.decodeIfPresent(String.self, forKey: .stage)
            dependsOn = try container.decodeIfPresent([String].self, forKey: .dependsOn) ?? []
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(row, forKey: .row)
            try container.encode(labels, forKey: .labels)
            try container.encode(seed, forKey: .seed)
            try container.encode(stage, forKey: .stage)   // explicit null for sweep runs
            try container.encode(dependsOn, forKey: .dependsOn)
        }
    }

    public var sweep: String
    public var specPath: String
    public var axes: [String]
    public var runs: [Run]
    public var stages: [Run]
    public var excluded: Int
    public var report: ReportSettings

    enum CodingKeys: String, CodingKey { case sweep, specPath = "spec_path", axes, runs, stages, excluded, report }

    public init(_ plan: SweepPlan) {
        func entry(_ run: PlannedRun) -> Run {
            Run(id: run.id, row: run.row, labels: Dictionary(run.labels.map { ($0.axis, $0.label) }, uniquingKeysWith: { $1 }),
                seed: run.seed, stage: run.stage, dependsOn: run.dependsOn)
        }
        sweep = plan.sweep
        specPath = plan.specPath
        axes = plan.axes
        runs = plan.runs.map(entry)
        stages = plan.stages.map(entry)
        excluded = plan.excluded
        report = plan.report
    }

    /// Pretty JSON with sorted keys.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
