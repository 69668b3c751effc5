/// LaTeX: one `table` per table with a booktabs `tabular`, in the layout of ToolRL's ablation
/// tables (a row per variant, a column per split). Needs `\usepackage{booktabs}`.
enum LaTeXFormat {
    static func render(_ report: SweepReport) -> String {
        var out = "% Ablation report for sweep \(report.sweep), written by `ablate report`.\n"
        out += "% Requires \\usepackage{booktabs}. \(report.stateLine).\n"
        out += table(report.main, report: report, label: "tab:\(labelSafe(report.sweep))")
        for marginal in report.marginals {
            out += "\n" + table(marginal, report: report, label: "tab:\(labelSafe(report.sweep))-\(labelSafe(marginal.axis ?? ""))")
        }
        return out
    }

    static func table(_ table: ReportTable, report: SweepReport, label: String) -> String {
        let styles = table.columns.indices.map { NumberStyle(column: $0, of: table) }
        var out = "\\begin{table}[t]\n\\centering\n\\small\n"
        out += "\\begin{tabular}{l" + String(repeating: "c", count: table.columns.count) + "}\n\\toprule\n"
        out += escape(table.axis ?? "Variant") + " & "
            + table.columns.map { escape(capitalised($0.heading)) }.joined(separator: " & ") + " \\\\\n\\midrule\n"
        for row in table.rows {
            let cells = zip(row.cells, styles).map { cell, style in text(CellText(cell, style: style)) }
            out += escape(row.name) + (row.isBaseline ? " (baseline)" : "") + " & " + cells.joined(separator: " & ") + " \\\\\n"
        }
        out += "\\bottomrule\n\\end{tabular}\n"
        var caption = escape(table.title) + ". Mean $\\pm$ 95\\,\\% CI half-width over seeds"
        if table.rows.contains(where: { $0.baselineRow != nil }) {
            caption += "; in parentheses the difference to the baseline with Welch's $t$-test ($^{*}\\,p<0.05$, $^{**}\\,p<0.01$)"
        }
        caption += "; best per column in bold."
        let notes = incompleteNotes(table)
        if !notes.isEmpty { caption += " $^\\dagger$" + notes.map(escape).joined(separator: "; ") + "." }
        out += "\\caption{\(caption)}\n\\label{\(label)}\n\\end{table}\n"
        return out
    }

    static func text(_ cell: CellText) -> String {
        if cell.isEmpty { return cell.count.map { "-- {\\scriptsize (\(escape($0))$^\\dagger$)}" } ?? "--" }
        var value = cell.mean + (cell.halfWidth.map { " \\pm " + $0 } ?? "")
        value = cell.isBest ? "$\\mathbf{" + value + "}$" : "$" + value + "$"
        if let delta = cell.delta {
            value += " {\\scriptsize ($" + delta + (cell.stars.isEmpty ? "" : "^{\(cell.stars)}") + "$)}"
        }
        if let count = cell.count { value += " {\\scriptsize \(escape(count))$^\\dagger$}" }
        return value
    }

    static func capitalised(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }

    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "\\": out += "\\textbackslash{}"
            case "&", "%", "$", "#", "_", "{", "}": out += "\\" + String(ch)
            case "~": out += "\\textasciitilde{}"
            case "^": out += "\\textasciicircum{}"
            case "±": out += "$\\pm$"
            case "–": out += "--"
            default: out.append(ch)
            }
        }
        return out
    }

    static func labelSafe(_ text: String) -> String {
        String(text.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "-" })
    }
}
