import Foundation
import RunStore

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
    /// CI half-width; nil when n < 2.
    var halfWidth: String?
    /// "+0.012" or nil.
    var delta: String?
    /// "", "*" or "**".
    var stars: String
    /// "n=2/3" when incomplete, else nil.
    var count: String?
    var isBest: Bool
    var isEmpty: Bool

    init(_ cell: Cell, style: NumberStyle) {
        isBest = cell.isBest
        stars = significanceMarker(cell.test?.pValue)
        count = cell.isIncomplete ? "n=\(cell.summary?.n ?? 0)/\(cell.expected)" : nil
        guard let summary = cell.summary else {
            mean = "–"
            halfWidth = nil
            delta = nil
            isEmpty = true
            return
        }
        isEmpty = false
        mean = style.format(summary.mean)
        halfWidth = summary.halfWidth.map(style.format)
        delta = cell.delta.map(style.signed)
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
                columnsByReason[i].1.append(column.heading)
            } else {
                columnsByReason.append((reason, [column.heading]))
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
    var text = "Headline metric `\(s.metric)`; each run reduced with `\(s.reduce)`; "
        + "cells are mean ± half-width of the 95 % Student-t confidence interval over seeds (done runs only)."
    if s.baseline.isEmpty {
        text += " No baseline is set (`report.baseline`), so no deltas or p-values."
    } else {
        let labels = s.baseline.keys.sorted().map { "\($0) = \(s.baseline[$0]!)" }.joined(separator: ", ")
        text += " Deltas are against the baseline row (\(labels)) with Welch's t-test: * p < 0.05, ** p < 0.01."
    }
    text += " The best mean in each column is in bold. † marks a cell with fewer values than planned runs."
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
