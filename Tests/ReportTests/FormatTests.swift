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
    }

    func testCSVParsesBackWithEveryStatistic() throws {
        let csv = report.render(.csv)
        let lines = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        XCTAssertEqual(lines[0], CSVFormat.header.joined(separator: ","))
        let rows = lines.dropFirst().map(parseCSVLine)
        XCTAssertEqual(rows.count, 3 * 3, "3 rows × 3 columns, no marginal table")
        XCTAssertTrue(rows.allSatisfy { $0.count == CSVFormat.header.count })
        let field = Dictionary(uniqueKeysWithValues: CSVFormat.header.enumerated().map { ($1, $0) })
        let length = try XCTUnwrap(rows.first { $0[1] == "length" && $0[2] == "eval.unseen.accuracy" })
        XCTAssertEqual(try XCTUnwrap(Double(length[field["mean"]!])), 0.30, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(Double(length[field["std"]!])), 0.01, accuracy: 1e-12)
        XCTAssertEqual(length[field["n"]!], "3")
        XCTAssertEqual(try XCTUnwrap(Double(length[field["ci_low"]!])), 0.30 - 4.302652729749462 * 0.01 / 3.0.squareRoot(), accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(Double(length[field["delta"]!])), -0.31, accuracy: 1e-12)
        // st.ttest_ind([0.30, 0.31, 0.29], [0.60, 0.62, 0.61], equal_var=False).pvalue (SciPy 1.17.1)
        XCTAssertEqual(try XCTUnwrap(Double(length[field["p_value"]!])), 2.87419409187802e-06, accuracy: 1e-12)
        XCTAssertEqual(length[field["significance"]!], "**")
        let coarse = try XCTUnwrap(rows.first { $0[1] == "co|arse_&" && $0[2] == "train.reward" })
        XCTAssertEqual(coarse[field["n"]!], "2")
        XCTAssertEqual(coarse[field["expected_n"]!], "3")
        XCTAssertEqual(coarse[field["missing"]!], "1 failed")
        let base = try XCTUnwrap(rows.first { $0[1] == "baseline" && $0[2] == "eval.unseen.accuracy" })
        XCTAssertEqual(base[field["best"]!], "1")
        XCTAssertEqual(base[field["baseline"]!], "self")
        XCTAssertEqual(base[field["delta"]!], "")
    }

    func testJSONParsesBackWithEverything() throws {
        let json = try JSONSerialization.jsonObject(with: Data(report.render(.json).utf8)) as! [String: Any]
        XCTAssertEqual(json["sweep"] as? String, "demo")
        XCTAssertEqual((json["states"] as? [String: Int])?["failed"], 1)
        let tables = try XCTUnwrap(json["tables"] as? [[String: Any]])
        XCTAssertEqual(tables.count, 1)
        let rows = try XCTUnwrap(tables[0]["rows"] as? [[String: Any]])
        XCTAssertEqual(rows.map { $0["name"] as? String }, ["baseline", "length", "co|arse_&"])
        let lengthCells = try XCTUnwrap(rows[1]["cells"] as? [[String: Any]])
        let unseen = try XCTUnwrap(lengthCells.first { $0["column"] as? String == "eval.unseen.accuracy" })
        XCTAssertEqual(try XCTUnwrap(unseen["p_value"] as? Double), 2.87419409187802e-06, accuracy: 1e-12)
        XCTAssertEqual(unseen["values"] as? [Double], [0.30, 0.31, 0.29])
        let coarseCells = try XCTUnwrap(rows[2]["cells"] as? [[String: Any]])
        XCTAssertEqual((coarseCells[0]["missing"] as? [String: Int])?["failed"], 1)
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
    }

    func testWriteAllWritesEveryFormat() throws {
        let report = try ReportWriter.writeAll(sweepDirectory: fixture.sweepDirectory, storeDirectory: fixture.store)
        XCTAssertEqual(report.runs.count, 9)
        for format in ReportFormat.allCases {
            let url = fixture.sweepDirectory.appendingPathComponent("report").appendingPathComponent(format.fileName)
            XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), report.render(format), format.rawValue)
        }
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
