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
        let metrics = plan.report.metrics
        let selection = metricSelection(columns: Array(metrics.dropFirst()), headline: metrics[0])
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
        let metrics = settings.metrics
        var warnings = records.flatMap(\.warnings)
        let axes = reportedAxes(plan)

        // One section per metric name, in the order the names first appear.
        var sectionPaths: [[MetricPath]] = []
        for path in metrics {
            if let i = sectionPaths.firstIndex(where: { $0[0].metricName == path.metricName }) {
                if !sectionPaths[i].contains(path) { sectionPaths[i].append(path) }
            } else {
                sectionPaths.append([path])
            }
        }
        let sectionColumns: [[MetricPath]] = sectionPaths.enumerated().map { index, paths in
            var columns = defaultColumns(headline: paths[0], records: records)
            if index > 0 && paths[0] != .train(name: "reward") { columns.removeAll { $0 == .train(name: "reward") } }
            for path in paths where !columns.contains(path) { columns.append(path) }
            return columns
        }
        var runColumns: [MetricPath] = []
        for column in sectionColumns.joined() where !runColumns.contains(column) { runColumns.append(column) }
        let columnIndex = Dictionary(uniqueKeysWithValues: runColumns.enumerated().map { ($1, $0) })

        // Reduce every run once per column.
        // (Records are reached by index throughout: a copy of a record retains all its parts.)
        let reduced: [[Double?]] = records.indices.map { index in
            runColumns.map { column in
                guard let series = records[index].series(column) else { return nil }
                return settings.reduce.apply(series.values, higherIsBetter: column.higherIsBetter)
            }
        }

        let knownAxes = Set(axes)
        for key in settings.baseline.keys.sorted() where !knownAxes.contains(key) {
            warnings.append("report.baseline names '\(key)', which is not an axis of this sweep (axes: \(axes.joined(separator: ", "))); no deltas against it")
        }
        let baseline = settings.baseline.filter { knownAxes.contains($0.key) }

        // Main table rows: one per plan row, in plan order; a row is one stratum.
        var rowOrder: [String] = []
        var rowRuns: [String: [Int]] = [:]
        var rowLabels: [String: [String: String]] = [:]
        for index in records.indices {
            let row = records[index].run.row
            if rowRuns[row] == nil {
                rowOrder.append(row)
                rowLabels[row] = records[index].run.labels
            }
            rowRuns[row, default: []].append(index)
        }
        let mainGroups = rowOrder.map { name in
            Group(name: name, labels: rowLabels[name]!, runs: rowRuns[name]!, strata: rowRuns[name]!.map { _ in 0 })
        }

        // Marginal rows: each axis label pooled over every other axis and seed; the combination
        // of the other axes' labels is the stratum.
        var marginalGroups: [(axis: String, groups: [Group])] = []
        if axes.count >= 2 {
            for axis in axes {
                var order: [String] = []
                var runsByLabel: [String: [Int]] = [:]
                var strataByLabel: [String: [Int]] = [:]
                var stratumIDs: [[String]: Int] = [:]
                for index in records.indices {
                    let labels = records[index].run.labels
                    let label = labels[axis] ?? "(none)"
                    if runsByLabel[label] == nil { order.append(label) }
                    let others = axes.filter { $0 != axis }.map { labels[$0] ?? "" }
                    let stratum = stratumIDs[others] ?? stratumIDs.count
                    stratumIDs[others] = stratum
                    runsByLabel[label, default: []].append(index)
                    strataByLabel[label, default: []].append(stratum)
                }
                marginalGroups.append((axis, order.map {
                    Group(name: $0, labels: [axis: $0], runs: runsByLabel[$0]!, strata: strataByLabel[$0]!)
                }))
            }
        }

        let sections = zip(sectionPaths, sectionColumns).map { paths, columns -> MetricSection in
            let indices = columns.map { columnIndex[$0]! }
            let name = paths[0].metricName
            let main = makeTable(title: "Ablation (\(name), \(settings.reduce) per run)", metricName: name, axis: nil, groups: mainGroups,
                                 columns: columns, columnIndices: indices, records: records, reduced: reduced,
                                 settings: settings,
                                 baselineOf: { group in baseline.isEmpty ? nil : group.labels.merging(baseline) { $1 } })
            let marginals = marginalGroups.map { axis, groups in
                makeTable(title: "Marginal over \(axis) (\(name); all other axes and seeds pooled)", metricName: name, axis: axis,
                          groups: groups, columns: columns, columnIndices: indices, records: records, reduced: reduced,
                          settings: settings, baselineOf: { _ in baseline[axis].map { [axis: $0] } })
            }
            return MetricSection(metric: paths[0], listed: paths, main: main, marginals: marginals)
        }

        let runs = records.indices.map { index in
            RunSummary(id: records[index].run.id, row: records[index].run.row, seed: records[index].run.seed,
                       status: records[index].status,
                       values: records[index].status.state == .done ? reduced[index] : reduced[index].map { _ in nil })
        }
        let charts = makeCharts(metrics: metrics, main: sections[0].main, records: records, rowOrder: rowOrder, rowRuns: rowRuns)
        return SweepReport(sweep: plan.sweep, settings: settings, axes: axes, sections: sections, charts: charts,
                           runColumns: runColumns, runs: runs, warnings: warnings)
    }

    struct Group {
        var name: String
        var labels: [String: String]
        var runs: [Int]
        /// Each run's stratum (parallel to `runs`).
        var strata: [Int]

        /// The planned (stratum, seed) keys when each occurs once; nil otherwise (then the group
        /// cannot be paired seed by seed).
        func plannedKeys(_ records: [RunRecord]) -> Set<SeedKey>? {
            let keys = zip(runs, strata).map { SeedKey(stratum: $1, seed: records[$0].run.seed) }
            let unique = Set(keys)
            return unique.count == keys.count ? unique : nil
        }
    }

    /// Every evaluation split recorded for the headline's metric name (standard order first),
    /// then `train.reward`, then the headline itself when it is another training metric.
    static func defaultColumns(headline: MetricPath, records: [RunRecord]) -> [MetricPath] {
        let metric = headline.metricName
        var splits = Set<String>()
        var hasTrainReward = false
        for index in records.indices {
            for (split, metrics) in records[index].eval where metrics[metric] != nil { splits.insert(split) }
            if records[index].train["reward"] != nil { hasTrainReward = true }
        }
        if case .eval(let split, _) = headline { splits.insert(split) }
        var columns: [MetricPath] = standardSplits.filter(splits.contains).map { .eval(split: $0, metric: metric) }
        columns += splits.subtracting(standardSplits).sorted().map { .eval(split: $0, metric: metric) }
        if hasTrainReward || records.allSatisfy({ $0.train.isEmpty }) { columns.append(.train(name: "reward")) }
        if case .train = headline, !columns.contains(headline) { columns.append(headline) }
        return columns
    }

    private static func makeTable(title: String, metricName: String, axis: String?, groups: [Group], columns: [MetricPath],
                                  columnIndices: [Int], records: [RunRecord], reduced: [[Double?]],
                                  settings: ReportSettings,
                                  baselineOf: (Group) -> [String: String]?) -> ReportTable {
        // Cells (bootstrap intervals are the bulk of the work: rows in parallel). The interquartile
        // mean and the probability of improvement are aggregates over seeds: main tables only.
        var rows: [TableRow] = concurrentMap(groups.count) { g in
            let group = groups[g]
            let cells: [Cell] = columnIndices.map { column in
                var values: [Double] = []
                var keys: [SeedKey] = []
                var missing = MissingSeeds()
                for (index, stratum) in zip(group.runs, group.strata) {
                    let state = records[index].status.state
                    if state == .done, let value = reduced[index][column] {
                        values.append(value)
                        keys.append(SeedKey(stratum: stratum, seed: records[index].run.seed))
                    } else {
                        missing.count(state)
                    }
                }
                return makeCell(values: values, keys: keys, expected: group.runs.count, missing: missing,
                                settings: settings, robust: axis == nil)
            }
            return TableRow(name: group.name, labels: group.labels, baselineRow: nil, isBaseline: false, cells: cells)
        }

        // Baselines: the row whose labels are this row's with the baseline's labels put in.
        var indexByLabels: [[String: String]: Int] = [:]
        for (i, group) in groups.enumerated() { indexByLabels[group.labels] = i }
        let baselineIndices: [Int?] = groups.map { group in baselineOf(group).flatMap { indexByLabels[$0] } }
        let plannedKeys = groups.map { $0.plannedKeys(records) }
        let comparisons: [[Comparison?]] = concurrentMap(groups.count) { i in
            guard let b = baselineIndices[i], b != i else { return columns.map { _ in nil } }
            let paired = plannedKeys[i] != nil && plannedKeys[i] == plannedKeys[b]
            return columns.indices.map { c in
                guard !rows[i].cells[c].values.isEmpty, !rows[b].cells[c].values.isEmpty else { return nil }
                return Comparison(rows[i].cells[c], against: rows[b].cells[c], sharesSeeds: paired,
                                  higherIsBetter: columns[c].higherIsBetter, settings: settings, robust: axis == nil)
            }
        }
        for i in rows.indices {
            guard let b = baselineIndices[i] else { continue }
            if b == i { rows[i].isBaseline = true; continue }
            rows[i].baselineRow = rows[b].name
            for c in columns.indices {
                rows[i].cells[c].comparison = comparisons[i][c]
                guard let mine = rows[i].cells[c].summary, let theirs = rows[b].cells[c].summary else { continue }
                rows[i].cells[c].delta = mine.mean - theirs.mean
            }
        }
        // Multiple comparisons: a column's tests against the baseline are one family.
        if settings.correction == .holm {
            for c in columns.indices {
                let adjusted = HolmBonferroni.adjust(rows.map { $0.cells[c].comparison?.pValue })
                for i in rows.indices where rows[i].cells[c].comparison != nil {
                    rows[i].cells[c].comparison!.adjustedPValue = adjusted[i]
                }
            }
        }
        // Best mean per column (NaN never best).
        for (c, column) in columns.enumerated() {
            let means = rows.compactMap { $0.cells[c].summary?.mean }.filter { !$0.isNaN }
            guard let best = column.higherIsBetter ? means.max() : means.min() else { continue }
            for i in rows.indices where rows[i].cells[c].summary?.mean == best { rows[i].cells[c].isBest = true }
        }
        return ReportTable(title: title, metricName: metricName, axis: axis, columns: columns, rows: rows)
    }

    /// A cell's summary, the mean's interval as `report.interval` asks, and with `robust` the
    /// interquartile mean with its bootstrap interval (stratified by `keys`' strata).
    static func makeCell(values: [Double], keys: [SeedKey], expected: Int, missing: MissingSeeds,
                         settings: ReportSettings, robust: Bool) -> Cell {
        let summary = SeedSummary(values)
        var cell = Cell(summary: summary, expected: expected, missing: missing, values: values, keys: keys)
        guard let summary else { return cell }
        let strata = values.count >= 2 ? stratified(values, by: keys.map(\.stratum)) : []
        cell.interval = settings.meanInterval(summary, strata: strata)
        if robust, let iqm = RobustAggregates.interquartileMean(values) {
            let interval = values.count >= 2 ? settings.bootstrap.interval(.interquartileMean, strata: strata) : nil
            cell.interquartileMean = Estimate(value: iqm, interval: interval)
        }
        return cell
    }
}

extension ReportSettings {
    /// The interval of a mean as `interval` asks: Student-t from the summary, or the percentile
    /// bootstrap of the values grouped by stratum; nil for fewer than two values.
    func meanInterval(_ summary: SeedSummary, strata: [[Double]]) -> ConfidenceInterval? {
        guard summary.n >= 2 else { return nil }
        switch interval {
        case .t: return summary.halfWidth.map { ConfidenceInterval(low: summary.mean - $0, high: summary.mean + $0) }
        case .bootstrap: return bootstrap.interval(.mean, strata: strata)
        }
    }
}

/// `body(0) … body(count − 1)` on all cores, in order.
func concurrentMap<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
    guard count > 0 else { return [] }
    var results = [T?](repeating: nil, count: count)
    results.withUnsafeMutableBufferPointer { slots in
        let base = slots.baseAddress!
        DispatchQueue.concurrentPerform(iterations: count) { i in (base + i).pointee = body(i) }
    }
    return results.map { $0! }
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
