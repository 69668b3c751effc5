import TestSupport
import XCTest
@testable import Config
@testable import Sweep

final class SpecExpansionTests: XCTestCase {
    let resolver = ToyRunConfig.resolver

    func plan(_ yaml: String, file: String = "spec.yaml", in directory: TemporaryDirectory = TemporaryDirectory()) throws -> SweepPlan {
        let path = directory.write(file, yaml)
        return try SweepPlanner(resolver: resolver).plan(try SweepSpec.load(file: path))
    }

    func testGridSeedsAndVariantsCrossInOrder() throws {
        let result = try plan("""
            sweep: demo
            config: {train: {steps: 5}}
            seeds: 2
            variants:
              baseline: {}
              long: {train.steps: 50}
            grid:
              reward.correctness.granularity: [original, coarse]
            """)
        XCTAssertEqual(result.runs.count, 8)
        XCTAssertEqual(result.axes, ["variant", "reward.correctness.granularity"])
        XCTAssertEqual(result.runs.map(\.row), ["baseline / original", "baseline / original", "baseline / coarse", "baseline / coarse",
                                                "long / original", "long / original", "long / coarse", "long / coarse"])
        XCTAssertEqual(result.runs.map(\.seed), [0, 1, 0, 1, 0, 1, 0, 1])
        XCTAssertEqual(result.runs[4].config.value(atPath: "train.steps")?.scalar, .int(50))
        XCTAssertEqual(result.runs[3].config.value(atPath: "reward.correctness.granularity")?.scalar, .string("coarse"))
        XCTAssertEqual(result.runs[3].config["seed"]?.scalar, .int(1))
        XCTAssertEqual(Set(result.runs.map(\.id)).count, 8)
    }

    func testLabeledAxisWithMapValuesAndExplicitSeeds() throws {
        let result = try plan("""
            sweep: scales
            seeds: [11, 13]
            grid:
              reward.scale:
                default:   {format: [0, 1], correctness: [-3, 3]}
                equal-max: {format: [0, 1], correctness: [-1, 1]}
            """)
        XCTAssertEqual(result.runs.map(\.row), ["default", "default", "equal-max", "equal-max"])
        XCTAssertEqual(result.runs.map(\.seed), [11, 13, 11, 13])
        XCTAssertEqual(try CanonicalJSON.string(try XCTUnwrap(result.runs[2].config.value(atPath: "reward.scale"))),
                       #"{"correctness":[-1,1],"format":[0,1]}"#)
    }

    func testZipAdvancesTogetherAndUnequalLengthsAreAnError() throws {
        let result = try plan("""
            sweep: zipped
            grid: {reward.preset: [a, b]}
            zip:
              - train.lr: [1.0e-3, 3.0e-4]
                train.warmup: [10, 20]
            """)
        XCTAssertEqual(result.runs.map(\.row), ["a / 0.001 / 10", "a / 0.0003 / 20", "b / 0.001 / 10", "b / 0.0003 / 20"])
        XCTAssertEqual(result.runs[1].config.value(atPath: "train.warmup")?.scalar, .int(20))
        let message = diagnosticText {
            try self.plan("sweep: bad\nzip:\n  - train.lr: [1, 2]\n    train.warmup: [1, 2, 3]\n", file: "zip.yaml")
        }
        XCTAssertTrue(message.hasSuffix("zip.yaml:3:5: error: the axes of a zip group must have equal lengths: 'train.lr' has 2, 'train.warmup' has 3"), message)
    }

    func testExcludeByLabelAndByValueAndTheNoMatchWarning() throws {
        let result = try plan("""
            sweep: ex
            grid:
              reward.correctness.granularity: [original, coarse]
              reward.scale:
                default:   {correctness: [-3, 3]}
                equal-max: {correctness: [-1, 1]}
              train.lr: [0.001, 0.01]
            exclude:
              - {reward.correctness.granularity: coarse, reward.scale: equal-max}
              - {train.lr: 1e-2, reward.scale: default, reward.correctness.granularity: original}
              - {reward.scale: equal-maks}
            """, file: "ex.yaml")
        XCTAssertEqual(result.excluded, 3)
        XCTAssertEqual(result.runs.count, 5)
        XCTAssertFalse(result.runs.contains { $0.row.hasPrefix("coarse / equal-max") })
        XCTAssertFalse(result.runs.contains { $0.row == "original / default / 0.01" })
        XCTAssertEqual(result.warnings.count, 1)
        XCTAssertTrue(result.warnings[0].description.hasSuffix("ex.yaml:11:5: warning: this exclude entry matches no run: 'reward.scale' has no value 'equal-maks' (did you mean 'equal-max'?)"))
    }

    func testStagesAreSharedPerSeedAndRewrittenToRunIDs() throws {
        let result = try plan("""
            sweep: staged
            config: {init: stage:sft, train: {steps: 10}}
            seeds: 2
            grid: {reward.preset: [a, b]}
            stages:
              base: {train: {algorithm: pretrain, steps: 30}}
              sft:  {init: stage:base, train: {algorithm: sft, steps: 20}}
            """)
        XCTAssertEqual(result.runs.count, 4)
        XCTAssertEqual(result.stages.count, 4)   // base and sft for seeds 0 and 1
        let sft0 = try XCTUnwrap(result.stages.first { $0.stage == "sft" && $0.seed == 0 })
        let base0 = try XCTUnwrap(result.stages.first { $0.stage == "base" && $0.seed == 0 })
        XCTAssertEqual(sft0.dependsOn, [base0.id])
        XCTAssertEqual(sft0.config["init"]?.string, "run:\(base0.id)")
        XCTAssertEqual(base0.config["init"]?.string, "scratch")
        XCTAssertEqual(base0.config.value(atPath: "train.algorithm")?.string, "pretrain")
        for run in result.runs {
            let stage = try XCTUnwrap(result.stages.first { $0.stage == "sft" && $0.seed == run.seed })
            XCTAssertEqual(run.dependsOn, [stage.id])
            XCTAssertEqual(run.config["init"]?.string, "run:\(stage.id)")
        }
        let order = result.uniqueRunsInDependencyOrder.map(\.id)
        XCTAssertLessThan(try XCTUnwrap(order.firstIndex(of: base0.id)), try XCTUnwrap(order.firstIndex(of: sft0.id)))
    }

    /// `stages.<name>.seed` fixes the stage's seed: one stage run serves every seed of the sweep,
    /// and a stage depending on it (per seed) still points at that one run.
    func testAStageWithItsOwnSeedIsSharedByEverySeed() throws {
        let result = try plan("""
            sweep: fixed
            config: {init: stage:sft, train: {steps: 10}}
            seeds: 3
            stages:
              base: {seed: 0, train: {algorithm: pretrain, steps: 30}}
              sft:  {init: stage:base, train: {algorithm: sft, steps: 20}}
            """)
        let bases = result.stages.filter { $0.stage == "base" }
        XCTAssertEqual(bases.count, 1)
        XCTAssertEqual(bases[0].seed, 0)
        let sfts = result.stages.filter { $0.stage == "sft" }
        XCTAssertEqual(Set(sfts.map(\.seed)), [0, 1, 2])
        XCTAssertTrue(sfts.allSatisfy { $0.dependsOn == [bases[0].id] })
        XCTAssertEqual(Set(result.runs.map(\.config["init"]?.string)).count, 3)
        let bad = diagnosticText { try self.plan("sweep: s\nconfig: {init: stage:base}\nstages:\n  base: {seed: -1}\n", file: "sd.yaml") }
        XCTAssertTrue(bad.hasSuffix("sd.yaml:4:16: error: a stage's seed is a non-negative integer, found -1"), bad)
    }

    func testStageErrorsPointAtTheReference() {
        let unknown = diagnosticText { try self.plan("sweep: s\nconfig:\n  init: stage:bsae\nstages:\n  base: {}\n", file: "st.yaml") }
        XCTAssertTrue(unknown.hasSuffix("st.yaml:3:9: error: unknown stage 'bsae' (did you mean 'base'?); stages: base"), unknown)
        let cycle = diagnosticText {
            try self.plan("sweep: s\nconfig: {init: stage:a}\nstages:\n  a: {init: stage:b}\n  b: {init: stage:a}\n", file: "cy.yaml")
        }
        XCTAssertTrue(cycle.hasSuffix("cy.yaml:5:13: error: stages form a cycle: a → b → a"), cycle)
    }

    func testUnknownKeysInSpecAndRunConfig() {
        let top = diagnosticText { try self.plan("sweep: s\ngird: {a: [1]}\n", file: "top.yaml") }
        XCTAssertTrue(top.hasSuffix("top.yaml:2:1: error: unknown key 'gird' (did you mean 'grid'?)"), top)
        let nested = diagnosticText {
            try self.plan("sweep: s\ngrid:\n  reward.correctness.granularty: [coarse]\n", file: "n.yaml")
        }
        XCTAssertTrue(nested.hasSuffix("n.yaml:3:3: error: unknown key 'granularty' in 'reward.correctness' (did you mean 'granularity'?)"), nested)
        let wrongType = diagnosticText { try self.plan("sweep: s\nconfig:\n  train.lr: fast\n", file: "t.yaml") }
        XCTAssertTrue(wrongType.hasSuffix("t.yaml:3:13: error: expected a number, found \"fast\""), wrongType)
        let name = diagnosticText { try self.plan("sweep: Bad Name\n", file: "name.yaml") }
        XCTAssertTrue(name.hasSuffix("name.yaml:1:8: error: a sweep name uses only a-z, 0-9, '_' and '-', found \"Bad Name\""), name)
    }

    func testExtendsOverridesAndRefusesCycles() throws {
        let directory = TemporaryDirectory()
        directory.write("base.yaml", "sweep: base\nconfig: {train: {steps: 5, lr: 0.1}}\ngrid: {reward.preset: [a, b]}\nseeds: 3\n")
        let result = try plan("extends: base.yaml\nsweep: child\nconfig: {train.steps: 9}\nseeds: 1\n", file: "child.yaml", in: directory)
        XCTAssertEqual(result.sweep, "child")
        XCTAssertEqual(result.runs.count, 2)
        XCTAssertEqual(result.runs[0].config.value(atPath: "train.steps")?.scalar, .int(9))
        XCTAssertEqual(result.runs[0].config.value(atPath: "train.lr")?.scalar, .double(0.1))
        directory.write("x.yaml", "extends: y.yaml\nsweep: x\n")
        directory.write("y.yaml", "extends: x.yaml\nsweep: y\n")
        let cycle = diagnosticText { try SweepSpec.load(file: directory.path + "/x.yaml") }
        XCTAssertTrue(cycle.hasSuffix("y.yaml:1:10: error: 'extends' makes a cycle: x.yaml → y.yaml → x.yaml"), cycle)
    }

    func testReportSection() throws {
        let result = try plan("sweep: r\nvariants: {baseline: {}, other: {}}\nreport: {metric: eval.unseen.accuracy, baseline: {variant: baseline}, reduce: mean-last-k, k: 3}\n")
        XCTAssertEqual(result.report, ReportSettings(metric: .eval(split: "unseen", metric: "accuracy"), baseline: ["variant": "baseline"], reduce: .meanLastK(3)))
        let bad = diagnosticText { try self.plan("sweep: r\nreport: {reduce: median}\n", file: "rep.yaml") }
        XCTAssertTrue(bad.hasSuffix("rep.yaml:2:10: error: invalid value for 'reduce': expected one of last, best, mean-last-k, found 'median'"), bad)
        // One validator for spec, plan.json and --metric: `mean-last-3` is not a reduction name,
        // and a metric path is eval.<split>.<metric> or train.<name>.
        let shorthand = diagnosticText { try self.plan("sweep: r\nreport: {reduce: mean-last-3}\n", file: "rep.yaml") }
        XCTAssertTrue(shorthand.contains("found 'mean-last-3'"), shorthand)
        XCTAssertThrowsError(try Reduction(name: "mean-last-3", k: 5))
        let metric = diagnosticText { try self.plan("sweep: r\nreport: {metric: eval.unseen}\n", file: "rep.yaml") }
        XCTAssertTrue(metric.hasSuffix("rep.yaml:2:10: error: invalid value for 'metric': a metric is 'eval.<split>.<metric>' or 'train.<name>' (e.g. eval.unseen.accuracy, train.reward), found 'eval.unseen'"), metric)
        XCTAssertEqual(try MetricPath(parsing: "eval.overall.reward/total"), .eval(split: "overall", metric: "reward/total"))
        XCTAssertEqual(try MetricPath(parsing: "train.rewards/format/mean"), .train(name: "rewards/format/mean"))
    }

    func testReportStatisticsSettings() throws {
        let defaults = try plan("sweep: r\n").report
        XCTAssertEqual(defaults.metrics, [.eval(split: "overall", metric: "accuracy")])
        XCTAssertEqual([defaults.interval.rawValue, defaults.correction.rawValue, defaults.test.rawValue], ["t", "holm", "t"])
        XCTAssertEqual(defaults.resamples, 2000)
        let result = try plan("""
            sweep: r
            report:
              metrics: [eval.seen.tool_name_accuracy, eval.unseen.tool_name_accuracy, train.reward]
              interval: bootstrap
              correction: none
              test: wilcoxon
              resamples: 5000
            """)
        let metrics: [MetricPath] = [.eval(split: "seen", metric: "tool_name_accuracy"), .eval(split: "unseen", metric: "tool_name_accuracy"),
                                     .train(name: "reward")]
        XCTAssertEqual(result.report, ReportSettings(metrics: metrics, interval: .bootstrap, correction: .none, test: .wilcoxon, resamples: 5000))
        XCTAssertEqual(result.report.metric, metrics[0], "the first listed metric is the headline")
        // plan.json carries every key for Report.
        let json = String(decoding: try JSONEncoder().encode(result.report), as: UTF8.self)
        for key in ["\"metrics\"", "\"interval\":\"bootstrap\"", "\"correction\":\"none\"", "\"test\":\"wilcoxon\"", "\"resamples\":5000"] {
            XCTAssertTrue(json.contains(key), json)
        }

        let cases: [(String, String)] = [
            ("report: {interval: bootsrap}", "2:10: error: invalid value for 'interval': unknown value 'bootsrap': expected one of t, bootstrap"),
            ("report: {correction: bonferroni}", "2:10: error: invalid value for 'correction': unknown value 'bonferroni': expected one of holm, none"),
            ("report: {test: welch}", "2:10: error: invalid value for 'test': unknown value 'welch': expected one of t, wilcoxon, sign"),
            ("report: {resamples: 100}", "2:10: error: invalid value for 'resamples': 100 is not allowed: expected a number of resamples from 2000 to 1000000"),
            ("report: {metrics: []}", "2:10: error: invalid value for 'metrics': 'metrics' needs at least one metric path, e.g. [eval.overall.accuracy]"),
            ("report: {metrics: [train.reward, train.reward]}", "2:10: error: invalid value for 'metrics': \"train.reward\" is listed twice in 'metrics'"),
            ("report: {metrics: [eval.unseen]}", "2:10: error: invalid value for 'metrics': a metric is 'eval.<split>.<metric>' or 'train.<name>' (e.g. eval.unseen.accuracy, train.reward), found 'eval.unseen'"),
            ("report: {metric: train.loss, metrics: [train.reward]}", "2:30: error: invalid value for 'metrics': give either 'metric' or 'metrics' (whose first entry is the headline), not both"),
        ]
        for (section, expected) in cases {
            let text = diagnosticText { try self.plan("sweep: r\n" + section + "\n", file: "rep.yaml") }
            XCTAssertTrue(text.hasSuffix("rep.yaml:" + expected), text)
        }
    }

    func testIdenticalRunsInTwoSpecsHaveOneID() throws {
        let a = try plan("sweep: a\ngrid: {train.lr: [0.001, 0.002]}\n")
        let b = try plan("sweep: b\nconfig: {train: {lr: 1e-3}}\n")
        XCTAssertEqual(a.runs[0].id, b.runs[0].id)
    }
}
