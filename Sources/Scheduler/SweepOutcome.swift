import Foundation
import Sweep

/// One unit of work the scheduler tracks: a store id with what it waits for and how to show it.
public struct ScheduledRun: Sendable {
    public var id: String
    public var dependsOn: [String]
    /// `stage base seed 0` or `baseline / coarse seed 1`.
    public var title: String

    public var shortID: String { String(id.prefix(12)) }

    /// Stages first, each id once, in the plan's order.
    public static func units(of plan: SweepPlan) -> [ScheduledRun] {
        plan.uniqueRunsInDependencyOrder.map { run in
            ScheduledRun(id: run.id, dependsOn: run.dependsOn, title: title(stage: run.stage, row: run.row, seed: run.seed))
        }
    }

    /// `units(of:)` narrowed to the runs of `seeds` and the stages they need (whatever a stage's
    /// own seed), in the same order: `ablate run --seeds`.
    public static func units(of plan: SweepPlan, seeds: Set<Int>) -> [ScheduledRun] {
        let all = units(of: plan)
        var needed = Set(plan.runs.filter { seeds.contains($0.seed) }.map(\.id))
        let dependencies = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0.dependsOn) })   // `all` has each id once
        var open = Array(needed)
        while let id = open.popLast() {
            for dependency in dependencies[id] ?? [] where needed.insert(dependency).inserted { open.append(dependency) }
        }
        return all.filter { needed.contains($0.id) }
    }

    /// The same from a recorded `plan.json` (what a Slurm array task reads): its stages, or its
    /// runs that are not also stages, each id once, in the plan's order.
    public static func units(of plan: PlanFile, stages: Bool) -> [ScheduledRun] {
        let stageIDs = Set(plan.stages.map(\.id))
        var seen = Set<String>()
        return (stages ? plan.stages : plan.runs.filter { !stageIDs.contains($0.id) })
            .filter { seen.insert($0.id).inserted }
            .map { ScheduledRun(id: $0.id, dependsOn: $0.dependsOn, title: title(stage: $0.stage, row: $0.row, seed: $0.seed)) }
    }

    static func title(stage: String?, row: String, seed: Int) -> String {
        "\(stage.map { "stage \($0)" } ?? (row.isEmpty ? "run" : row)) seed \(seed)"
    }
}

/// What `ablate run` ended with.
public struct SweepOutcome: Sendable {
    public var done: [String] = []
    public var failed: [(id: String, reason: String)] = []
    /// Not run because a stage they need failed.
    public var blocked: [String] = []
    /// Left pending (interrupted, or not reached after a fail-fast stop).
    public var pending: [String] = []
    /// Runs this scheduler started a worker for (in pull mode, others may have run the rest).
    public var attempted: Set<String> = []
    public var interrupted = false

    public init() {}

    /// 130 interrupted, 1 some run failed or blocked, 0 all done.
    public var exitCode: Int32 {
        if interrupted { return 130 }
        return failed.isEmpty && blocked.isEmpty && pending.isEmpty ? 0 : 1
    }
}
