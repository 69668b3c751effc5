import TestSupport
import XCTest
@testable import Config
@testable import Sweep

/// `ablate plan` end to end: the table, the counts, `--json`, warnings and errors.
final class PlanCommandTests: XCTestCase {
    func testPlanListsRunsWithStateAndCounts() throws {
        let harness = try SweepHarness()
        harness.write("p.yaml", """
            sweep: listed
            seeds: 2
            grid:
              reward.preset: [original, coarse]
            exclude:
              - {reward.preset: coarse, seed: 1}
              - {reward.preset: coarze}
            """)
        let first = try harness.ablate(["plan", "p.yaml", "--runs", "runs"])
        XCTAssertEqual(first.status, 0, first.output)
        XCTAssertTrue(first.output.contains("sweep listed: 3 runs planned, 1 excluded, 0 of 3 unique runs already done"), first.output)
        XCTAssertTrue(first.output.contains("p.yaml:7:5: warning: this exclude entry matches no run: 'reward.preset' has no value 'coarze' (did you mean 'coarse'?)"), first.output)
        let plan = try harness.plan("p.yaml")
        XCTAssertTrue(first.output.contains("\(plan.runs[2].shortID)  pending  0     coarse"), first.output)

        XCTAssertEqual(try harness.runSweep("p.yaml").status, 0)
        let json = try harness.ablate(["plan", "p.yaml", "--runs", "runs", "--json"])
        XCTAssertEqual(json.status, 0)
        let start = try XCTUnwrap(json.output.firstIndex(of: "{"))
        let tree = try JSONTreeParser.parse(String(json.output[start...]))
        XCTAssertEqual(tree["done"]?.scalar, .int(3))
        XCTAssertEqual(tree["excluded"]?.scalar, .int(1))
        XCTAssertEqual(tree["runs"]?.items?.compactMap { $0["state"]?.string }, ["done", "done", "done"])
        XCTAssertEqual(tree["runs"]?.items?.first?["id"]?.string, plan.runs[0].id)
    }

    /// Every spec committed under `sweeps/` plans from the repository root, as the docs run them
    /// (`init: models/world-base` is relative to the current directory); a file without `sweep:`
    /// is a base that some spec extends.
    func testEveryCommittedSpecPlansFromTheRepositoryRoot() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let names = try FileManager.default.contentsOfDirectory(atPath: repository + "/sweeps").filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertTrue(names.contains("quickstart.yaml"))
        let texts = try Dictionary(uniqueKeysWithValues: names.map {
            ($0, try String(contentsOfFile: repository + "/sweeps/" + $0, encoding: .utf8))
        })
        let harness = try SweepHarness()
        for name in names {
            let text = texts[name]!
            guard let sweepLine = text.split(separator: "\n").first(where: { $0.hasPrefix("sweep:") }) else {
                XCTAssertTrue(texts.values.contains { $0.contains("extends: \(name)") }, "\(name) has no sweep: and no spec extends it")
                continue
            }
            let sweep = sweepLine.dropFirst("sweep:".count).trimmingCharacters(in: .whitespaces)
            let plan = try harness.ablate(["plan", "sweeps/" + name, "--runs", harness.root + "/runs"], in: repository)
            XCTAssertEqual(plan.status, 0, "\(name): \(plan.output)")
            XCTAssertTrue(plan.output.contains("sweep \(sweep): "), "\(name): \(plan.output)")
        }
    }

    /// `ablate items`: a config's task items as text, the same for the same seed.
    func testItemsPrintsTheTaskOfAConfig() throws {
        let harness = try SweepHarness()
        harness.write("task.yaml", "task: {preset: tiny, catalog: world, world_tools: 60, tools_per_prompt: 3}\n")
        let text = try harness.ablate(["items", "task.yaml", "--split", "seen", "--count", "2"])
        XCTAssertEqual(text.status, 0, text.output)
        XCTAssertTrue(text.output.contains("=== seen-00000") && text.output.contains("=== seen-00001"), text.output)
        XCTAssertFalse(text.output.contains("seen-00002"))
        XCTAssertEqual(text.output.components(separatedBy: "<|assistant|>").count, 3)
        XCTAssertEqual(try harness.ablate(["items", "task.yaml", "--split", "seen", "--count", "2"]).output, text.output)
        XCTAssertNotEqual(try harness.ablate(["items", "task.yaml", "--split", "seen", "--count", "2", "--seed", "1"]).output, text.output)
        let bad = try harness.ablate(["items", "task.yaml", "--split", "sene"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.output.contains("unknown split 'sene'"), bad.output)
    }

    func testPlanReportsRunConfigErrorsAtTheirLocationAndExits2() throws {
        let harness = try SweepHarness()
        harness.write("bad.yaml", "sweep: bad\nconfig:\n  train:\n    lr: fast\n  reward.correctness.granularty: coarse\n")
        let result = try harness.ablate(["plan", "bad.yaml", "--runs", "runs"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.output.contains("bad.yaml:4:9: error: expected a number, found \"fast\""), result.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: harness.root + "/runs/bad/plan.json"), "nothing is recorded for a bad spec")
    }

    /// Every key of issue 13 in one spec: PPO with its critic, the estimators, the losses, batch
    /// shaping, aggregation and the outcome presets all plan; a bad one is a located error.
    func testPlanAcceptsThePolicyGradientFamilyKeys() throws {
        let harness = try SweepHarness()
        harness.write("family.yaml", """
            sweep: family
            config: {train: {steps: 2}}
            variants:
              ppo: {train: {algorithm: ppo, kl_placement: reward, beta: 0.001, kl_estimator: k2, kl_control: adaptive, kl_target: 0.05, kl_horizon: 1000, importance_sampling: sequence_token, dual_clip: 3}, critic: {init: policy, lr: 1.0e-5, warmup: 2}, ppo: {gamma: 1.0, lambda: 0.95, value_clip: 0.2, epochs: 2, mini_batches: 2}}
              critic_shape: {train.algorithm: ppo, critic: {dim: 64, layers: 1, heads: 2, mlp_dim: 128, init: scratch}, ppo.value_clip: null}
              rloo: {train.advantage: rloo}
              reinforce_pp: {train: {advantage: reinforce_pp, kl_placement: reward, beta: 0.01}, ppo.gamma: 0.99}
              reinforce_pp_baseline: {train.advantage: reinforce_pp_baseline}
              gspo: {train: {importance_sampling: sequence, loss_type: grpo, epsilon: 3.0e-4, epsilon_high: 4.0e-4}}
              cispo: {train.loss_type: cispo}
              dapo: {train: {dynamic_sampling: true, max_resample_batches: 3, overlong_penalty: {buffer: 16, factor: 1.0}}}
              gdpo: {reward.aggregation: normalize_then_sum}
              binary: {reward.preset: binary}
              f1_floor: {reward: {preset: f1_floor, correctness: {values: strict}}}
              error_typed: {reward: {preset: error_typed, error_weights: {wrong_value: 0.1, bad_format: 2}}}
            """)
        let result = try harness.ablate(["plan", "family.yaml", "--runs", "runs"])
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertTrue(result.output.contains("sweep family: 12 runs planned"), result.output)

        harness.write("bad.yaml", "sweep: bad\nconfig:\n  train.algorithm: ppo\n  ppo:\n    lambda: 2\n")
        let bad = try harness.ablate(["plan", "bad.yaml", "--runs", "runs"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.output.contains("bad.yaml:5:5: error: invalid value for 'ppo.lambda': 2.0 is not allowed: expected a number in [0, 1]"),
                      bad.output)
    }

    /// A checkpoint path in `init` or `critic.init` is checked when the sweep is planned (relative
    /// to the current directory, as the run resolves it), not when each run starts.
    func testACheckpointPathThatNamesNothingIsRefusedAtPlanTime() throws {
        let harness = try SweepHarness()
        harness.write("base/parameters.bin", "")
        harness.write("sub/.keep", "")
        harness.write("good.yaml", "sweep: good\nconfig: {init: base, critic: {init: base}}\n")
        harness.write("bad.yaml", "sweep: bad\nconfig:\n  init: models/nothing\n  critic.init: policy\n")
        XCTAssertEqual(try harness.ablate(["plan", "good.yaml", "--runs", "runs"]).status, 0)
        let bad = try harness.ablate(["plan", "bad.yaml", "--runs", "runs"])
        XCTAssertEqual(bad.status, 2, bad.output)
        XCTAssertTrue(bad.output.contains("bad.yaml:3:9: error: init 'models/nothing': no checkpoint found there"), bad.output)
        XCTAssertTrue(bad.output.contains("relative to the current directory"), bad.output)
        let elsewhere = try harness.ablate(["plan", "../good.yaml", "--runs", "runs"], in: "sub")
        XCTAssertEqual(elsewhere.status, 2, "from another directory the relative path names nothing: \(elsewhere.output)")
    }
}
