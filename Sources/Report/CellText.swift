import Foundation
import RunStore
import Sweep

/// Number formatting shared by the text formats, so every format prints the same digits.
struct NumberStyle {
    /// Decimals for a column: 3 for values below 10 in magnitude, 2 below 100, else 1.
    let decimals: Int

    init(column: Int, of table: ReportTable) {
        let largest = table.rows.compactMap { $0.cells[column].summary?.mean }.filter(\.isFinite).map(abs).max() ?? 0
        decimals = largest < 10 ? 3 : largest < 100 ? 2 : 1
    }

    func format(_ x: Double) -> String { fixedDecimals(x, decimals) }

    /// A delta with its sign: "+0.012", "-0.055".
    func signed(_ x: Double) -> String {
        let text = format(x)
        return text.hasPrefix("-") || x.isNaN ? text : "+" + text
    }
}

/// The pieces of one cell's text, for formats to assemble with their own markup.
struct CellText {
    var mean: String
    /// Student-t interval half-width; nil when n < 2 or the interval is a bootstrap one.
    var halfWidth: String?
    /// Bootstrap interval bounds; nil when n < 2 or the interval is a Student-t one.
    var bounds: (low: String, high: String)?
    /// "+0.012" or nil.
    var delta: String?
    /// "", "*" or "**" (from the corrected p-value).
    var stars: String
    /// "n=2/3" when incomplete, else nil.
    var count: String?
    var isBest: Bool
    var isEmpty: Bool

    init(_ cell: Cell, style: NumberStyle, interval: ReportSettings.Interval) {
        isBest = cell.isBest
        stars = significanceMarker(cell.comparison?.adjustedPValue)
        count = cell.isIncomplete ? "n=\(cell.summary?.n ?? 0)/\(cell.expected)" : nil
        guard let summary = cell.summary else {
            mean = "–"
            isEmpty = true
            return
        }
        isEmpty = false
        mean = style.format(summary.mean)
        if interval == .t {
            halfWidth = summary.halfWidth.map(style.format)
        } else {
            bounds = cell.interval.map { (style.format($0.low), style.format($0.high)) }
        }
        delta = cell.delta.map(style.signed)
    }
}

/// "0.610 [0.580, 0.640]", or the value alone without an interval; "–" for nil.
func estimateText(_ estimate: Estimate?, _ format: (Double) -> String) -> String {
    guard let estimate else { return "–" }
    guard let interval = estimate.interval else { return format(estimate.value) }
    return "\(format(estimate.value)) [\(format(interval.low)), \(format(interval.high))]"
}

/// A p-value in three decimals, "<0.001" below that, "–" when there is none.
func pValueText(_ p: Double?) -> String {
    guard let p, p.isFinite else { return "–" }
    return p < 0.001 ? "<0.001" : fixedDecimals(p, 3)
}

/// A paired comparison's summary pieces for the per-seed views: "-0.090 [-0.210, 0.030]",
/// "3 / 4 / 3", and the p-values of the three paired tests.
struct PairedText {
    var meanDifference: String
    var counts: String
    var tTest: String
    var wilcoxon: String
    var sign: String

    init?(_ comparison: Comparison?, style: NumberStyle) {
        guard let paired = comparison?.paired else { return nil }
        let mean = style.signed(paired.differences.mean)
        meanDifference = paired.interval.map { "\(mean) [\(style.signed($0.low)), \(style.signed($0.high))]" } ?? mean
        counts = "\(paired.better) / \(paired.equal) / \(paired.worse)"
        tTest = pValueText(paired.t?.pValue)
        wilcoxon = pValueText(paired.wilcoxon?.pValue)
        sign = pValueText(paired.sign?.pValue)
    }
}

/// Notes for incomplete cells, one per row and reason: "coarse: 2 of 3 seeds (1 failed) in all columns".
func incompleteNotes(_ table: ReportTable) -> [String] {
    var notes: [String] = []
    for row in table.rows {
        var columnsByReason: [(String, [String])] = []
        for (cell, column) in zip(row.cells, table.columns) where cell.isIncomplete {
            let reason = "\(cell.summary?.n ?? 0) of \(cell.expected) \(table.axis == nil ? "seeds" : "runs") (\(cell.missing.description))"
            if let i = columnsByReason.firstIndex(where: { $0.0 == reason }) {
                columnsByReason[i].1.append(table.heading(column))
            } else {
                columnsByReason.append((reason, [table.heading(column)]))
            }
        }
        for (reason, columns) in columnsByReason {
            let which = columns.count == table.columns.count ? "all columns" : columns.joined(separator: ", ")
            notes.append("\(row.name): \(reason) in \(which)")
        }
    }
    return notes
}

/// The run rows that are not done, for the "not done" lists (failed first).
func runsNotDone(_ report: SweepReport) -> [RunSummary] {
    let order: [RunState?: Int] = [.failed: 0, nil: 1, .running: 2, .pending: 3]
    return report.runs.filter { $0.status.state != .done }
        .sorted { (order[$0.status.state] ?? 9, $0.row, $0.seed) < (order[$1.status.state] ?? 9, $1.row, $1.seed) }
}

/// How the report was made, in one paragraph (Markdown and HTML share it).
func methodSentence(_ report: SweepReport) -> String {
    let s = report.settings
    let metrics = s.metrics.map { "`\($0)`" }.joined(separator: ", ")
    var text = (s.metrics.count == 1 ? "Metric \(metrics)" : "Metrics \(metrics) (one section each)")
        + "; each run reduced with `\(s.reduce)`; cells are the mean over seeds (done runs only) "
    switch s.interval {
    case .t: text += "± the half-width of its 95 % Student-t interval."
    case .bootstrap: text += "with its 95 % percentile-bootstrap interval [low, high] (\(s.bootstrap.resamples) resamples of the seeds)."
    }
    if s.baseline.isEmpty {
        text += " No baseline is set (`report.baseline`), so no deltas or p-values."
    } else {
        let labels = s.baseline.keys.sorted().map { "\($0) = \(s.baseline[$0]!)" }.joined(separator: ", ")
        let paired: String
        switch s.test {
        case .t: paired = "the paired t-test"
        case .wilcoxon: paired = "the Wilcoxon signed-rank test"
        case .sign: paired = "the sign test"
        }
        text += " Δ is the difference of means to the baseline row (\(labels)); rows that share seeds with their baseline are tested seed by seed with \(paired), others with Welch's t-test"
        text += s.correction == .holm
            ? "; p-values are Holm–Bonferroni adjusted over the rows of each column: * p < 0.05, ** p < 0.01."
            : " (no correction for multiple comparisons): * p < 0.05, ** p < 0.01."
    }
    text += " The best mean in each column is in bold. † marks a cell with fewer values than planned runs."
    return text
}

/// What the interquartile-mean and improvement tables show, in one sentence.
func robustSentence(_ report: SweepReport) -> String {
    var text = "IQM: the interquartile mean over seeds (the mean of the middle half; ⌊n/4⌋ values dropped at each end)"
    if !report.settings.baseline.isEmpty {
        text += "; P(better): the probability that a random seed of the row beats a random seed of its baseline row (ties count ½)"
    }
    return text + "; each with its 95 % percentile-bootstrap interval (\(report.settings.bootstrap.resamples) resamples of the seeds)."
}

/// What a per-seed view shows, in one sentence.
func seedViewSentence(_ report: SweepReport) -> String {
    var text = "Each seed's value; for rows with a baseline, in parentheses the difference to the baseline row at the same seed."
    guard !report.settings.baseline.isEmpty else { return text }
    text += " Then the mean paired difference with its 95 % "
        + (report.settings.interval == .t ? "Student-t" : "percentile-bootstrap")
        + " interval, the seeds where the row is better / equal / worse, and the raw two-sided p-values of the paired t-test, the Wilcoxon signed-rank test (SciPy's conventions) and the sign test."
    return text
}

/// `x` with exactly `decimals` digits after the point ("0.610", "-0.068"; never "-0.000"),
/// rounding half to even like printf. Written out by hand: `String(format:)` is slow on Linux
/// and a 10,000-run report formats tens of thousands of numbers.
func fixedDecimals(_ x: Double, _ decimals: Int) -> String {
    if x.isNaN { return "NaN" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(x) * scale).rounded(.toNearestOrEven)
    guard scaled < 9e15 else { return String(format: "%.\(decimals)f", x) }
    let digits = Int64(scaled)
    var text = String(digits)
    if decimals > 0 {
        if text.count <= decimals { text = String(repeating: "0", count: decimals - text.count + 1) + text }
        text.insert(".", at: text.index(text.endIndex, offsetBy: -decimals))
    }
    return x < 0 && digits != 0 ? "-" + text : text
}
