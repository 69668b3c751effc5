/// The computed report: every number the formats print. Built by `SweepReport.build`.

import RunStore
import Sweep

/// Why a cell has fewer values than planned seeds.
public struct MissingSeeds: Equatable, Sendable {
    public var failed = 0
    public var running = 0
    public var pending = 0
    public var unreadable = 0
    /// Done runs that never recorded this metric.
    var noValue = 0

    public var total: Int { failed + running + pending + unreadable + noValue }

    /// "1 failed, 2 running", in a fixed order; empty when nothing is missing.
    public var description: String {
        var parts: [String] = []
        if failed > 0 { parts.append("\(failed) failed") }
        if running > 0 { parts.append("\(running) running") }
        if pending > 0 { parts.append("\(pending) pending") }
        if unreadable > 0 { parts.append("\(unreadable) with unreadable state") }
        if noValue > 0 { parts.append("\(noValue) done without this metric") }
        return parts.joined(separator: ", ")
    }

    mutating func count(_ state: RunState?) {
        switch state {
        case .failed?: failed += 1
        case .running?: running += 1
        case .pending?: pending += 1
        case nil: unreadable += 1
        case .done?: noValue += 1
        }
    }
}

/// One table cell: a column's reduced values for a row's runs, aggregated over seeds.
public struct Cell: Sendable {
    /// nil when no run of the row has a value (every seed missing).
    public var summary: SeedSummary?
    /// Planned runs of the row (seeds, or all runs pooled in a marginal table).
    public var expected: Int
    public var missing: MissingSeeds
    /// mean − the baseline row's mean; nil for the baseline itself or without a baseline.
    public var delta: Double?
    /// Welch's t-test against the baseline row; nil when either side has n < 2.
    public var test: WelchTest?
    /// The best mean in its column (ties all marked).
    var isBest = false
    /// The per-run values behind the summary, in plan order.
    public var values: [Double]

    /// True when some planned seeds are not in the numbers: the cell is marked with †.
    var isIncomplete: Bool { missing.total > 0 }
}

public struct TableRow: Sendable {
    public var name: String
    public var labels: [String: String]
    /// The row deltas and p-values are measured against (nil: none).
    var baselineRow: String?
    var isBaseline: Bool
    public var cells: [Cell]
}

public struct ReportTable: Sendable {
    public var title: String
    /// nil for the main table; the axis name for a marginal table.
    public var axis: String?
    public var columns: [MetricPath]
    public var rows: [TableRow]
}

/// One row's learning curve: the mean over seeds at each step and a band of ± one standard
/// deviation over seeds.
struct Curve: Sendable {
    var row: String
    var steps: [Double]
    var mean: [Double]
    var low: [Double]
    var high: [Double]
    /// Runs contributing to the curve.
    public var runs: Int
}

struct Chart: Sendable {
    var title: String
    /// The metric path plotted, e.g. `train.reward` or `eval.unseen.accuracy`.
    public var metric: String
    var curves: [Curve]
    /// Rows left out to keep the chart readable.
    var omittedRows: Int
}

/// One run, for the run table: its state and its reduced values per main-table column.
public struct RunSummary: Sendable {
    public var id: String
    public var row: String
    public var seed: Int
    public var status: RunStatus
    public var values: [Double?]
}

/// Everything a report shows.
public struct SweepReport: Sendable {
    public var sweep: String
    public var settings: ReportSettings
    public var axes: [String]
    public var main: ReportTable
    /// One per axis when the sweep has two or more: each label averaged over the other axes.
    var marginals: [ReportTable]
    var charts: [Chart]
    public var runs: [RunSummary]
    /// Problems met while reading (file:line: message); the report still uses everything else.
    public var warnings: [String]

    /// Runs per state (nil: state.json unreadable).
    public var stateCounts: [RunState?: Int] {
        var counts: [RunState?: Int] = [:]
        for run in runs { counts[run.status.state, default: 0] += 1 }
        return counts
    }

    /// "12 runs: 9 done, 1 running, 1 pending, 1 failed".
    public var stateLine: String {
        let counts = stateCounts
        let parts = RunStatus.shownStates.compactMap { s in
            counts[s].map { "\($0) \(RunStatus.name(s))" }
        }
        return "\(runs.count) runs: " + parts.joined(separator: ", ")
    }
}
