import Foundation
import Sweep

/// One self-contained HTML file: inline CSS and SVG, no scripts, no external fonts or images.
enum HTMLFormat {
    static func render(_ report: SweepReport) -> String {
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<title>Ablation report: \(html(report.sweep))</title>\n<style>\(css)\(chartCSS)</style>\n</head>\n<body>\n<main>\n"
        out += "<h1>Ablation report: <code>\(html(report.sweep))</code></h1>\n"
        out += "<p class=\"method\">\(inlineCode(methodSentence(report)))</p>\n"
        out += stateBadges(report)

        let interval = report.settings.interval
        for section in report.sections {
            out += "<h2>\(html(section.main.title))</h2>\n" + table(section.main, interval: interval)
            out += "<h3>Interquartile mean" + (report.settings.baseline.isEmpty ? "" : " and probability of improvement")
                + " (\(html(section.main.metricName)))</h3>\n<p class=\"note\">\(html(robustSentence(report)))</p>\n"
                + robustTable(section.main)
            for view in section.seedViews {
                out += "<h3>Per seed: <code>\(html(view.column.description))</code></h3>\n"
                    + "<p class=\"note\">\(html(seedViewSentence(report)))</p>\n" + seedTable(view, of: section.main)
            }
            for marginal in section.marginals {
                out += "<h2>\(html(marginal.title))</h2>\n" + table(marginal, interval: interval)
            }
        }

        let colours = SVGChart.colours(for: report.charts)
        out += "<h2>Learning curves</h2>\n<p class=\"note\">Mean over seeds (done and running runs); the band is ± one standard deviation over seeds.</p>\n"
        out += "<div class=\"charts\">\n"
        for chart in report.charts {
            out += "<figure>" + SVGChart(chart: chart, colours: colours).render() + "</figure>\n"
        }
        out += "</div>\n"

        out += "<h2>Runs</h2>\n" + runTable(report)
        if !report.warnings.isEmpty {
            out += "<h2>Warnings</h2>\n<ul class=\"warnings\">"
            for warning in report.warnings.prefix(200) { out += "<li><code>\(html(warning))</code></li>" }
            if report.warnings.count > 200 { out += "<li>… and \(report.warnings.count - 200) more (see report.json)</li>" }
            out += "</ul>\n"
        }
        out += "</main>\n</body>\n</html>\n"
        return out
    }

    static func stateBadges(_ report: SweepReport) -> String {
        var out = "<p class=\"states\"><span class=\"total\">\(report.runs.count) runs</span>"
        for state in RunStatus.shownStates {
            guard let n = report.stateCounts[state] else { continue }
            out += " <span class=\"badge \(RunStatus.name(state))\">\(n) \(RunStatus.name(state))</span>"
        }
        return out + "</p>\n"
    }

    static func header(_ table: ReportTable) -> String {
        var out = "<thead><tr><th class=\"name\">\(html(table.axis ?? "row"))</th>"
        for column in table.columns { out += "<th title=\"\(html(column.description))\">\(html(table.heading(column)))</th>" }
        return out + "</tr></thead>\n"
    }

    static func rowHeader(_ name: String, isBaseline: Bool) -> String {
        "<tr\(isBaseline ? " class=\"baseline\"" : "")><th class=\"name\">\(html(name))"
            + (isBaseline ? " <span class=\"tag\">baseline</span>" : "") + "</th>"
    }

    static func table(_ table: ReportTable, interval: ReportSettings.Interval) -> String {
        let styles = table.columns.indices.map { NumberStyle(column: $0, of: table) }
        var out = "<div class=\"scroll\"><table class=\"ablation\">\n" + header(table) + "<tbody>\n"
        for row in table.rows {
            out += rowHeader(row.name, isBaseline: row.isBaseline)
            for (cell, style) in zip(row.cells, styles) {
                let text = CellText(cell, style: style, interval: interval)
                out += "<td title=\"\(html(tooltip(cell)))\">"
                if text.isEmpty {
                    out += "–"
                } else {
                    let spread = text.halfWidth.map { " ± \($0)" } ?? text.bounds.map { " [\($0.low), \($0.high)]" } ?? ""
                    let value = text.mean + (spread.isEmpty ? "" : "<span class=\"ci\">\(spread)</span>")
                    out += text.isBest ? "<strong>\(value)</strong>" : value
                    if let delta = text.delta {
                        let direction = delta.hasPrefix("-") ? "down" : "up"
                        out += "<div class=\"delta \(direction)\">Δ \(delta)<sup>\(text.stars)</sup></div>"
                    }
                }
                if let count = text.count { out += "<div class=\"incomplete\">\(count)†</div>" }
                out += "</td>"
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table></div>\n"
        let notes = incompleteNotes(table)
        if !notes.isEmpty {
            out += "<ul class=\"notes\">" + notes.map { "<li>† \(html($0))</li>" }.joined() + "</ul>\n"
        }
        return out
    }

    /// Each cell: the IQM with its interval; under it P(better) with its interval.
    static func robustTable(_ table: ReportTable) -> String {
        let styles = table.columns.indices.map { NumberStyle(column: $0, of: table) }
        var out = "<div class=\"scroll\"><table class=\"ablation\">\n" + header(table) + "<tbody>\n"
        for row in table.rows {
            out += rowHeader(row.name, isBaseline: row.isBaseline)
            for (cell, style) in zip(row.cells, styles) {
                out += "<td>" + estimateText(cell.interquartileMean, style.format)
                if let improvement = cell.comparison?.improvement {
                    out += "<div class=\"delta\">P(better) " + estimateText(improvement) { fixedDecimals($0, 2) } + "</div>"
                }
                out += "</td>"
            }
            out += "</tr>\n"
        }
        return out + "</tbody>\n</table></div>\n"
    }

    static func seedTable(_ view: SeedView, of table: ReportTable) -> String {
        let style = NumberStyle(column: table.columns.firstIndex(of: view.column)!, of: table)
        let compared = view.rows.contains { $0.comparison?.paired != nil }
        var out = "<div class=\"scroll\"><table class=\"ablation seeds\">\n<thead><tr><th class=\"name\">row</th>"
        for seed in view.seeds { out += "<th>seed \(seed)</th>" }
        if compared {
            out += "<th>mean Δ [95 % CI]</th><th>better / equal / worse</th><th>p paired t</th><th>p Wilcoxon</th><th>p sign</th>"
        }
        out += "</tr></thead>\n<tbody>\n"
        for row in view.rows {
            out += rowHeader(row.name, isBaseline: row.isBaseline)
            for (value, difference) in zip(row.values, row.differences) {
                guard let value else { out += "<td>–</td>"; continue }
                out += "<td>" + style.format(value)
                if let difference {
                    let direction = difference < 0 ? "down" : "up"
                    out += "<div class=\"delta \(direction)\">\(style.signed(difference))</div>"
                }
                out += "</td>"
            }
            if compared {
                if let paired = PairedText(row.comparison, style: style) {
                    for text in [paired.meanDifference, paired.counts, paired.tTest, paired.wilcoxon, paired.sign] {
                        out += "<td>\(html(text))</td>"
                    }
                } else {
                    out += String(repeating: "<td>\(row.isBaseline ? "" : "–")</td>", count: 5)
                }
            }
            out += "</tr>\n"
        }
        return out + "</tbody>\n</table></div>\n"
    }

    static func tooltip(_ cell: Cell) -> String {
        guard let s = cell.summary else { return "no values (\(cell.missing.description))" }
        var parts = ["n = \(s.n) of \(cell.expected)", "mean = \(s.mean)"]
        if let sd = s.standardDeviation { parts.append("sd = \(sd)") }
        if let interval = cell.interval { parts.append("95% CI [\(interval.low), \(interval.high)]") }
        if let c = cell.comparison {
            if let paired = c.paired {
                parts.append("paired over \(paired.differences.n) seeds: mean difference = \(paired.differences.mean), better / equal / worse = \(paired.better) / \(paired.equal) / \(paired.worse)")
            }
            if let welch = c.welch {
                parts.append("Welch t = \(fixedDecimals(welch.t, 3)), df = \(fixedDecimals(welch.degreesOfFreedom, 2)), p = \(pValueText(welch.pValue))")
            }
            parts.append("\(c.test.rawValue) p = \(pValueText(c.pValue)), adjusted p = \(pValueText(c.adjustedPValue))")
        }
        if cell.isIncomplete { parts.append("missing: \(cell.missing.description)") }
        return parts.joined(separator: "; ")
    }

    static func runTable(_ report: SweepReport) -> String {
        let columns = report.runColumns
        var body = "<div class=\"scroll\"><table class=\"runs\">\n<thead><tr><th>run</th><th>row</th><th>seed</th><th>state</th><th>step</th>"
        for column in columns { body += "<th>\(html(column.description))</th>" }
        body += "<th>reason</th></tr></thead>\n<tbody>\n"
        let styles = columns.map { column -> NumberStyle in
            let table = report.sections.map(\.main).first { $0.columns.contains(column) }!
            return NumberStyle(column: table.columns.firstIndex(of: column)!, of: table)
        }
        for run in report.runs {
            let step = run.status.step.map { s in run.status.totalSteps.map { "\(s)/\($0)" } ?? "\(s)" } ?? ""
            body += "<tr><td><code>\(html(String(run.id.prefix(12))))</code></td><td>\(html(run.row))</td><td>\(run.seed)</td>"
            body += "<td><span class=\"badge \(run.status.stateName)\">\(run.status.stateName)</span></td><td>\(step)</td>"
            for (value, style) in zip(run.values, styles) { body += "<td>\(value.map(style.format) ?? "")</td>" }
            body += "<td class=\"reason\">\(html(run.status.error ?? ""))</td></tr>\n"
        }
        body += "</tbody>\n</table></div>\n"
        if report.runs.count > 40 {
            return "<details><summary>\(report.runs.count) runs (click to show)</summary>\n\(body)</details>\n"
        }
        return body
    }

    /// `code` spans in the method sentence become <code>.
    static func inlineCode(_ text: String) -> String {
        let parts = html(text).components(separatedBy: "`")
        return parts.enumerated().map { $0.offset % 2 == 1 ? "<code>\($0.element)</code>" : $0.element }.joined()
    }

    /// The charts' rules (`SVGChart.styleRules`), each scoped to the page's inline `svg`s; a
    /// selector list is scoped selector by selector.
    static let chartCSS = SVGChart.styleRules.split(separator: "\n").map { rule in
        let brace = rule.firstIndex(of: "{")!
        let selectors = rule[..<brace].split(separator: ",").map { "svg " + $0.trimmingCharacters(in: .whitespaces) }
        return "    " + selectors.joined(separator: ", ") + " " + rule[brace...]
    }.joined(separator: "\n") + "\n"

    static let css = """

    :root { color-scheme: light; --ink: #1d2330; --muted: #5d6675; --rule: #1d2330; --soft: #e6e9ef; }
    * { box-sizing: border-box; }
    body { margin: 0; background: #f7f8fa; color: var(--ink);
           font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
    main { max-width: 1500px; margin: 0 auto; padding: 24px 32px 48px; background: #fff; }
    h1 { font-size: 22px; margin: 0 0 8px; }
    h2 { font-size: 17px; margin: 28px 0 10px; }
    code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.92em; }
    .method, .note { color: var(--muted); max-width: 980px; }
    .states .total { font-weight: 600; margin-right: 6px; }
    .badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; }
    .badge.done { background: #dcf3e3; color: #17603a; }
    .badge.running { background: #dde8fb; color: #1f4f9c; }
    .badge.pending { background: #eceef2; color: #4a5260; }
    .badge.failed, .badge.unreadable { background: #fbe0de; color: #9b1c1c; }
    table.ablation { border-collapse: collapse; border-top: 2px solid var(--rule); border-bottom: 2px solid var(--rule);
                     font-variant-numeric: tabular-nums; }
    h3 { font-size: 15px; margin: 20px 0 8px; }
    .scroll { overflow-x: auto; max-width: 100%; }
    table.ablation thead th { border-bottom: 1px solid var(--rule); font-weight: 600; white-space: nowrap; }
    table.ablation th, table.ablation td { padding: 5px 14px; text-align: center; vertical-align: top; }
    table.ablation th.name { text-align: left; font-weight: 500; }
    table.ablation thead th.name { font-weight: 600; }
    table.ablation tr.baseline { background: #f4f6fa; }
    .ci { color: var(--muted); }
    .tag { font-size: 11px; color: var(--muted); border: 1px solid #c9ced8; border-radius: 3px; padding: 0 4px; }
    .delta { font-size: 12px; color: var(--muted); }
    .delta.up sup, .delta.down sup { color: #b42318; font-weight: 700; }
    .incomplete { font-size: 12px; color: #9b1c1c; }
    ul.notes { color: var(--muted); font-size: 13px; padding-left: 18px; }
    .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(620px, 1fr)); gap: 16px 28px; }
    figure { margin: 0; }
    svg { width: 100%; height: auto; font-size: 11px; fill: var(--ink); }
    table.runs { border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; }
    table.runs th, table.runs td { padding: 3px 10px; border-bottom: 1px solid var(--soft); text-align: left; }
    table.runs td.reason { color: #9b1c1c; max-width: 520px; }
    details summary { cursor: pointer; color: var(--muted); margin-bottom: 8px; }
    ul.warnings { font-size: 13px; }

    """
}
