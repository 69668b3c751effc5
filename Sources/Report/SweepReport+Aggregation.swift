import Foundation
import RunStore
import Sweep

extension SweepReport {
    /// Reads plan.json from `sweepDirectory` and every planned run's files from `storeDirectory`,
    /// then reduces, aggregates and tests. Throws only when plan.json is missing or malformed;
    /// problems in a run's files become `warnings`.
    public static func load(sweepDirectory: URL, storeDirectory: URL) throws -> SweepReport {
        let plan = try PlanFile.read(at: sweepDirectory.appendingPathComponent("plan.json").path)
        return load(plan: plan, storeDirectory: storeDirectory)
    }

    public static func load(plan: PlanFile, storeDirectory: URL) -> SweepReport {
        let selection = metricSelection(columns: [], headline: plan.report.metric)
        let records = LedgerReader(storeDirectory: storeDirectory, selection: selection).readAll(reportedRuns(plan))
        return build(plan: plan, records: records)
    }

    /// The plan's runs as tables show them: a sweep without axes has one row, `(all)`.
    static func reportedRuns(_ plan: PlanFile) -> [PlanFile.Run] {
        plan.runs.map { run in
            var run = run
            if run.row.isEmpty { run.row = "(all)" }
            return run
        }
    }

    /// The axes in row-name order: the plan's, with `variant` first and any axis that only
    /// appears in the labels after them (a hand-written plan may leave them out).
    static func reportedAxes(_ plan: PlanFile) -> [String] {
        var labelOrder: [String] = []
        for run in plan.runs {
            for axis in run.labels.keys.sorted() where !labelOrder.contains(axis) { labelOrder.append(axis) }
        }
        var axes: [String] = labelOrder.contains("variant") && !plan.axes.contains("variant") ? ["variant"] : []
        axes += plan.axes.filter(labelOrder.contains)
        axes += labelOrder.filter { !axes.contains($0) }
        return axes
    }

    /// Builds the report from runs already read.
    public static func build(plan: PlanFile, records: [RunRecord]) -> SweepReport {
        let settings = plan.report
        let headline = settings.metric
        let columns = defaultColumns(headline: headline, records: records)
        var warnings = records.flatMap(\.warnings)
        let axes = reportedAxes(plan)

        // Reduce every run once per column; only done runs count.
        let reduced: [[Double?]] = records.map { record in
            columns.map { column in
                guard let series = record.series(column) else { return nil }
                return settings.reduce.apply(series.values, higherIsBetter: column.higherIsBetter)
            }
        }

        let knownAxes = Set(axes)
        for key in settings.baseline.keys.sorted() where !knownAxes.contains(key) {
            warnings.append("report.baseline names '\(key)', which is not an axis of this sweep (axes: \(axes.joined(separator: ", "))); no deltas against it")
        }

        // Main table: one row per plan row, in plan order.
        var rowOrder: [String] = []
        var rowRuns: [String: [Int]] = [:]
        var rowLabels: [String: [String: String]] = [:]
        for (index, record) in records.enumerated() {
            if rowRuns[record.run.row] == nil {
                rowOrder.append(record.run.row)
                rowLabels[record.run.row] = record.run.labels
            }
            rowRuns[record.run.row, default: []].append(index)
        }
        let mainGroups = rowOrder.map { Group(name: $0, labels: rowLabels[$0]!, runs: rowRuns[$0]!) }
        let main = makeTable(title: "Ablation (\(headline.metricName), \(settings.reduce) per run)",
                             axis: nil, groups: mainGroups, columns: columns, records: records, reduced: reduced,
                             baselineOf: { group in
                                 baselineLabels(settings.baseline, knownAxes).isEmpty ? nil
                                     : group.labels.merging(baselineLabels(settings.baseline, knownAxes)) { $1 }
                             })

        // Marginal tables: each axis label pooled over every other axis and seed.
        var marginals: [ReportTable] = []
        if axes.count >= 2 {
            for axis in axes {
                var order: [String] = []
                var runsByLabel: [String: [Int]] = [:]
                for (index, record) in records.enumerated() {
                    let label = record.run.labels[axis] ?? "(none)"
                    if runsByLabel[label] == nil { order.append(label) }
                    runsByLabel[label, default: []].append(index)
                }
                let groups = order.map { Group(name: $0, labels: [axis: $0], runs: runsByLabel[$0]!) }
                let baseline = settings.baseline[axis]
                marginals.append(makeTable(title: "Marginal over \(axis) (all other axes and seeds pooled)",
                                           axis: axis, groups: groups, columns: columns, records: records,
                                           reduced: reduced,
                                           baselineOf: { _ in baseline.map { [axis: $0] } }))
            }
        }

        let runs = records.enumerated().map { index, record in
            RunSummary(id: record.run.id, row: record.run.row, seed: record.run.seed, status: record.status,
                       values: record.status.state == .done ? reduced[index] : reduced[index].map { _ in nil })
        }
        let charts = makeCharts(headline: headline, main: main, records: records, rowOrder: rowOrder, rowRuns: rowRuns)
        return SweepReport(sweep: plan.sweep, settings: settings, axes: axes, main: main, marginals: marginals,
                           charts: charts, runs: runs, warnings: warnings)
    }

    private static func baselineLabels(_ baseline: [String: String], _ axes: Set<String>) -> [String: String] {
        baseline.filter { axes.contains($0.key) }
    }

    struct Group {
        var name: String
        var labels: [String: String]
        var runs: [Int]
    }

    /// Every evaluation split recorded for the headline's metric name (standard order first),
    /// then `train.reward`, then the headline itself when it is another training metric.
    static func defaultColumns(headline: MetricPath, records: [RunRecord]) -> [MetricPath] {
        let metric = headline.metricName
        var splits = Set<String>()
        var hasTrainReward = false
        for record in records {
            for (split, metrics) in record.eval where metrics[metric] != nil { splits.insert(split) }
            if record.train["reward"] != nil { hasTrainReward = true }
        }
        if case .eval(let split, _) = headline { splits.insert(split) }
        var columns: [MetricPath] = standardSplits.filter(splits.contains).map { .eval(split: $0, metric: metric) }
        columns += splits.subtracting(standardSplits).sorted().map { .eval(split: $0, metric: metric) }
        if hasTrainReward || records.allSatisfy({ $0.train.isEmpty }) { columns.append(.train(name: "reward")) }
        if case .train = headline, !columns.contains(headline) { columns.append(headline) }
        return columns
    }

    private static func makeTable(title: String, axis: String?, groups: [Group], columns: [MetricPath],
                                  records: [RunRecord], reduced: [[Double?]],
                                  baselineOf: (Group) -> [String: String]?) -> ReportTable {
        var rows: [TableRow] = groups.map { group in
            let cells: [Cell] = columns.indices.map { column in
                var values: [Double] = []
                var missing = MissingSeeds()
                for index in group.runs {
                    let state = records[index].status.state
                    if state == .done, let value = reduced[index][column] {
                        values.append(value)
                    } else {
                        missing.count(state)
                    }
                }
                return Cell(summary: SeedSummary(values), expected: group.runs.count, missing: missing, values: values)
            }
            return TableRow(name: group.name, labels: group.labels, baselineRow: nil, isBaseline: false, cells: cells)
        }
        // Baselines: the row whose labels are this row's with the baseline's labels put in.
        var indexByLabels: [[String: String]: Int] = [:]
        for (i, group) in groups.enumerated() { indexByLabels[group.labels] = i }
        let baselineIndices: [Int?] = groups.map { group in baselineOf(group).flatMap { indexByLabels[$0] } }
        for i in rows.indices {
            guard let b = baselineIndices[i] else { continue }
            if b == i { rows[i].isBaseline = true; continue }
            rows[i].baselineRow = rows[b].name
            for c in columns.indices {
                guard let mine = rows[i].cells[c].summary, let theirs = rows[b].cells[c].summary else { continue }
                rows[i].cells[c].delta = mine.mean - theirs.mean
                rows[i].cells[c].test = WelchTest(mine, theirs)
            }
        }
        // Best mean per column (NaN never best).
        for (c, column) in columns.enumerated() {
            let means = rows.compactMap { $0.cells[c].summary?.mean }.filter { !$0.isNaN }
            guard let best = column.higherIsBetter ? means.max() : means.min() else { continue }
            for i in rows.indices where rows[i].cells[c].summary?.mean == best { rows[i].cells[c].isBest = true }
        }
        return ReportTable(title: title, axis: axis, columns: columns, rows: rows)
    }
}

/// What a report with these columns and headline needs read from metrics.jsonl.
func metricSelection(columns: [MetricPath], headline: MetricPath) -> MetricSelection {
    var train: [String] = ["reward"]
    var eval: [String] = []
    for path in columns + [headline] {
        switch path {
        case .train(let name): if !train.contains(name) { train.append(name) }
        case .eval(_, let metric): if !eval.contains(metric) { eval.append(metric) }
        }
    }
    if !eval.contains("accuracy") { eval.append("accuracy") }
    return MetricSelection(trainNames: train, evalMetrics: eval)
}
