import Foundation

/// A learning-curve chart as inline SVG, drawn by hand: axes with "nice" ticks, a mean line per
/// row with a ± one-standard-deviation band over seeds, and a legend to the right of the plot.
struct SVGChart {
    static let palette = ["#4269d0", "#efb118", "#ff725c", "#6cc5b0", "#3ca951",
                          "#ff8ab7", "#a463f2", "#97bbf5", "#9c6b4e", "#9498a0"]

    let width = 720.0
    let height = 300.0
    let left = 58.0, right = 200.0, top = 30.0, bottom = 44.0

    var chart: Chart
    /// Row name → palette index, shared by every chart so a row keeps its colour.
    var colours: [String: Int]

    /// Row name → palette index for a report's charts: in order of first appearance, so a row
    /// keeps its colour from chart to chart.
    static func colours(for charts: [Chart]) -> [String: Int] {
        var colours: [String: Int] = [:]
        for chart in charts {
            for curve in chart.curves where colours[curve.row] == nil { colours[curve.row] = colours.count }
        }
        return colours
    }

    /// The chart's look: one rule per line, selectors relative to the chart. The HTML report
    /// scopes them under `svg`; a standalone file carries them in its own `<style>`.
    static let styleRules = """
        text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 11px; fill: #1d2330; }
        .chart-title { font-size: 13px; font-weight: 600; }
        .grid line { stroke: #e6e9ef; stroke-width: 1; }
        .axis line { stroke: #6b7280; stroke-width: 1; }
        .axis text { fill: #4b5563; }
        .axis-title, .note, .empty { fill: #5d6675; }
        .band { fill-opacity: 0.16; stroke: none; }
        .line { fill: none; stroke-width: 2; stroke-linejoin: round; stroke-linecap: round; }
        .legend text { font-size: 12px; }
        """

    /// The chart as an `<svg>` element: inline in the HTML report (styled by its page), or
    /// `standalone`, a file of its own with its style and a white background (report/charts/).
    func render(standalone: Bool = false) -> String {
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\" role=\"img\" aria-label=\"\(html(chart.title))\">\n"
        if standalone {
            svg += "<style>\n" + Self.styleRules + "\n</style>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
        }
        svg += "<text x=\"\(f(left))\" y=\"18\" class=\"chart-title\">\(html(chart.title))</text>\n"
        let curves = chart.curves
        guard !curves.isEmpty else {
            svg += "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(top + plotHeight / 2))\" text-anchor=\"middle\" class=\"empty\">no data yet</text>\n</svg>"
            return svg
        }
        let xs = curves.flatMap(\.steps)
        let ys = curves.flatMap { $0.low + $0.high }.filter(\.isFinite)
        var (xMin, xMax) = (xs.min() ?? 0, xs.max() ?? 1)
        var (yMin, yMax) = (ys.min() ?? 0, ys.max() ?? 1)
        if xMax <= xMin { xMin -= 1; xMax += 1 }
        if yMax <= yMin { let pad = max(abs(yMin) * 0.1, 0.5); yMin -= pad; yMax += pad }
        let xTicks = niceTicks(xMin, xMax, count: 6)
        let yTicks = niceTicks(yMin, yMax, count: 5)
        xMin = min(xMin, xTicks.values.first!); xMax = max(xMax, xTicks.values.last!)
        yMin = min(yMin, yTicks.values.first!); yMax = max(yMax, yTicks.values.last!)
        func px(_ x: Double) -> Double { left + (x - xMin) / (xMax - xMin) * plotWidth }
        func py(_ y: Double) -> Double { top + (1 - (y - yMin) / (yMax - yMin)) * plotHeight }

        // Grid, ticks and labels.
        svg += "<g class=\"grid\">"
        for y in yTicks.values { svg += "<line x1=\"\(f(left))\" x2=\"\(f(left + plotWidth))\" y1=\"\(f(py(y)))\" y2=\"\(f(py(y)))\"/>" }
        for x in xTicks.values { svg += "<line x1=\"\(f(px(x)))\" x2=\"\(f(px(x)))\" y1=\"\(f(top))\" y2=\"\(f(top + plotHeight))\"/>" }
        svg += "</g>\n<g class=\"axis\">"
        svg += "<line x1=\"\(f(left))\" x2=\"\(f(left))\" y1=\"\(f(top))\" y2=\"\(f(top + plotHeight))\"/>"
        svg += "<line x1=\"\(f(left))\" x2=\"\(f(left + plotWidth))\" y1=\"\(f(top + plotHeight))\" y2=\"\(f(top + plotHeight))\"/>"
        for y in yTicks.values {
            svg += "<line x1=\"\(f(left - 4))\" x2=\"\(f(left))\" y1=\"\(f(py(y)))\" y2=\"\(f(py(y)))\"/>"
            svg += "<text x=\"\(f(left - 7))\" y=\"\(f(py(y) + 4))\" text-anchor=\"end\">\(yTicks.label(y))</text>"
        }
        for x in xTicks.values {
            svg += "<line x1=\"\(f(px(x)))\" x2=\"\(f(px(x)))\" y1=\"\(f(top + plotHeight))\" y2=\"\(f(top + plotHeight + 4))\"/>"
            svg += "<text x=\"\(f(px(x)))\" y=\"\(f(top + plotHeight + 17))\" text-anchor=\"middle\">\(xTicks.label(x))</text>"
        }
        svg += "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(height - 6))\" text-anchor=\"middle\" class=\"axis-title\">step</text>"
        svg += "</g>\n"

        // Bands first, then lines on top.
        for curve in curves {
            let colour = Self.palette[(colours[curve.row] ?? 0) % Self.palette.count]
            guard curve.steps.count > 1 else { continue }
            let upper = zip(curve.steps, curve.high).map { "\(f(px($0))),\(f(py($1)))" }
            let lower = zip(curve.steps, curve.low).reversed().map { "\(f(px($0))),\(f(py($1)))" }
            svg += "<polygon class=\"band\" fill=\"\(colour)\" points=\"\((upper + lower).joined(separator: " "))\"/>\n"
        }
        for curve in curves {
            let colour = Self.palette[(colours[curve.row] ?? 0) % Self.palette.count]
            if curve.steps.count == 1 {
                svg += "<circle cx=\"\(f(px(curve.steps[0])))\" cy=\"\(f(py(curve.mean[0])))\" r=\"3.5\" fill=\"\(colour)\"/>\n"
            } else {
                let points = zip(curve.steps, curve.mean).map { "\(f(px($0))),\(f(py($1)))" }
                svg += "<polyline class=\"line\" stroke=\"\(colour)\" points=\"\(points.joined(separator: " "))\"/>\n"
            }
        }

        // Legend.
        var y = top + 6
        let legendX = left + plotWidth + 18
        svg += "<g class=\"legend\">"
        for curve in curves {
            let colour = Self.palette[(colours[curve.row] ?? 0) % Self.palette.count]
            svg += "<rect x=\"\(f(legendX))\" y=\"\(f(y - 6))\" width=\"14\" height=\"4\" fill=\"\(colour)\"/>"
            let name = curve.row.count > 24 ? String(curve.row.prefix(23)) + "…" : curve.row
            svg += "<text x=\"\(f(legendX + 20))\" y=\"\(f(y))\"><title>\(html(curve.row)) (\(curve.runs) runs)</title>\(html(name))</text>"
            y += 17
        }
        if chart.omittedRows > 0 {
            svg += "<text x=\"\(f(legendX))\" y=\"\(f(y + 4))\" class=\"note\">+\(chart.omittedRows) rows not shown</text>"
        }
        svg += "</g>\n</svg>"
        return svg
    }

    private func f(_ x: Double) -> String { String(format: "%.1f", x) }
}

/// Tick positions at 1, 2 or 5 × 10^k covering [low, high] with about `count` ticks.
struct Ticks {
    var values: [Double]
    var step: Double

    func label(_ x: Double) -> String {
        let decimals = max(0, -Int(floor(log10(step) + 1e-9)))
        let text = String(format: "%.\(decimals)f", x)
        return text == "-0" || text.hasPrefix("-0.") && Double(text) == 0 ? String(text.dropFirst()) : text
    }
}

func niceTicks(_ low: Double, _ high: Double, count: Int) -> Ticks {
    let raw = (high - low) / Double(max(1, count))
    let magnitude = pow(10, floor(log10(raw)))
    let fraction = raw / magnitude
    let step = (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude
    let first = floor(low / step + 1e-9) * step
    let last = ceil(high / step - 1e-9) * step
    var values: [Double] = []
    var x = first
    while x <= last + step * 1e-6 && values.count < 50 {
        values.append(abs(x) < step * 1e-9 ? 0 : x)
        x += step
    }
    return Ticks(values: values, step: step)
}

/// Escapes text for HTML and SVG content and attributes.
func html(_ text: String) -> String {
    if !text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) { return text }
    var out = ""
    out.reserveCapacity(text.count)
    for ch in text {
        switch ch {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(ch)
        }
    }
    return out
}
