/// GitHub-flavoured Markdown: the tables, notes on incomplete cells, runs not done, warnings.
enum MarkdownFormat {
    static func render(_ report: SweepReport) -> String {
        var out = "# Ablation report: \(report.sweep)\n\n"
        out += methodSentence(report) + "\n\n"
        out += report.stateLine + ".\n\n"
        out += "## " + report.main.title + "\n\n" + table(report.main)
        for marginal in report.marginals {
            out += "\n## " + marginal.title + "\n\n" + table(marginal)
        }
        let notDone = runsNotDone(report)
        if !notDone.isEmpty {
            out += "\n## Runs not done\n\n| run | row | seed | state | step | reason |\n|---|---|---|---|---|---|\n"
            for run in notDone.prefix(50) {
                let step = run.status.step.map { s in run.status.totalSteps.map { "\(s)/\($0)" } ?? "\(s)" } ?? ""
                out += "| `\(run.id.prefix(12))` | \(escape(run.row)) | \(run.seed) | \(run.status.stateName) | \(step) | \(escape(run.status.error ?? "")) |\n"
            }
            if notDone.count > 50 { out += "\n… and \(notDone.count - 50) more (see report.json).\n" }
        }
        if !report.warnings.isEmpty {
            out += "\n## Warnings\n\n"
            for warning in report.warnings.prefix(50) { out += "- " + escape(warning) + "\n" }
            if report.warnings.count > 50 { out += "- … and \(report.warnings.count - 50) more (see report.json)\n" }
        }
        return out
    }

    static func table(_ table: ReportTable) -> String {
        let styles = table.columns.indices.map { NumberStyle(column: $0, of: table) }
        var out = "| \(table.axis ?? "row") | " + table.columns.map(\.heading).joined(separator: " | ") + " |\n"
        out += "|---|" + String(repeating: "---:|", count: table.columns.count) + "\n"
        for row in table.rows {
            let name = escape(row.name) + (row.isBaseline ? " (baseline)" : "")
            let cells = zip(row.cells, styles).map { cell, style in text(CellText(cell, style: style)) }
            out += "| \(name) | " + cells.joined(separator: " | ") + " |\n"
        }
        let notes = incompleteNotes(table)
        if !notes.isEmpty {
            out += "\n" + notes.map { "† " + escape($0) }.joined(separator: "  \n") + "\n"
        }
        return out
    }

    static func text(_ cell: CellText) -> String {
        if cell.isEmpty { return cell.count.map { "– (\($0)†)" } ?? "–" }
        var value = cell.mean + (cell.halfWidth.map { " ± " + $0 } ?? "")
        if cell.isBest { value = "**" + value + "**" }
        if let delta = cell.delta { value += " (Δ " + delta + cell.stars + ")" }
        if let count = cell.count { value += " " + count + "†" }
        return value
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
