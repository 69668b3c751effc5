import Foundation
import Sweep

extension SweepReport {
    /// At most this many rows per chart; more lines than colours cannot be told apart.
    static let maximumCurves = 10
    /// Steps per curve after binning; a chart is a few hundred pixels wide.
    static let maximumPoints = 200

    /// Learning curves: total training reward, each reward component, and every metric of
    /// `report.metrics` over steps (with `eval.overall.accuracy` when none is an evaluation
    /// metric). Done and running runs contribute (a failed run's last values are often NaN); rows
    /// beyond `maximumCurves` are left out, keeping baselines and the best rows by the headline.
    static func makeCharts(metrics: [MetricPath], main: ReportTable, records: [RunRecord],
                           rowOrder: [String], rowRuns: [String: [Int]]) -> [Chart] {
        var components = Set<String>()
        for index in records.indices {
            for name in records[index].train.keys where name.hasPrefix("rewards/") && name.hasSuffix("/mean") {
                components.insert(String(name.dropFirst("rewards/".count).dropLast("/mean".count)))
            }
        }
        let known = ["format", "correctness", "length"]
        let orderedComponents = known.filter(components.contains) + components.subtracting(known).sorted()
        var plots: [(String, MetricPath)] = [("Training reward (total)", .train(name: "reward"))]
        plots += orderedComponents.map { ("Reward component: \($0)", .train(name: "rewards/\($0)/mean")) }
        var listed = metrics
        if !listed.contains(where: { if case .eval = $0 { return true } else { return false } }) {
            listed.append(.eval(split: "overall", metric: "accuracy"))
        }
        for path in listed where !plots.contains(where: { $0.1 == path }) {
            let kind: String
            if case .eval = path { kind = "Evaluation" } else { kind = "Training" }
            plots.append(("\(kind): \(path)", path))
        }

        let plotted = chooseRows(main: main, headline: metrics[0], rowOrder: rowOrder)
        return plots.map { title, path in
            let curves: [Curve] = plotted.compactMap { row in
                curve(row: row, path: path, runs: rowRuns[row] ?? [], records: records)
            }
            return Chart(title: title, metric: path.description, curves: curves,
                         omittedRows: rowOrder.count - plotted.count)
        }
    }

    /// The best baseline row, then the best other rows by headline mean, shown in plan order.
    private static func chooseRows(main: ReportTable, headline: MetricPath, rowOrder: [String]) -> [String] {
        guard rowOrder.count > maximumCurves else { return rowOrder }
        let column = main.columns.firstIndex(of: headline) ?? 0
        let sign = headline.higherIsBetter ? -1.0 : 1.0
        let ranked = main.rows.sorted { a, b in
            let x = a.cells.indices.contains(column) ? (a.cells[column].summary?.mean ?? .nan) : .nan
            let y = b.cells.indices.contains(column) ? (b.cells[column].summary?.mean ?? .nan) : .nan
            if x.isNaN != y.isNaN { return !x.isNaN }
            return sign * x < sign * y
        }
        var chosen: [String] = ranked.first(where: \.isBaseline).map { [$0.name] } ?? []
        for row in ranked where chosen.count < maximumCurves && !chosen.contains(row.name) { chosen.append(row.name) }
        let set = Set(chosen)
        return rowOrder.filter(set.contains)
    }

    /// Mean and ± one standard deviation over a row's runs at each step, binned to at most
    /// `maximumPoints` points; nil when no run has the metric.
    private static func curve(row: String, path: MetricPath, runs: [Int], records: [RunRecord]) -> Curve? {
        var sum: [Int: Double] = [:]
        var sumSquares: [Int: Double] = [:]
        var count: [Int: Int] = [:]
        var contributing = 0
        for index in runs {
            let record = records[index]
            guard record.status.state == .done || record.status.state == .running,
                  let series = record.series(path), !series.steps.isEmpty else { continue }
            contributing += 1
            for (step, value) in zip(series.steps, series.values) where value.isFinite {
                sum[step, default: 0] += value
                sumSquares[step, default: 0] += value * value
                count[step, default: 0] += 1
            }
        }
        guard contributing > 0, !count.isEmpty else { return nil }
        let steps = count.keys.sorted()
        let binSize = max(1, (steps.count + maximumPoints - 1) / maximumPoints)
        var curve = Curve(row: row, steps: [], mean: [], low: [], high: [], runs: contributing)
        var start = 0
        while start < steps.count {
            let bin = steps[start..<min(steps.count, start + binSize)]
            var s = 0.0, ss = 0.0, n = 0
            for step in bin {
                s += sum[step]!
                ss += sumSquares[step]!
                n += count[step]!
            }
            let mean = s / Double(n)
            let variance = n > 1 ? max(0, (ss - s * mean) / Double(n - 1)) : 0
            let sd = variance.squareRoot()
            curve.steps.append(Double(bin.reduce(0, +)) / Double(bin.count))
            curve.mean.append(mean)
            curve.low.append(mean - sd)
            curve.high.append(mean + sd)
            start += binSize
        }
        return curve
    }
}
