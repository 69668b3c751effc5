/// GitHub-flavoured Markdown: per metric, the main table, its interquartile means and
/// probabilities of improvement, a per-seed view per listed metric, and the marginal tables; then
/// runs not done and warnings.

import Sweep

enum MarkdownFormat {
    static func render(_ report: SweepReport) -> String {
        var out = "# Ablation report: \(report.sweep)\n\n"
        out += methodSentence(report) + "\n\n"
        out += report.stateLine + ".\n\n"
        for section in report.sections {
            out += "## " + section.main.title + "\n\n" + table(section.main, interval: report.settings.interval)
            out += "\n### Interquartile mean" + (report.settings.baseline.isEmpty ? "" : " and probability of improvement")
                + " (\(section.main.metricName))\n\n" + robustSentence(report) + "\n\n" + robustTables(section.main)
            for view in section.seedViews {
                out += "\n### Per seed: `\(view.column)`\n\n" + seedViewSentence(report) + "\n\n" + seedTable(view, of: section.main)
            }
            for marginal in section.marginals {
                out += "\n## " + marginal.title + "\n\n" + table(marginal, interval: report.settings.interval)
            }
            out += "\n"
        }
        let notDone = runsNotDone(report)
        if !notDone.isEmpty {
            out += "## Runs not done\n\n| run | row | seed | state | step | reason |\n|---|---|---|---|---|---|\n"
            for run in notDone.prefix(50) {
                let step = run.status.step.map { s in run.status.totalSteps.map { "\(s)/\($0)" } ?? "\(s)" } ?? ""
                out += "| `\(run.id.prefix(12))` | \(escape(run.row)) | \(run.seed) | \(run.status.stateName) | \(step) | \(escape(run.status.error ?? "")) |\n"
            }
            if notDone.count > 50 { out += "\n… and \(notDone.count - 50) more (see report.json).\n" }
            out += "\n"
        }
        if !report.warnings.isEmpty {
            out += "## Warnings\n\n"
            for warning in report.warnings.prefix(50) { out += "- " + escape(warning) + "\n" }
            if report.warnings.count > 50 { out += "- … and \(report.warnings.count - 50) more (see report.json)\n" }
        }
        while out.hasSuffix("\n\n") { out.removeLast() }
        return out
    }

    static func header(_ table: ReportTable) -> String {
        "| \(table.axis ?? "row") | " + table.columns.map { escape(table.heading($0)) }.joined(separator: " | ") + " |\n"
            + "|---|" + String(repeating: "---:|", count: table.columns.count) + "\n"
    }

    static func rowName(_ row: TableRow) -> String { escape(row.name) + (row.isBaseline ? " (baseline)" : "") }

    static func table(_ table: ReportTable, interval: ReportSettings.Interval) -> String {
        let styles = table.columns.indices.map { NumberStyle(column: $0, of: table) }
        var out = header(table)
        for row in table.rows {
            let cells = zip(row.cells, styles).map { cell, style in text(CellText(cell, style: style, interval: interval)) }
            out += "| \(rowName(row)) | " + cells.joined(separator: " | ") + " |\n"
        }
        let notes = incompleteNotes(table)
        if !notes.isEmpty {
            out += "\n" + notes.map { "† " + escape($0) }.joined(separator: "  \n") + "\n"
        }
        return out
    }

    static func text(_ cell: CellText) -> String {
        if cell.isEmpty { return cell.count.map { "– (\($0)†)" } ?? "–" }
        var value = cell.mean + (cell.halfWidth.map { " ± " + $0 } ?? "") + (cell.bounds.map { " [\($0.low), \($0.high)]" } ?? "")
        if cell.isBest { value = "**" + value + "**" }
        if let delta = cell.delta { value += " (Δ " + delta + cell.stars + ")" }
        if let count = cell.count { value += " " + count + "†" }
        return value
    }

    /// The interquartile mean per cell; then, with a baseline, P(better) per cell.
    static func robustTables(_ table: ReportTable) -> String {
        let styles = table.columns.indices.map { NumberStyle(column: $0, of: table) }
        var out = "IQM:\n\n" + header(table)
        for row in table.rows {
            let cells = zip(row.cells, styles).map { cell, style in estimateText(cell.interquartileMean, style.format) }
            out += "| \(rowName(row)) | " + cells.joined(separator: " | ") + " |\n"
        }
        guard table.rows.contains(where: { $0.baselineRow != nil }) else { return out }
        out += "\nP(better than the baseline):\n\n" + header(table)
        for row in table.rows {
            let cells = row.cells.map { cell in
                row.isBaseline ? "baseline" : estimateText(cell.comparison?.improvement) { fixedDecimals($0, 2) }
            }
            out += "| \(rowName(row)) | " + cells.joined(separator: " | ") + " |\n"
        }
        return out
    }

    static func seedTable(_ view: SeedView, of table: ReportTable) -> String {
        let style = NumberStyle(column: table.columns.firstIndex(of: view.column)!, of: table)
        let compared = view.rows.contains { $0.comparison?.paired != nil }
        var out = "| row | " + view.seeds.map { "seed \($0)" }.joined(separator: " | ")
        out += compared ? " | mean Δ [95 % CI] | better / equal / worse | p paired t | p Wilcoxon | p sign |\n" : " |\n"
        out += "|---|" + String(repeating: "---:|", count: view.seeds.count + (compared ? 5 : 0)) + "\n"
        for row in view.rows {
            var cells = zip(row.values, row.differences).map { value, difference -> String in
                guard let value else { return "–" }
                return style.format(value) + (difference.map { " (\(style.signed($0)))" } ?? "")
            }
            if compared {
                if let paired = PairedText(row.comparison, style: style) {
                    cells += [paired.meanDifference, paired.counts, paired.tTest, paired.wilcoxon, paired.sign]
                } else {
                    cells += row.isBaseline ? ["baseline", "", "", "", ""] : Array(repeating: "–", count: 5)
                }
            }
            out += "| \(escape(row.name))\(row.isBaseline ? " (baseline)" : "") | " + cells.joined(separator: " | ") + " |\n"
        }
        return out
    }

    static func escape(_ text: String) -> String {
        // Most text holds neither byte: no replacing pass over it.
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "|") || $0 == 0x0A }) else { return text }
        return text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
