import TestSupport
import XCTest
@testable import Basics
@testable import Report

/// Each format on one small ledger: baseline (3 seeds), length (3 seeds, clearly worse),
/// coarse (2 done + 1 failed).
final class FormatTests: XCTestCase {
    var fixture: LedgerFixture!
    var report: SweepReport!

    override func setUpWithError() throws {
        fixture = try LedgerFixture()
        for (seed, x) in [0.60, 0.62, 0.61].enumerated() {
            try fixture.addRun(labels: [("variant", "baseline")], seed: seed, final: ["unseen": x, "overall": x + 0.1], rewards: [1, 3])
        }
        for (seed, x) in [0.30, 0.31, 0.29].enumerated() {
            try fixture.addRun(labels: [("variant", "length")], seed: seed, final: ["unseen": x, "overall": x + 0.5], rewards: [1, 2])
        }
        for (seed, x) in [0.50, 0.55].enumerated() {
            try fixture.addRun(labels: [("variant", "co|arse_&")], seed: seed, final: ["unseen": x, "overall": x], rewards: [1, 2.5])
        }
        try fixture.addRun(labels: [("variant", "co|arse_&")], seed: 2, state: "failed", error: "loss is NaN")
        try fixture.writePlan(axes: [], baseline: ["variant": "baseline"])
        report = try fixture.report()
    }

    func testMarkdownMarksBestDeltasAndMissingSeeds() {
        let md = report.render(.md)
        XCTAssertTrue(md.contains("| row | overall | unseen | train reward |"), md)
        // unseen: baseline 0.610 ± t(0.975, 2)·0.01/√3 = 0.610 ± 0.025, best, in bold.
        XCTAssertTrue(md.contains("| baseline (baseline) | 0.710 ± 0.025 | **0.610 ± 0.025** | **3.000 ± 0.000** |"), md)
        // length: overall is best (0.80); unseen delta −0.310, p ≈ 2.9e-6 → **.
        XCTAssertTrue(md.contains("| length | **0.800 ± 0.025** (Δ +0.090**) | 0.300 ± 0.025 (Δ -0.310**) |"), md)
        XCTAssertTrue(md.contains("co\\|arse_& | 0.525 ± 0.318 (Δ -0.185) n=2/3† |"), md)
        XCTAssertTrue(md.contains("† co\\|arse_&: 2 of 3 seeds (1 failed) in all columns"), md)
        XCTAssertTrue(md.contains("| failed |") && md.contains("loss is NaN"), md)
        // The IQM table, P(better) and the per-seed view of the headline with the paired summary
        // (SciPy: ttest_rel p = 0.000347, wilcoxon p = 0.25, binomtest(0, 3) = 0.25).
        XCTAssertTrue(md.contains("| length | 0.800 [0.790, 0.810] | 0.300 [0.290, 0.310] | 2.000 [2.000, 2.000] |"), md)
        XCTAssertTrue(md.contains("| length | 1.00 [1.00, 1.00] | 0.00 [0.00, 0.00] | 0.00 [0.00, 0.00] |"), md)
        XCTAssertTrue(md.contains("### Per seed: `eval.unseen.accuracy`"), md)
        XCTAssertTrue(md.contains("| length | 0.300 (-0.300) | 0.310 (-0.310) | 0.290 (-0.320) | -0.310 [-0.335, -0.285] | 0 / 0 / 3 | <0.001 | 0.250 | 0.250 |"), md)
        XCTAssertTrue(md.contains("| co\\|arse_& | 0.500 (-0.100) | 0.550 (-0.070) | – |"), md)
    }

    func testCSVParsesBackWithEveryStatistic() throws {
        let csv = report.render(.csv)
        let lines = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        XCTAssertEqual(lines[0], CSVFormat.header.joined(separator: ","))
        let rows = lines.dropFirst().map(parseCSVLine)
        XCTAssertTrue(rows.allSatisfy { $0.count == CSVFormat.header.count })
        let field = Dictionary(uniqueKeysWithValues: CSVFormat.header.enumerated().map { ($1, $0) })
        XCTAssertEqual(rows.filter { $0[field["table"]!] == "main" }.count, 3 * 3, "3 rows × 3 columns, no marginal table")
        XCTAssertEqual(rows.filter { $0[field["table"]!] == "seeds" }.count, 3 + 3 + 2, "one line per done seed of the headline")
        let length = try XCTUnwrap(rows.first { $0[1] == "main" && $0[2] == "length" && $0[3] == "eval.unseen.accuracy" })
        func value(_ row: [String], _ name: String) throws -> Double { try XCTUnwrap(Double(row[field[name]!]), name) }
        XCTAssertEqual(length[field["metric"]!], "accuracy")
        XCTAssertEqual(try value(length, "mean"), 0.30, accuracy: 1e-12)
        XCTAssertEqual(try value(length, "std"), 0.01, accuracy: 1e-12)
        XCTAssertEqual(length[field["n"]!], "3")
        XCTAssertEqual(try value(length, "ci_low"), 0.30 - 4.302652729749462 * 0.01 / 3.0.squareRoot(), accuracy: 1e-9)
        XCTAssertEqual(length[field["interval"]!], "t")
        XCTAssertEqual(try value(length, "delta"), -0.31, accuracy: 1e-12)
        // SciPy 1.17.1: ttest_rel([0.30, 0.31, 0.29], [0.60, 0.62, 0.61]).pvalue; Welch's
        // ttest_ind(..., equal_var=False).pvalue; wilcoxon(...).pvalue; binomtest(0, 3).pvalue.
        XCTAssertEqual(length[field["test"]!], "paired-t")
        XCTAssertEqual(try value(length, "p_value"), 0.00034668054430648675, accuracy: 1e-12)
        XCTAssertEqual(try value(length, "paired_t_p"), 0.00034668054430648675, accuracy: 1e-12)
        XCTAssertEqual(try value(length, "welch_p"), 2.87419409187802e-06, accuracy: 1e-12)
        XCTAssertEqual(try value(length, "wilcoxon_p"), 0.25, accuracy: 1e-12)
        XCTAssertEqual(length[field["wilcoxon_method"]!], "exact")
        XCTAssertEqual(try value(length, "sign_p"), 0.25, accuracy: 1e-12)
        XCTAssertEqual(length[field["significance"]!], "**")
        XCTAssertEqual([length[field["better"]!], length[field["equal"]!], length[field["worse"]!]], ["0", "0", "3"])
        XCTAssertEqual(try value(length, "improvement"), 0)
        XCTAssertEqual(try value(length, "iqm"), 0.30, accuracy: 1e-12)
        // Holm over the column's two comparisons (length, co|arse_&): the smaller p doubles.
        let coarseUnseen = try XCTUnwrap(rows.first { $0[1] == "main" && $0[2] == "co|arse_&" && $0[3] == "eval.unseen.accuracy" })
        let (lengthP, coarseP) = (try value(length, "p_value"), try value(coarseUnseen, "p_value"))
        XCTAssertEqual(try value(length, "p_adjusted"), 2 * lengthP, accuracy: 1e-15)
        XCTAssertEqual(try value(coarseUnseen, "p_adjusted"), max(2 * lengthP, coarseP), accuracy: 1e-15)
        XCTAssertEqual(coarseUnseen[field["paired_n"]!], "2", "the failed seed has no pair")
        let coarse = try XCTUnwrap(rows.first { $0[1] == "main" && $0[2] == "co|arse_&" && $0[3] == "train.reward" })
        XCTAssertEqual(coarse[field["n"]!], "2")
        XCTAssertEqual(coarse[field["expected_n"]!], "3")
        XCTAssertEqual(coarse[field["missing"]!], "1 failed")
        let base = try XCTUnwrap(rows.first { $0[1] == "main" && $0[2] == "baseline" && $0[3] == "eval.unseen.accuracy" })
        XCTAssertEqual(base[field["best"]!], "1")
        XCTAssertEqual(base[field["baseline"]!], "self")
        XCTAssertEqual(base[field["delta"]!], "")
        let seed = try XCTUnwrap(rows.first { $0[1] == "seeds" && $0[2] == "length" && $0[4] == "2" })
        XCTAssertEqual(try value(seed, "mean"), 0.29, accuracy: 1e-15)
        XCTAssertEqual(try value(seed, "delta"), 0.29 - 0.61, accuracy: 1e-15)
    }

    /// RFC 4180: a field holding a comma, a quote, CR or LF is quoted, with its quotes doubled;
    /// "\r\n" is one Character in Swift, so the check is on bytes.
    func testCSVQuotesEveryFieldThatNeedsIt() {
        XCTAssertEqual(CSVFormat.quote("plain"), "plain")
        XCTAssertEqual(CSVFormat.quote("a,b"), "\"a,b\"")
        XCTAssertEqual(CSVFormat.quote("say \"hi\""), "\"say \"\"hi\"\"\"")
        XCTAssertEqual(CSVFormat.quote("\r\n"), "\"\r\n\"")
        XCTAssertEqual(CSVFormat.quote("line\r\nbreak"), "\"line\r\nbreak\"")
        XCTAssertEqual(CSVFormat.quote("\"\u{301}"), "\"\"\"\u{301}\"", "a quote with a combining accent is still a quote byte")
    }

    func testJSONParsesBackWithEverything() throws {
        let json = try JSONSerialization.jsonObject(with: Data(report.render(.json).utf8)) as! [String: Any]
        XCTAssertEqual(json["sweep"] as? String, "demo")
        XCTAssertEqual((json["states"] as? [String: Int])?["failed"], 1)
        let settings = try XCTUnwrap(json["settings"] as? [String: Any])
        XCTAssertEqual(settings["metrics"] as? [String], ["eval.unseen.accuracy"])
        XCTAssertEqual(settings["interval"] as? String, "t")
        XCTAssertEqual(settings["correction"] as? String, "holm")
        XCTAssertEqual(settings["resamples"] as? Int, 2000)
        let tables = try XCTUnwrap(json["tables"] as? [[String: Any]])
        XCTAssertEqual(tables.count, 1)
        let rows = try XCTUnwrap(tables[0]["rows"] as? [[String: Any]])
        XCTAssertEqual(rows.map { $0["name"] as? String }, ["baseline", "length", "co|arse_&"])
        let lengthCells = try XCTUnwrap(rows[1]["cells"] as? [[String: Any]])
        let unseen = try XCTUnwrap(lengthCells.first { $0["column"] as? String == "eval.unseen.accuracy" })
        let comparison = try XCTUnwrap(unseen["comparison"] as? [String: Any])
        XCTAssertEqual(comparison["test"] as? String, "paired-t")
        XCTAssertEqual(try XCTUnwrap(comparison["p_value"] as? Double), 0.00034668054430648675, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap((comparison["welch"] as? [String: Any])?["p_value"] as? Double), 2.87419409187802e-06, accuracy: 1e-12)
        let paired = try XCTUnwrap(comparison["paired"] as? [String: Any])
        XCTAssertEqual(paired["worse"] as? Int, 3)
        XCTAssertEqual((paired["wilcoxon"] as? [String: Any])?["method"] as? String, "exact")
        XCTAssertEqual((comparison["improvement"] as? [String: Any])?["value"] as? Double, 0)
        XCTAssertNotNil((unseen["iqm"] as? [String: Any])?["ci_low"] as? Double)
        XCTAssertEqual(unseen["values"] as? [Double], [0.30, 0.31, 0.29])
        XCTAssertEqual(unseen["seeds"] as? [Int], [0, 1, 2])
        let coarseCells = try XCTUnwrap(rows[2]["cells"] as? [[String: Any]])
        XCTAssertEqual((coarseCells[0]["missing"] as? [String: Int])?["failed"], 1)
        let views = try XCTUnwrap(json["seed_views"] as? [[String: Any]])
        XCTAssertEqual(views.map { $0["column"] as? String }, ["eval.unseen.accuracy"])
        let viewRows = try XCTUnwrap(views[0]["rows"] as? [[String: Any]])
        XCTAssertEqual((viewRows[2]["values"] as? [Any])?.count, 3)
        XCTAssertTrue((viewRows[2]["values"] as? [Any])?[2] is NSNull, "the failed seed")
        let runs = try XCTUnwrap(json["runs"] as? [[String: Any]])
        XCTAssertEqual(runs.count, 9)
        XCTAssertEqual(runs[8]["state"] as? String, "failed")
        let failedValues = try XCTUnwrap(runs[8]["values"] as? [String: Any])
        XCTAssertEqual(failedValues.count, 3)
        XCTAssertTrue(failedValues.values.allSatisfy { $0 is NSNull }, "a failed run has no reduced values")
        let charts = try XCTUnwrap(json["charts"] as? [[String: Any]])
        XCTAssertEqual(charts.compactMap { $0["metric"] as? String },
                       ["train.reward", "train.rewards/format/mean", "train.rewards/correctness/mean", "eval.unseen.accuracy"])
    }

    func testLaTeXIsBooktabsWithBoldBestAndStars() {
        let tex = report.render(.latex)
        XCTAssertTrue(tex.contains("\\begin{tabular}{lccc}"), tex)
        XCTAssertTrue(tex.contains("\\toprule") && tex.contains("\\midrule") && tex.contains("\\bottomrule"))
        XCTAssertTrue(tex.contains("baseline (baseline) & $0.710 \\pm 0.025$ & $\\mathbf{0.610 \\pm 0.025}$"), tex)
        XCTAssertTrue(tex.contains("$0.300 \\pm 0.025$ {\\scriptsize ($-0.310^{**}$)}"), tex)
        XCTAssertTrue(tex.contains("co|arse\\_\\& &"), "special characters escaped")
        XCTAssertTrue(tex.contains("$^\\dagger$"))
        XCTAssertEqual(tex.components(separatedBy: "\\begin{").count, tex.components(separatedBy: "\\end{").count)
        XCTAssertEqual(tex.components(separatedBy: "\\begin{table}").count - 1, 3, "main, IQM and P(better), per-seed view")
        XCTAssertTrue(tex.contains("$0.300 [0.290, 0.310]$ {\\scriptsize $P=0.00 [0.00, 0.00]$}"), tex)
        XCTAssertTrue(tex.contains("length & $0.300$ {\\scriptsize ($-0.300$)}"), tex)
    }

    func testHTMLIsSelfContained() {
        let page = report.render(.html)
        XCTAssertTrue(page.hasPrefix("<!DOCTYPE html>"))
        XCTAssertFalse(page.lowercased().contains("<script"))
        XCTAssertFalse(page.contains("<link"))
        XCTAssertFalse(page.contains("@import") || page.contains("url("))
        let external = page.components(separatedBy: "http").dropFirst().filter { !$0.hasPrefix("://www.w3.org/2000/svg") }
        XCTAssertTrue(external.isEmpty, "only the SVG namespace may name a URL")
        XCTAssertEqual(page.components(separatedBy: "<svg").count - 1, 4, "total reward, two components, eval accuracy")
        XCTAssertTrue(page.contains("<strong>0.610<span class=\"ci\"> ± 0.025</span></strong>"))
        XCTAssertTrue(page.contains("co|arse_&amp;"))
        XCTAssertTrue(page.contains("class=\"badge failed\""))
        XCTAssertTrue(page.contains("loss is NaN"))
        XCTAssertTrue(page.contains("<polyline class=\"line\""))
        XCTAssertTrue(page.contains("<polygon class=\"band\""))
        XCTAssertFalse(page.contains("text-transform"), "headings keep metric names as written")
        XCTAssertTrue(page.contains("<div class=\"scroll\"><table class=\"ablation\">"), "wide tables scroll in their box")
        XCTAssertTrue(page.contains("<h3>Per seed: <code>eval.unseen.accuracy</code></h3>"))
        XCTAssertTrue(page.contains("<div class=\"delta\">P(better) 0.00 [0.00, 0.00]</div>"))
    }

    func testWriteAllWritesEveryFormat() throws {
        let report = try ReportWriter.writeAll(sweepDirectory: fixture.sweepDirectory, storeDirectory: fixture.store)
        XCTAssertEqual(report.runs.count, 9)
        for format in ReportFormat.allCases {
            let url = fixture.sweepDirectory.appendingPathComponent("report").appendingPathComponent(format.fileName)
            XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), report.render(format), format.rawValue)
        }
    }

    /// The HTML report comes with its learning curves as standalone SVG files: one per chart, in
    /// order, each with its own style and background and the page's drawing; stale files go.
    func testChartsAreWrittenAsStandaloneFiles() throws {
        let directory = fixture.sweepDirectory.appendingPathComponent("standalone")
        let charts = directory.appendingPathComponent("charts")
        try FileManager.default.createDirectory(at: charts, withIntermediateDirectories: true)
        try Data("old".utf8).write(to: charts.appendingPathComponent("09-gone.svg"))
        try ReportWriter.write(report, formats: [.md], to: directory)
        XCTAssertTrue(FileManager.default.fileExists(atPath: charts.appendingPathComponent("09-gone.svg").path),
                      "without the HTML report the charts are left alone")
        let written = try ReportWriter.write(report, formats: [.html], to: directory).map(\.lastPathComponent)
        let names = try FileManager.default.contentsOfDirectory(atPath: charts.path).sorted()
        XCTAssertEqual(names, ["01-training-reward-total.svg", "02-reward-component-format.svg",
                               "03-reward-component-correctness.svg", "04-evaluation-eval-unseen-accuracy.svg"])
        XCTAssertEqual(written, ["report.html"] + names)
        let page = report.render(.html)
        for name in names {
            let text = try String(contentsOf: charts.appendingPathComponent(name), encoding: .utf8)
            XCTAssertTrue(text.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""), name)
            XCTAssertTrue(text.hasSuffix("</svg>\n"), name)
            XCTAssertTrue(text.contains("<style>\n") && text.contains(".line { fill: none;"), name)
            XCTAssertTrue(text.contains("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"), name)
            // Past the style, the drawing is the page's.
            let drawing = text.components(separatedBy: "fill=\"#ffffff\"/>\n")[1].dropLast()
            XCTAssertTrue(page.contains(drawing), name)
        }
        XCTAssertTrue(page.contains("svg .axis-title, svg .note, svg .empty { fill: #5d6675; }"), "the page scopes the chart rules")
        XCTAssertEqual(ReportWriter.slug("Evaluation: eval.seen.accuracy"), "evaluation-eval-seen-accuracy")
    }

    func testNiceTicks() {
        XCTAssertEqual(niceTicks(0, 40, count: 6).values, [0, 10, 20, 30, 40])
        XCTAssertEqual(niceTicks(0.13, 0.56, count: 5).values.map { ($0 * 10).rounded() / 10 }, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
        XCTAssertEqual(niceTicks(-1.7, 3.1, count: 5).values, [-2, -1, 0, 1, 2, 3, 4])
    }
}

/// RFC 4180 fields of one line (quotes, doubled quotes).
func parseCSVLine(_ line: String) -> [String] {
    var fields: [String] = []
    var current = ""
    var quoted = false
    var iterator = Array(line).makeIterator()
    var pending: Character? = nil
    while let ch = pending ?? iterator.next() {
        pending = nil
        if quoted {
            if ch == "\"" {
                if let next = iterator.next() {
                    if next == "\"" { current.append("\"") } else { quoted = false; pending = next }
                } else { quoted = false }
            } else { current.append(ch) }
        } else if ch == "\"" { quoted = true }
        else if ch == "," { fields.append(current); current = "" }
        else { current.append(ch) }
    }
    fields.append(current)
    return fields
}

final class NumberFormattingTests: XCTestCase {
    /// The hand-written fixed-point formatter agrees with printf's %.Nf.
    func testFixedDecimalsMatchesPrintf() {
        var state: UInt64 = 99
        for i in 0..<3000 {
            state = SplitMix64.mix(state)
            let x = (Double(state >> 11) / Double(1 << 53) - 0.5) * pow(10, Double(i % 6) - 2)
            for decimals in [1, 2, 3] {
                var expected = String(format: "%.\(decimals)f", x)
                if expected.hasPrefix("-"), Double(expected) == 0 { expected.removeFirst() }
                XCTAssertEqual(fixedDecimals(x, decimals), expected, "\(x)")
            }
        }
        XCTAssertEqual(fixedDecimals(0.0625, 3), "0.062")
        XCTAssertEqual(fixedDecimals(-0.0004, 3), "0.000")
        XCTAssertEqual(fixedDecimals(2.5, 0), "2")
        XCTAssertEqual(fixedDecimals(.nan, 3), "NaN")
    }
}

