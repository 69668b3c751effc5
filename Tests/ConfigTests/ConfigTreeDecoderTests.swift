import TestSupport
import XCTest
@testable import Config

final class ConfigTreeDecoderTests: XCTestCase {
    func testDecodesWithDefaults() throws {
        let config = try ConfigLoader.decode(ToyRunConfig.self, yaml: "train: {steps: 7}\nreward.correctness.granularity: coarse\n")
        XCTAssertEqual(config.train.steps, 7)
        XCTAssertEqual(config.train.lr, 0.001)
        XCTAssertEqual(config.reward.correctness.granularity, "coarse")
        XCTAssertEqual(config.reward.scale.correctness, [-3, 3])
    }

    func testUnknownKeyIsReportedWithLocationAndSuggestion() {
        let yaml = """
            train:
              steps: 3
            reward:
              correctness:
                granularty: coarse
            """
        let message = diagnosticText { try ConfigLoader.decode(ToyRunConfig.self, yaml: yaml, file: "run.yaml") }
        XCTAssertEqual(message, "run.yaml:5:5: error: unknown key 'granularty' in 'reward.correctness' (did you mean 'granularity'?)")
    }

    func testEveryUnknownKeyIsReportedAtTopLevelToo() {
        let message = diagnosticText { try ConfigLoader.decode(ToyRunConfig.self, yaml: "sed: 1\ntrain: {stepz: 2}\n", file: "u.yaml") }
        XCTAssertEqual(message, """
            u.yaml:1:1: error: unknown key 'sed' (did you mean 'seed'?)
            u.yaml:2:9: error: unknown key 'stepz' in 'train' (did you mean 'steps'?)
            """)
    }

    func testWrongTypeIsReportedAtTheValue() {
        let message = diagnosticText { try ConfigLoader.decode(ToyRunConfig.self, yaml: "train:\n  lr: abc\n", file: "w.yaml") }
        XCTAssertEqual(message, "w.yaml:2:7: error: expected a number, found \"abc\"")
        let quoted = diagnosticText { try ConfigLoader.decode(ToyRunConfig.self, yaml: "train: {steps: \"5\"}\n", file: "w.yaml") }
        XCTAssertEqual(quoted, "w.yaml:1:16: error: expected an integer, found \"5\"")
        let fraction = diagnosticText { try ConfigLoader.decode(ToyRunConfig.self, yaml: "train: {steps: 2.5}\n", file: "w.yaml") }
        XCTAssertEqual(fraction, "w.yaml:1:16: error: expected an integer in the range of Int, found 2.5")
        let list = diagnosticText { try ConfigLoader.decode(ToyRunConfig.self, yaml: "reward:\n  scale:\n    format: [0, x]\n", file: "w.yaml") }
        XCTAssertEqual(list, "w.yaml:3:17: error: expected a number, found \"x\"")
    }

    func testValidationErrorPointsAtTheKey() {
        let message = diagnosticText {
            try ConfigLoader.decode(ToyRunConfig.self, yaml: "reward:\n  correctness: {granularity: coarsest}\n", file: "v.yaml")
        }
        XCTAssertEqual(message, "v.yaml:2:17: error: invalid value for 'reward.correctness.granularity': expected one of original, finegrained, intermediate, coarse")
    }

    func testNumbersDecodeAcrossForms() throws {
        let config = try ConfigLoader.decode(ToyRunConfig.self, yaml: "train: {steps: 1e2, lr: 3}\n")
        XCTAssertEqual(config.train.steps, 100)
        XCTAssertEqual(config.train.lr, 3)
    }
}
