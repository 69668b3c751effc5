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
        let test = try XCTUnwrap(coarse.test)
        XCTAssertEqual(test.t, -3.0000000000000027, accuracy: 1e-9)
        XCTAssertEqual(test.degreesOfFreedom, 6.249999999999999, accuracy: 1e-9)
        XCTAssertEqual(test.pValue, 0.02284392750862955, accuracy: 1e-12)
        XCTAssertFalse(coarse.isBest)

        // Seen: coarse is better; zero variance on both sides gives no test but a delta.
        let seen = try table.cell("coarse", "eval.seen.accuracy")
        XCTAssertTrue(seen.isBest)
        XCTAssertEqual(try XCTUnwrap(seen.delta), 0.05, accuracy: 1e-12)
        XCTAssertNil(seen.test)

        XCTAssertEqual(incompleteNotes(table), ["coarse: 4 of 5 seeds (1 failed) in all columns"])
        XCTAssertEqual(report.stateCounts[.failed], 1)
        XCTAssertEqual(report.runs.last?.status.error, "loss is NaN at step 3")
        XCTAssertTrue(report.marginals.isEmpty, "one axis needs no marginal table")
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
        // st.ttest_ind([0.20, 0.26], [0.40, 0.42], equal_var=False).pvalue = 0.07962957132308772 (SciPy 1.17.1)
        XCTAssertEqual(try XCTUnwrap(report.main.cell("length / equal", "eval.unseen.accuracy").test?.pValue),
                       0.07962957132308772, accuracy: 1e-10)

        XCTAssertEqual(report.marginals.map(\.axis), ["variant", "reward.scale"])
        let byVariant = report.marginals[0]
        XCTAssertEqual(byVariant.rows.map(\.name), ["baseline", "length"])
        let pooled = try byVariant.cell("length", "eval.unseen.accuracy")
        XCTAssertEqual(pooled.summary?.n, 4)
        XCTAssertEqual(try XCTUnwrap(pooled.summary?.mean), (0.30 + 0.36 + 0.20 + 0.26) / 4, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(pooled.delta), 0.28 - 0.465, accuracy: 1e-12)
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
