import Config
import Model
import XCTest
@testable import Rewards
@testable import Training

/// The keys of issue 13 (PPO, estimators, losses, batch shaping): decoding, round trips, and
/// the combinations that are errors.
final class AlgorithmConfigTests: XCTestCase {
    func decode(_ json: String) throws -> RunConfig { try ConfigLoader.decode(RunConfig.self, yaml: json, file: "run.yaml") }

    func testEveryNewKeyDecodesAndRoundTrips() throws {
        let config = try decode("""
        {"train": {"algorithm": "ppo", "importance_sampling": "sequence_token", "dual_clip": 3, "kl_estimator": "k2",
                   "kl_placement": "reward", "beta": 0.01, "kl_control": "adaptive", "kl_target": 0.05, "kl_horizon": 500,
                   "dynamic_sampling": true, "max_resample_batches": 2, "overlong_penalty": {"buffer": 8, "factor": 0.5}},
         "critic": {"dim": 32, "heads": 2, "init": "scratch", "lr": 0.002, "warmup": 3},
         "ppo": {"gamma": 0.99, "lambda": 0.95, "value_clip": null, "epochs": 2, "mini_batches": 2},
         "model": {"dim": 64, "layers": 2},
         "reward": {"preset": "error_typed", "error_weights": {"wrong_value": 0.1}}}
        """)
        XCTAssertEqual(config.train.algorithm, .ppo)
        XCTAssertEqual(config.train.importanceSampling, .sequenceToken)
        XCTAssertEqual(config.train.dualClip, 3)
        XCTAssertEqual(config.train.klControl, .adaptive)
        XCTAssertEqual(config.train.overlongPenalty, OverlongPenalty(buffer: 8, factor: 0.5))
        XCTAssertEqual(config.critic.modelConfig(policy: config.model).dim, 32)
        XCTAssertEqual(config.critic.modelConfig(policy: config.model).layers, 2, "null takes the policy's")
        XCTAssertEqual(config.critic.start, .scratch)
        XCTAssertNil(config.ppo.valueClip)
        XCTAssertEqual(config.ppo.lambda, 0.95)
        XCTAssertEqual(config.reward.errorWeights[.wrongValue], 0.1)
        let encoded = try config.jsonData()
        XCTAssertEqual(try JSONDecoder().decode(RunConfig.self, from: encoded), config)
        XCTAssertEqual(try decode("{}").ppo.valueClip, 0.5)
        XCTAssertEqual(try decode(#"{"train": {"advantage": "reinforce_pp_baseline", "loss_type": "cispo"}}"#).train.advantage,
                       .reinforcePlusPlusBaseline)
        XCTAssertEqual(try decode(#"{"critic": {"init": "runs/x/checkpoint"}}"#).critic.start, .path("runs/x/checkpoint"))
    }

    func testContradictionsAreErrorsThatNameTheFix() {
        let cases: [(String, String)] = [
            (#"{"train": {"algorithm": "ppo", "advantage": "rloo"}}"#, "GAE"),
            (#"{"train": {"algorithm": "ppo", "iterations": 2}}"#, "ppo.epochs"),
            (#"{"train": {"advantage": "rloo", "group_size": 1}}"#, "group_size ≥ 2"),
            (#"{"train": {"advantage": "reinforce_pp", "scale_rewards": "none"}}"#, "advantage grpo only"),
            (#"{"train": {"loss_type": "cispo", "importance_sampling": "sequence"}}"#, "importance_sampling: token"),
            (#"{"train": {"loss_type": "cispo", "dual_clip": 3}}"#, "remove dual_clip"),
            (#"{"train": {"dual_clip": 0.5}}"#, "a number > 1"),
            (#"{"train": {"kl_control": "adaptive", "beta": 0.1}}"#, "kl_placement: reward"),
            (#"{"train": {"dynamic_sampling": true, "group_size": 1}}"#, "group_size ≥ 2"),
            (#"{"train": {"max_new_tokens": 8, "overlong_penalty": {"buffer": 9}}}"#, "buffer ≤ max_new_tokens"),
            (#"{"critic": {"dim": 32}}"#, "critic.init: scratch"),
            (#"{"critic": {"dim": 30, "init": "scratch"}}"#, "divisible by its heads"),
            (#"{"ppo": {"lambda": 1.5}}"#, "a number in [0, 1]"),
            (#"{"ppo": {"value_clip": 0}}"#, "a number > 0"),
            (#"{"train": {"algorithm": "ppo", "batch_size": 2}, "ppo": {"mini_batches": 3}}"#, "whole groups"),
            (#"{"train": {"advantage": "rloo"}, "reward": {"aggregation": "normalize_then_sum"}}"#, "train.advantage grpo"),
            (#"{"train": {"scale_rewards": "none"}, "reward": {"aggregation": "normalize_then_sum"}}"#, "leave it at group"),
        ]
        for (json, message) in cases {
            XCTAssertThrowsError(try decode(json), json) { error in
                XCTAssertTrue("\(error)".contains(message), "\(json): \(error)")
            }
        }
    }
}
