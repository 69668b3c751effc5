import Basics
import Config
import Foundation

/// One planned run (or stage run): its identity, where it sits in the sweep, and its config.
public struct PlannedRun: Sendable {
    /// The run id: `identity.id`.
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
    /// What the id hashes: the config without its defaults, and the defaults' version.
    public var identity: RunIdentity

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
