import XCTest
@testable import Config
@testable import Model
@testable import Training

final class RunConfigTests: XCTestCase {
    func testEmptyConfigTakesDefaults() throws {
        let config = try JSONDecoder().decode(RunConfig.self, from: Data("{}".utf8))
        XCTAssertEqual(config, RunConfig())
        XCTAssertEqual(config.initSource, .scratch)
        XCTAssertEqual(config.train.algorithm, .grpo)
    }

    func testRoundTripWritesEverySection() throws {
        let text = #"{"seed": 3, "init": "run:abc", "train": {"steps": 9, "loss_type": "grpo"}, "model": {"dim": 32}, "eval": {"every": 0}}"#
        let config = try JSONDecoder().decode(RunConfig.self, from: Data(text.utf8))
        XCTAssertEqual(config.initSource, .run("abc"))
        XCTAssertEqual(config.train.steps, 9)
        XCTAssertEqual(config.model.dim, 32)
        let encoded = try config.jsonData()
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: encoded) as? [String: Any])
        XCTAssertEqual(Set(object.keys), ["seed", "task", "model", "init", "train", "reward", "eval", "critic", "ppo"])
        XCTAssertEqual((object["train"] as? [String: Any])?.count, TrainConfig.CodingKeys.allKeyNames.count)
        XCTAssertEqual(try JSONDecoder().decode(RunConfig.self, from: encoded), config)
        // Encoding is canonical: decoding the resolved config and encoding again gives the same bytes.
        XCTAssertEqual(try JSONDecoder().decode(RunConfig.self, from: encoded).jsonData(), encoded)
    }

    func testInitSources() {
        XCTAssertEqual(InitSource("scratch"), .scratch)
        XCTAssertEqual(InitSource("stage:sft"), .stage("sft"))
        XCTAssertEqual(InitSource("/tmp/x/checkpoint"), .path("/tmp/x/checkpoint"))
        XCTAssertThrowsError(try JSONDecoder().decode(RunConfig.self, from: Data(#"{"init": ""}"#.utf8)))
    }

    func testBadNestedValueNamesItsPath() {
        XCTAssertThrowsError(try ConfigLoader.decode(RunConfig.self, yaml: "train:\n  kl_estimator: k4\n", file: "run.yaml")) { error in
            XCTAssertEqual("\(error)", "run.yaml:2:3: error: invalid value for 'train.kl_estimator': unknown value 'k4': expected one of k1, k2, k3")
        }
    }
}
