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
            let name = run.stage.map { "stage \($0)" } ?? (run.row.isEmpty ? "run" : run.row)
            return ScheduledRun(id: run.id, dependsOn: run.dependsOn, title: "\(name) seed \(run.seed)")
        }
    }
}

/// What `ablate run` ended with.
public struct SweepOutcome: Sendable {
    public var done: [String] = []
    public var failed: [(id: String, reason: String)] = []
    /// Not run because a stage they need failed.
    var blocked: [String] = []
    /// Left pending (interrupted, or not reached after a fail-fast stop).
    public var pending: [String] = []
    public var interrupted = false

    /// 130 interrupted, 1 some run failed or blocked, 0 all done.
    public var exitCode: Int32 {
        if interrupted { return 130 }
        return failed.isEmpty && blocked.isEmpty && pending.isEmpty ? 0 : 1
    }
}
