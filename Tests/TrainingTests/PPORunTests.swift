import Basics
import Model
import TestSupport
import XCTest
@testable import Training

/// PPO runs end to end: exact resume with the critic, its optimiser and the adaptive KL
/// coefficient in the checkpoint; the critic's starting points.
final class PPORunTests: RunTestCase {
    func ppoConfig(steps: Int) -> RunConfig {
        var config = tinyRunConfig(steps: steps)
        config.train.algorithm = .ppo
        config.train.iterations = 1
        config.train.klPlacement = .reward
        config.train.klEstimator = .k1
        config.train.klControl = .adaptive
        config.train.klTarget = 0.01
        config.train.klHorizon = 10
        config.critic.lr = 1e-2
        config.critic.warmup = 1
        config.ppo.epochs = 2
        config.ppo.miniBatches = 2
        // Groups of two whose rewards agree are resampled: the data position must resume too.
        config.train.dynamicSampling = true
        config.train.maxResampleBatches = 2
        return config
    }

    func floats(_ directory: URL, _ file: String) throws -> [Float] {
        try FloatBufferFile.read(from: directory.appendingPathComponent(file))
    }

    /// Stopped after 2 of 5 steps and resumed: the metrics, evaluation, policy, critic and the
    /// critic's optimiser are exactly those of an uninterrupted run.
    func testResumedPPORunEqualsUninterruptedRun() throws {
        let config = ppoConfig(steps: 5)
        let straight = try makeRun(config)
        XCTAssertEqual(straight.run(shouldStop: { false }, onStep: { _, _ in }), .done)
        let interrupted = try makeRun(config)
        var completed = 0
        XCTAssertEqual(interrupted.run(shouldStop: { completed == 2 }, onStep: { step, _ in completed = step }), .interrupted)
        let resumed = try makeRun(config, in: interrupted.directory)
        XCTAssertEqual(resumed.run(shouldStop: { false }, onStep: { _, _ in }), .done)

        let expected = try metricsWithoutTiming(straight.directory)
        XCTAssertEqual(try metricsWithoutTiming(resumed.directory), expected)
        XCTAssertEqual(try Data(contentsOf: resumed.directory.appendingPathComponent("eval.json")),
                       try Data(contentsOf: straight.directory.appendingPathComponent("eval.json")))
        for file in ["parameters.bin", "optimizer.bin", "critic/parameters.bin", "critic/optimizer.bin", "trainer.json"] {
            let path = "checkpoint/step-0000005/" + file
            XCTAssertEqual(try Data(contentsOf: resumed.directory.appendingPathComponent(path)),
                           try Data(contentsOf: straight.directory.appendingPathComponent(path)), file)
        }

        let train = expected.filter { $0["kind"] as? String == "train" }
        XCTAssertEqual(train.count, 5)
        for key in ["critic/value_mean", "critic/vf_loss", "critic/vf_clipfrac", "critic/explained_variance", "kl_coef", "reward"] {
            XCTAssertTrue(train.allSatisfy { $0[key] != nil }, key)
        }
        XCTAssertNil(train[0]["loss"], "step 1 is the critic's warm-up: the policy does not move")
        XCTAssertNotNil(train[1]["loss"])
        // The adaptive controller moves the coefficient from β = 0.04 (and the checkpoint keeps it).
        let coefficients = train.compactMap { ($0["kl_coef"] as? NSNumber)?.doubleValue }
        XCTAssertEqual(coefficients.first, 0.04)
        XCTAssertNotEqual(coefficients.last, 0.04)
        let state = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: straight.directory
            .appendingPathComponent("checkpoint/step-0000005/trainer.json"))) as? [String: Any])
        XCTAssertNotNil(state["kl_coefficient"])
        let drawn = train.compactMap { ($0["dynamic_sampling/drawn_groups"] as? NSNumber)?.intValue }.reduce(0, +)
        XCTAssertEqual(state["data_position"] as? Int, drawn)
        XCTAssertGreaterThan(drawn, 5 * config.train.batchSize, "some groups must have been resampled")
        XCTAssertEqual(state["critic_optimizer_updates"] as? Int, 5 * 2 * 2)
        XCTAssertEqual(state["optimizer_updates"] as? Int, 4 * 2 * 2)
    }

    /// `critic.init`: `policy` copies the starting policy into the trunk; a PPO run's checkpoint
    /// gives its critic whole.
    func testCriticStartingPoints() throws {
        let first = try makeRun(ppoConfig(steps: 2))
        XCTAssertEqual(first.run(shouldStop: { false }, onStep: { _, _ in }), .done)

        var fromPolicy = ppoConfig(steps: 0)
        fromPolicy.initFrom = first.directory.path
        let second = try makeRun(fromPolicy)
        XCTAssertEqual(second.run(shouldStop: { false }, onStep: { _, _ in }), .done)
        let policy = try floats(first.directory, "checkpoint/step-0000002/parameters.bin")
        let trunk = try floats(second.directory, "checkpoint/step-0000000/critic/parameters.bin")
        XCTAssertEqual(Array(trunk.prefix(policy.count)), policy)
        XCTAssertEqual(trunk.count, policy.count + fromPolicy.model.dim + 1)

        var fromCritic = ppoConfig(steps: 0)
        fromCritic.critic.initFrom = first.directory.path
        let third = try makeRun(fromCritic)
        XCTAssertEqual(third.run(shouldStop: { false }, onStep: { _, _ in }), .done)
        XCTAssertEqual(try floats(third.directory, "checkpoint/step-0000000/critic/parameters.bin"),
                       try floats(first.directory, "checkpoint/step-0000002/critic/parameters.bin"))
    }
}
