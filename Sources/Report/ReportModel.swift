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

/// Which values pair up between a row and its baseline: the run's seed and, in a marginal table,
/// its stratum (the combination of the other axes' labels; 0 in a main table, where a row is one
/// stratum).
public struct SeedKey: Hashable, Sendable {
    var stratum: Int
    public var seed: Int
}

/// A 95 % confidence interval.
public struct ConfidenceInterval: Equatable, Sendable {
    public var low: Double
    public var high: Double

    init(low: Double, high: Double) {
        self.low = low
        self.high = high
    }
}

/// A statistic and its 95 % interval (nil when there are too few values for one).
public struct Estimate: Equatable, Sendable {
    public var value: Double
    public var interval: ConfidenceInterval?
}

/// One table cell: a column's reduced values for a row's runs, aggregated over seeds.
public struct Cell: Sendable {
    /// nil when no run of the row has a value (every seed missing).
    public var summary: SeedSummary?
    /// The mean's interval as `report.interval` asks (Student-t or percentile bootstrap); nil when n < 2.
    public var interval: ConfidenceInterval?
    /// The interquartile mean with its bootstrap interval.
    var interquartileMean: Estimate?
    /// Planned runs of the row (seeds, or all runs pooled in a marginal table).
    public var expected: Int
    public var missing: MissingSeeds
    /// mean − the baseline row's mean; nil for the baseline itself or without a baseline.
    public var delta: Double?
    /// Tests and paired statistics against the baseline row; nil for the baseline itself or without one.
    public var comparison: Comparison?
    /// The best mean in its column (ties all marked).
    var isBest = false
    /// The per-run values behind the summary, in plan order, and the seed (and stratum) of each.
    public var values: [Double]
    public var keys: [SeedKey]

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
    /// The metric name the table is about (`accuracy`); its evaluation columns are headed by split.
    public var metricName: String
    /// nil for the main table; the axis name for a marginal table.
    public var axis: String?
    public var columns: [MetricPath]
    public var rows: [TableRow]

    /// A column's heading: the split alone for the table's own metric, else `MetricPath.heading`.
    func heading(_ column: MetricPath) -> String {
        if case .eval(let split, let metric) = column, metric == metricName { return split }
        return column.heading
    }
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

/// One run, for the run table: its state and its reduced values per `SweepReport.runColumns` entry.
public struct RunSummary: Sendable {
    public var id: String
    public var row: String
    public var seed: Int
    public var status: RunStatus
    public var values: [Double?]
}

/// One metric's tables: the main table and the marginal tables, with the metric paths whose
/// per-seed view goes with them. `report.metrics` gives one section per metric name.
public struct MetricSection: Sendable {
    /// The section's first listed metric path; the main table shows its name on every split.
    public var metric: MetricPath
    /// The listed paths of this metric name, each with a per-seed view.
    public var listed: [MetricPath]
    public var main: ReportTable
    /// One per axis when the sweep has two or more: each label averaged over the other axes.
    var marginals: [ReportTable]

    var seedViews: [SeedView] { listed.compactMap { main.seedView($0) } }
}

/// Everything a report shows.
public struct SweepReport: Sendable {
    public var sweep: String
    public var settings: ReportSettings
    public var axes: [String]
    /// One per metric name in `report.metrics`, headline first.
    public var sections: [MetricSection]
    var charts: [Chart]
    /// Every column of every section, once, in order: the run table's columns.
    var runColumns: [MetricPath]
    public var runs: [RunSummary]
    /// Problems met while reading (file:line: message); the report still uses everything else.
    public var warnings: [String]

    /// The headline section's main table.
    public var main: ReportTable { sections[0].main }
    var marginals: [ReportTable] { sections[0].marginals }

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
