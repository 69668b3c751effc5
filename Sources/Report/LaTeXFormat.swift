/// LaTeX: per metric, one `table` per table with a booktabs `tabular`, in the layout of ToolRL's
/// ablation tables (a row per variant, a column per split), then its interquartile means and
/// probabilities of improvement, a per-seed view per listed metric, and the marginal tables.
/// Needs `\usepackage{booktabs}`.
enum LaTeXFormat {
    static func render(_ report: SweepReport) -> String {
        var out = "% Ablation report for sweep \(report.sweep), written by `ablate report`.\n"
        out += "% Requires \\usepackage{booktabs}. \(report.stateLine).\n"
        for (index, section) in report.sections.enumerated() {
            let label = "tab:\(labelSafe(report.sweep))" + (index == 0 ? "" : "-\(labelSafe(section.main.metricName))")
            out += (index == 0 ? "" : "\n") + table(section.main, report: report, label: label)
            out += "\n" + robustTable(section.main, report: report, label: label + "-robust")
            for view in section.seedViews {
                out += "\n" + seedTable(view, of: section.main, report: report, label: label + "-seeds-" + labelSafe(view.column.description))
            }
            for marginal in section.marginals {
                out += "\n" + table(marginal, report: report, label: label + "-" + labelSafe(marginal.axis ?? ""))
            }
        }
        return out
    }

    static func begin(columns: Int) -> String {
        "\\begin{table}[t]\n\\centering\n\\small\n\\begin{tabular}{l" + String(repeating: "c", count: columns) + "}\n\\toprule\n"
    }

    static func header(_ table: ReportTable) -> String {
        escape(table.axis ?? "Variant") + " & "
            + table.columns.map { escape(capitalised(table.heading($0))) }.joined(separator: " & ") + " \\\\\n\\midrule\n"
    }

    static func rowName(_ row: TableRow) -> String { escape(row.name) + (row.isBaseline ? " (baseline)" : "") }

    static func end(caption: String, label: String) -> String {
        "\\bottomrule\n\\end{tabular}\n\\caption{\(caption)}\n\\label{\(label)}\n\\end{table}\n"
    }

    static func table(_ table: ReportTable, report: SweepReport, label: String) -> String {
        let interval = report.settings.interval
        let styles = table.columns.indices.map { NumberStyle(column: $0, of: table) }
        var out = begin(columns: table.columns.count) + header(table)
        for row in table.rows {
            let cells = zip(row.cells, styles).map { cell, style in text(CellText(cell, style: style, interval: interval)) }
            out += rowName(row) + " & " + cells.joined(separator: " & ") + " \\\\\n"
        }
        var caption = escape(table.title) + ". Mean over seeds "
            + (interval == .t ? "$\\pm$ 95\\,\\% Student-$t$ CI half-width" : "with 95\\,\\% percentile-bootstrap CI")
        if table.rows.contains(where: { $0.baselineRow != nil }) {
            let test: String
            switch report.settings.test {
            case .t: test = "paired $t$-test"
            case .wilcoxon: test = "Wilcoxon signed-rank test"
            case .sign: test = "sign test"
            }
            caption += "; in parentheses the difference to the baseline, tested with the \(test) where the rows share seeds and Welch's $t$-test otherwise"
            caption += report.settings.correction == .holm ? ", Holm--Bonferroni adjusted per column" : ", uncorrected"
            caption += " ($^{*}\\,p<0.05$, $^{**}\\,p<0.01$)"
        }
        caption += "; best per column in bold."
        let notes = incompleteNotes(table)
        if !notes.isEmpty { caption += " $^\\dagger$" + notes.map(escape).joined(separator: "; ") + "." }
        return out + end(caption: caption, label: label)
    }

    static func text(_ cell: CellText) -> String {
        if cell.isEmpty { return cell.count.map { "-- {\\scriptsize (\(escape($0))$^\\dagger$)}" } ?? "--" }
        var value = cell.mean + (cell.halfWidth.map { " \\pm " + $0 } ?? "")
        value = cell.isBest ? "$\\mathbf{" + value + "}$" : "$" + value + "$"
        if let bounds = cell.bounds { value += " {\\scriptsize $[\(bounds.low), \(bounds.high)]$}" }
        if let delta = cell.delta {
            value += " {\\scriptsize ($" + delta + (cell.stars.isEmpty ? "" : "^{\(cell.stars)}") + "$)}"
        }
        if let count = cell.count { value += " {\\scriptsize \(escape(count))$^\\dagger$}" }
        return value
    }

    /// Each cell: the IQM with its interval, and under it P(better) with its interval.
    static func robustTable(_ table: ReportTable, report: SweepReport, label: String) -> String {
        let styles = table.columns.indices.map { NumberStyle(column: $0, of: table) }
        var out = begin(columns: table.columns.count) + header(table)
        for row in table.rows {
            let cells = zip(row.cells, styles).map { cell, style -> String in
                var text = cell.interquartileMean.map { "$" + estimateText($0, style.format) + "$" } ?? "--"
                if let improvement = cell.comparison?.improvement {
                    text += " {\\scriptsize $P=" + estimateText(improvement) { fixedDecimals($0, 2) } + "$}"
                }
                return text
            }
            out += rowName(row) + " & " + cells.joined(separator: " & ") + " \\\\\n"
        }
        var caption = escape(table.title) + ". Interquartile mean over seeds with its 95\\,\\% percentile-bootstrap CI"
        if table.rows.contains(where: { $0.baselineRow != nil }) {
            caption += "; $P$: probability that a random seed of the row beats a random seed of the baseline (ties count $\\frac{1}{2}$), with its bootstrap CI"
        }
        return out + end(caption: caption + ".", label: label)
    }

    static func seedTable(_ view: SeedView, of table: ReportTable, report: SweepReport, label: String) -> String {
        let style = NumberStyle(column: table.columns.firstIndex(of: view.column)!, of: table)
        let compared = view.rows.contains { $0.comparison?.paired != nil }
        var out = begin(columns: view.seeds.count + (compared ? 5 : 0))
        out += "Variant & " + view.seeds.map { "Seed \($0)" }.joined(separator: " & ")
        out += (compared ? " & Mean $\\Delta$ & B / E / W & $p_t$ & $p_W$ & $p_{\\mathrm{sign}}$" : "") + " \\\\\n\\midrule\n"
        for row in view.rows {
            var cells = zip(row.values, row.differences).map { value, difference -> String in
                guard let value else { return "--" }
                return "$" + style.format(value) + "$" + (difference.map { " {\\scriptsize ($" + style.signed($0) + "$)}" } ?? "")
            }
            if compared {
                if let paired = PairedText(row.comparison, style: style) {
                    cells += ["$" + paired.meanDifference + "$", paired.counts, paired.tTest, paired.wilcoxon, paired.sign]
                        .map { $0.replacingOccurrences(of: "–", with: "--").replacingOccurrences(of: "<", with: "$<$") }
                } else {
                    cells += row.isBaseline ? ["baseline", "", "", "", ""] : Array(repeating: "--", count: 5)
                }
            }
            out += escape(row.name) + (row.isBaseline ? " (baseline)" : "") + " & " + cells.joined(separator: " & ") + " \\\\\n"
        }
        var caption = "Per seed: \\texttt{\(escape(view.column.description))}. Each seed's value; in parentheses the difference to the baseline at that seed"
        if compared {
            caption += ". Mean paired difference with its 95\\,\\% CI, seeds better / equal / worse, raw $p$-values of the paired $t$-test, the Wilcoxon signed-rank test and the sign test"
        }
        return out + end(caption: caption + ".", label: label)
    }

    static func capitalised(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }

    static func escape(_ text: String) -> String {
        // Plain ASCII without a special character (most row names and numbers) stays as it is.
        if text.utf8.allSatisfy({ $0 < 0x80 && !isSpecial($0) }) { return text }
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

    /// Whether `escape` replaces this ASCII character: \\ & % $ # _ { } ~ ^.
    private static func isSpecial(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "\\"), UInt8(ascii: "&"), UInt8(ascii: "%"), UInt8(ascii: "$"), UInt8(ascii: "#"),
             UInt8(ascii: "_"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "~"), UInt8(ascii: "^"): return true
        default: return false
        }
    }

    static func labelSafe(_ text: String) -> String {
        String(text.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "-" })
    }
}
