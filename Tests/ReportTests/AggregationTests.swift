import TestSupport
import XCTest
@testable import Report

final class AggregationTests: XCTestCase {
    /// baseline: 5 done seeds; coarse: 4 done + 1 failed. Expected delta and Welch values are
    /// SciPy's (st.ttest_ind(coarse, baseline, equal_var=False): t = −3.0000000000000027,
    /// p = 0.02284392750862955, df = 6.25), computed on this machine.
    func testBaselineDeltaWelchAndFailedSeedMarking() throws {
        let fixture = try LedgerFixture()
        for (seed, x) in [0.52, 0.55, 0.49, 0.58, 0.51].enumerated() {
            try fixture.addRun(labels: [("variant", "baseline")], seed: seed, final: ["unseen": x, "seen": 0.9], rewards: [1, 2])
        }
        for (seed, x) in [0.44, 0.47, 0.41, 0.50].enumerated() {
            try fixture.addRun(labels: [("variant", "coarse")], seed: seed, final: ["unseen": x, "seen": 0.95], rewards: [1, 1])
        }
        try fixture.addRun(labels: [("variant", "coarse")], seed: 4, state: "failed", final: ["unseen": 0.99],
                           error: "loss is NaN at step 3")
        try fixture.writePlan(axes: [], baseline: ["variant": "baseline"])
        let report = try fixture.report()
        let table = report.main
        XCTAssertEqual(table.columns.map(\.description), ["eval.seen.accuracy", "eval.unseen.accuracy", "train.reward"])

        let base = try table.cell("baseline", "eval.unseen.accuracy")
        XCTAssertTrue(try table.row("baseline").isBaseline)
        XCTAssertNil(base.delta)
        XCTAssertEqual(base.summary?.n, 5)
        XCTAssertFalse(base.isIncomplete)
        XCTAssertTrue(base.isBest)

        let coarse = try table.cell("coarse", "eval.unseen.accuracy")
        XCTAssertEqual(coarse.summary?.n, 4, "the failed seed's 0.99 must not be averaged in")
        XCTAssertEqual(coarse.expected, 5)
        XCTAssertEqual(coarse.missing.failed, 1)
        XCTAssertTrue(coarse.isIncomplete)
        XCTAssertEqual(try XCTUnwrap(coarse.summary?.mean), 0.455, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(coarse.delta), -0.075, accuracy: 1e-12)
        let comparison = try XCTUnwrap(coarse.comparison)
        let test = try XCTUnwrap(comparison.welch)
        XCTAssertEqual(test.t, -3.0000000000000027, accuracy: 1e-9)
        XCTAssertEqual(test.degreesOfFreedom, 6.249999999999999, accuracy: 1e-9)
        XCTAssertEqual(test.pValue, 0.02284392750862955, accuracy: 1e-12)
        XCTAssertFalse(coarse.isBest)
        // Both rows planned seeds 0–4, so the stars come from the paired t-test over the 4 seeds
        // done in both: every difference is −0.08 up to rounding, so p is tiny (SciPy agrees:
        // ttest_rel gives p = 5.0e-47 on these values).
        XCTAssertEqual(comparison.test, .pairedT)
        let paired = try XCTUnwrap(comparison.paired)
        XCTAssertEqual(paired.differences.n, 4)
        XCTAssertEqual(paired.differences.mean, -0.08, accuracy: 1e-12)
        XCTAssertEqual([paired.better, paired.equal, paired.worse], [0, 0, 4])
        XCTAssertLessThan(try XCTUnwrap(comparison.pValue), 1e-6)
        XCTAssertEqual(comparison.adjustedPValue, comparison.pValue, "one comparison per column: Holm changes nothing")
        XCTAssertEqual(try XCTUnwrap(comparison.improvement?.value), 0.05, accuracy: 1e-15, "1 of 4 × 5 pairs: 0.50 > 0.49")

        // Seen: coarse is better by exactly 0.05 on every seed: Welch is undefined (no variance on
        // either side), the paired t-test is degenerate (t = +inf, p = 0, as SciPy).
        let seen = try table.cell("coarse", "eval.seen.accuracy")
        XCTAssertTrue(seen.isBest)
        XCTAssertEqual(try XCTUnwrap(seen.delta), 0.05, accuracy: 1e-12)
        XCTAssertNil(seen.comparison?.welch)
        XCTAssertEqual(seen.comparison?.paired?.t?.t, .infinity)
        XCTAssertEqual(seen.comparison?.pValue, 0)

        XCTAssertEqual(incompleteNotes(table), ["coarse: 4 of 5 seeds (1 failed) in all columns"])
        XCTAssertEqual(report.stateCounts[.failed], 1)
        XCTAssertEqual(report.runs.last?.status.error, "loss is NaN at step 3")
        XCTAssertTrue(report.marginals.isEmpty, "one axis needs no marginal table")
    }

    /// `report.interval`, `report.test` and `report.correction` choose what the cells show; a
    /// row with other seeds than its baseline gets Welch's test whatever `test` says.
    func testSettingsChooseIntervalTestAndCorrection() throws {
        let fixture = try LedgerFixture()
        let rows: [(String, [Int], [Double])] = [
            ("baseline", [0, 1, 2, 3, 4], [0.50, 0.40, 0.62, 0.58, 0.44]),
            ("better", [0, 1, 2, 3, 4], [0.56, 0.40, 0.70, 0.66, 0.46]),
            ("other seeds", [5, 6, 7, 8, 9], [0.30, 0.36, 0.28, 0.34, 0.40]),
        ]
        for (name, seeds, values) in rows {
            for (seed, x) in zip(seeds, values) {
                try fixture.addRun(labels: [("variant", name)], seed: seed, final: ["unseen": x])
            }
        }
        try fixture.writePlan(axes: [], baseline: ["variant": "baseline"],
                              settings: "\"interval\": \"bootstrap\", \"test\": \"sign\", \"correction\": \"none\", \"resamples\": 3000")
        let report = try fixture.report()
        XCTAssertEqual(report.settings.bootstrap.resamples, 3000)

        let better = try report.main.cell("better", "eval.unseen.accuracy")
        let expected = try XCTUnwrap(Bootstrap(resamples: 3000).interval(.mean, strata: [[0.56, 0.40, 0.70, 0.66, 0.46]]))
        XCTAssertEqual(better.interval, expected, "the bootstrap interval of the mean")
        XCTAssertNotEqual(better.interval?.low, better.summary?.ciLow, "not the Student-t one")
        let comparison = try XCTUnwrap(better.comparison)
        XCTAssertEqual(comparison.test, .sign)
        // Differences +0.06, 0, +0.08, +0.08, +0.02: 4 better, 1 equal; binomtest(4, 4).pvalue = 0.125.
        XCTAssertEqual(try XCTUnwrap(comparison.pValue), 0.125, accuracy: 1e-12)
        XCTAssertEqual(comparison.adjustedPValue, comparison.pValue, "correction: none")
        XCTAssertEqual(comparison.paired.map { [$0.better, $0.equal, $0.worse] }, [4, 1, 0])

        let unpaired = try XCTUnwrap(report.main.cell("other seeds", "eval.unseen.accuracy").comparison)
        XCTAssertNil(unpaired.paired, "seeds 5–9 against seeds 0–4: nothing to pair")
        XCTAssertEqual(unpaired.test, .welch)
        XCTAssertEqual(unpaired.pValue, unpaired.welch?.pValue)

        let md = report.render(.md)
        XCTAssertTrue(md.contains("with its 95 % percentile-bootstrap interval [low, high] (3000 resamples of the seeds)"), md)
        XCTAssertTrue(md.contains("seed by seed with the sign test, others with Welch's t-test (no correction for multiple comparisons)"), md)
        let style = NumberStyle(column: 0, of: report.main)
        XCTAssertTrue(md.contains("| better | **0.556 [\(style.format(expected.low)), \(style.format(expected.high))]** (Δ +0.048) |"), md)
    }

    func testReduceModesOverEvaluationPointsAndTrainingSteps() throws {
        for (mode, expectedUnseen, expectedReward) in [("best", 0.7, 4.0), ("last", 0.6, 2.0), ("mean-last-k", 0.65, 3.0)] {
            let fixture = try LedgerFixture()
            try fixture.addRun(labels: [("variant", "a")], seed: 0, final: ["unseen": 0.6],
                               evalLines: [(10, ["unseen": 0.3]), (20, ["unseen": 0.7])], rewards: [1, 4, 2])
            try fixture.writePlan(axes: [], reduce: mode, k: 2)
            let table = try fixture.report().main
            XCTAssertEqual(try XCTUnwrap(table.cell("a", "eval.unseen.accuracy").summary?.mean), expectedUnseen, accuracy: 1e-12, mode)
            XCTAssertEqual(try XCTUnwrap(table.cell("a", "train.reward").summary?.mean), expectedReward, accuracy: 1e-12, mode)
        }
    }

    /// Two axes: variant × scale, 2 seeds each. Rows are measured against the baseline variant
    /// with the same scale; each marginal table pools a label's runs over the other axis.
    func testTwoAxesBaselinePerCombinationAndMarginalTables() throws {
        let fixture = try LedgerFixture()
        let values: [String: [Double]] = [
            "baseline/default": [0.50, 0.54], "baseline/equal": [0.40, 0.42],
            "length/default": [0.30, 0.36], "length/equal": [0.20, 0.26],
        ]
        for variant in ["baseline", "length"] {
            for scale in ["default", "equal"] {
                for (seed, x) in values["\(variant)/\(scale)"]!.enumerated() {
                    try fixture.addRun(labels: [("variant", variant), ("reward.scale", scale)], seed: seed, final: ["unseen": x])
                }
            }
        }
        try fixture.writePlan(axes: ["reward.scale"], baseline: ["variant": "baseline"])
        let report = try fixture.report()
        XCTAssertEqual(report.axes, ["variant", "reward.scale"])
        let row = try report.main.row("length / equal")
        XCTAssertEqual(row.baselineRow, "baseline / equal")
        XCTAssertEqual(try XCTUnwrap(report.main.cell("length / equal", "eval.unseen.accuracy").delta), 0.23 - 0.41, accuracy: 1e-12)
        // st.ttest_ind([0.20, 0.26], [0.40, 0.42], equal_var=False).pvalue = 0.07962957132308772 and
        // st.ttest_rel([0.20, 0.26], [0.40, 0.42]).pvalue = 0.07044657495455461 (SciPy 1.17.1).
        let cell = try report.main.cell("length / equal", "eval.unseen.accuracy")
        XCTAssertEqual(try XCTUnwrap(cell.comparison?.welch?.pValue), 0.07962957132308772, accuracy: 1e-10)
        XCTAssertEqual(try XCTUnwrap(cell.comparison?.paired?.t?.pValue), 0.07044657495455461, accuracy: 1e-10)
        // Two rows are compared with a baseline in this column: Holm doubles the smaller p-value.
        let other = try report.main.cell("length / default", "eval.unseen.accuracy")
        let raw = [cell.comparison!.pValue!, other.comparison!.pValue!]
        XCTAssertEqual(try XCTUnwrap(cell.comparison?.adjustedPValue), raw[0] < raw[1] ? 2 * raw[0] : max(raw[0], 2 * raw[1]), accuracy: 1e-15)

        XCTAssertEqual(report.marginals.map(\.axis), ["variant", "reward.scale"])
        let byVariant = report.marginals[0]
        XCTAssertEqual(byVariant.rows.map(\.name), ["baseline", "length"])
        let pooled = try byVariant.cell("length", "eval.unseen.accuracy")
        XCTAssertEqual(pooled.summary?.n, 4)
        XCTAssertEqual(try XCTUnwrap(pooled.summary?.mean), (0.30 + 0.36 + 0.20 + 0.26) / 4, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(pooled.delta), 0.28 - 0.465, accuracy: 1e-12)
        // Pooled over scales, pairs are (scale, seed): length − baseline = −0.20, −0.18, −0.20, −0.16;
        // st.ttest_rel(...).pvalue = 0.00030276174501089306.
        XCTAssertEqual(pooled.comparison?.paired?.differences.n, 4)
        XCTAssertEqual(try XCTUnwrap(pooled.comparison?.paired?.t?.pValue), 0.00030276174501089306, accuracy: 1e-12)
        XCTAssertEqual(Set(pooled.keys.map(\.stratum)).count, 2, "one stratum per scale")
        XCTAssertTrue(try byVariant.row("baseline").isBaseline)
        let byScale = report.marginals[1]
        XCTAssertEqual(byScale.rows.map(\.name), ["default", "equal"])
        XCTAssertNil(try byScale.cell("equal", "eval.unseen.accuracy").delta, "the baseline names no scale")
        XCTAssertTrue(try byScale.cell("default", "eval.unseen.accuracy").isBest)
    }

    func testPartlyFinishedSweepStillReports() throws {
        let fixture = try LedgerFixture()
        try fixture.addRun(labels: [("variant", "baseline")], seed: 0, final: ["unseen": 0.5, "overall": 0.6], rewards: [1, 2, 3])
        try fixture.addRun(labels: [("variant", "baseline")], seed: 1, state: "running",
                           evalLines: [(10, ["unseen": 0.2, "overall": 0.3])], rewards: [0.5, 1])
        try fixture.addRun(labels: [("variant", "length")], seed: 0, state: nil)
        try fixture.addRun(labels: [("variant", "length")], seed: 1, state: "pending")
        try fixture.writePlan(axes: [], baseline: ["variant": "baseline"])
        let report = try fixture.report()
        XCTAssertEqual(report.stateLine, "4 runs: 1 done, 1 running, 2 pending")
        let base = try report.main.cell("baseline", "eval.unseen.accuracy")
        XCTAssertEqual(base.summary?.n, 1)
        XCTAssertEqual(base.summary?.mean, 0.5, "the running run's interim 0.2 is not counted")
        XCTAssertEqual(base.missing.running, 1)
        let length = try report.main.cell("length", "eval.unseen.accuracy")
        XCTAssertNil(length.summary)
        XCTAssertEqual(length.missing.pending, 2)
        XCTAssertEqual(report.main.columns.map(\.description), ["eval.overall.accuracy", "eval.unseen.accuracy", "train.reward"])
        // Curves include running runs: the baseline reward curve averages both runs at steps 1–2.
        let rewardCurve = try XCTUnwrap(report.charts.first { $0.metric == "train.reward" }?.curves.first { $0.row == "baseline" })
        XCTAssertEqual(rewardCurve.steps, [1, 2, 3])
        XCTAssertEqual(rewardCurve.mean, [0.75, 1.5, 3])
        XCTAssertEqual(rewardCurve.runs, 2)
        for format in ReportFormat.allCases { XCTAssertFalse(report.render(format).isEmpty) }
    }

    func testDoneRunWithoutTheMetricIsMarked() throws {
        let fixture = try LedgerFixture()
        try fixture.addRun(labels: [("variant", "a")], seed: 0, final: ["unseen": 0.5, "multi": 0.1])
        try fixture.addRun(labels: [("variant", "a")], seed: 1, final: ["unseen": 0.6])
        try fixture.writePlan(axes: [])
        let cell = try fixture.report().main.cell("a", "eval.multi.accuracy")
        XCTAssertEqual(cell.summary?.n, 1)
        XCTAssertEqual(cell.missing.noValue, 1)
        XCTAssertTrue(cell.isIncomplete)
    }

    func testUnknownBaselineAxisIsAWarning() throws {
        let fixture = try LedgerFixture()
        try fixture.addRun(labels: [("variant", "a")], seed: 0, final: ["unseen": 0.5])
        try fixture.writePlan(axes: [], baseline: ["reward.scale": "default"])
        let report = try fixture.report()
        XCTAssertTrue(report.warnings.contains { $0.contains("report.baseline names 'reward.scale'") })
        XCTAssertNil(report.main.rows[0].baselineRow)
    }
}

final class CurveSelectionTests: XCTestCase {
    /// With more rows than a chart can show, the best baseline and the best other rows are drawn.
    func testChartsKeepTheBestRowsAndSayHowManyAreLeftOut() throws {
        let fixture = try LedgerFixture()
        for i in 0..<14 {
            let variant = i == 0 ? "baseline" : "v\(i)"
            let accuracy = i == 0 ? 0.05 : Double(i) / 20
            for seed in 0..<2 {
                try fixture.addRun(labels: [("variant", variant)], seed: seed, final: ["unseen": accuracy],
                                   rewards: [accuracy, accuracy])
            }
        }
        try fixture.writePlan(axes: [], baseline: ["variant": "baseline"])
        let chart = try XCTUnwrap(try fixture.report().charts.first)
        XCTAssertEqual(chart.curves.count, SweepReport.maximumCurves)
        XCTAssertEqual(chart.omittedRows, 4)
        XCTAssertEqual(chart.curves.map(\.row), ["baseline"] + (5...13).map { "v\($0)" })
    }
}
