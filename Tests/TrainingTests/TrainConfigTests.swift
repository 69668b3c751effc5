import XCTest
@testable import Training

final class TrainConfigTests: XCTestCase {
    func testEmptyObjectGivesDefaults() throws {
        let config = try JSONDecoder().decode(TrainConfig.self, from: Data("{}".utf8))
        XCTAssertEqual(config, TrainConfig())
        XCTAssertEqual(config.lossType, .dapo)
        XCTAssertEqual(config.resolvedEpsilonHigh, 0.2)
        let eval = try JSONDecoder().decode(EvalConfig.self, from: Data("{}".utf8))
        XCTAssertEqual(eval, EvalConfig())
    }

    func testEncodeWritesEveryKeyAndRoundTrips() throws {
        let text = """
        {"algorithm": "sft", "steps": 7, "lr": 0.01, "loss_type": "dr_grpo", "scale_rewards": "none",
         "epsilon_high": 0.28, "kl_estimator": "k1", "kl_placement": "reward", "std_ddof": 0, "mask_truncated": true}
        """
        let config = try JSONDecoder().decode(TrainConfig.self, from: Data(text.utf8))
        XCTAssertEqual(config.algorithm, .sft)
        XCTAssertEqual(config.lossType, .drGRPO)
        XCTAssertEqual(config.epsilonHigh, 0.28)
        XCTAssertEqual(config.stdDdof, 0)
        let encoded = try JSONEncoder().encode(config)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: encoded) as? [String: Any])
        XCTAssertEqual(object.count, TrainConfig.CodingKeys.allKeyNames.count)
        XCTAssertEqual(object["loss_type"] as? String, "dr_grpo")
        XCTAssertEqual(try JSONDecoder().decode(TrainConfig.self, from: encoded), config)
        // A default config encodes epsilon_high as null and decodes back to nil.
        let defaults = try JSONEncoder().encode(TrainConfig())
        let defaultObject = try XCTUnwrap(JSONSerialization.jsonObject(with: defaults) as? [String: Any])
        XCTAssertTrue(defaultObject["epsilon_high"] is NSNull)
        XCTAssertEqual(try JSONDecoder().decode(TrainConfig.self, from: defaults), TrainConfig())
    }

    func testBadValuesSayWhatIsAllowed() {
        let cases: [(String, String)] = [
            (#"{"loss_type": "ppo"}"#, "expected one of grpo, bnpo, dr_grpo, dapo, cispo"),
            (#"{"std_ddof": 2}"#, "expected 0 or 1"),
            (#"{"group_size": 0}"#, "expected an integer ≥ 1"),
            (#"{"scale_rewards": "yes"}"#, "expected one of group, batch, none"),
        ]
        for (text, message) in cases {
            XCTAssertThrowsError(try JSONDecoder().decode(TrainConfig.self, from: Data(text.utf8))) { error in
                guard case DecodingError.dataCorrupted(let context) = error else { return XCTFail("\(error)") }
                XCTAssertTrue(context.debugDescription.contains(message), context.debugDescription)
            }
        }
        XCTAssertThrowsError(try JSONDecoder().decode(EvalConfig.self, from: Data(#"{"splits": ["train"]}"#.utf8)))
    }
}

extension TrainConfig.CodingKeys {
    static var allKeyNames: [String] {
        ["algorithm", "steps", "lr", "warmup", "lr_schedule", "min_lr_ratio", "lr_schedule_steps", "weight_decay", "adam_beta1", "adam_beta2",
         "adam_eps", "max_grad_norm", "batch_size", "group_size", "temperature", "top_k", "top_p", "max_new_tokens",
         "beta", "kl_estimator", "kl_placement", "epsilon", "epsilon_high", "iterations", "loss_type", "scale_rewards",
         "std_ddof", "advantage_eps", "entropy_coef", "mask_truncated", "checkpoint_every", "log_every",
         "advantage", "importance_sampling", "dual_clip", "kl_control", "kl_target", "kl_horizon", "dynamic_sampling",
         "max_resample_batches", "overlong_penalty"]
    }
}
