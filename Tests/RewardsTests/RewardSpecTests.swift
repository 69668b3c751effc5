import XCTest
@testable import Config
@testable import Rewards

final class RewardSpecTests: XCTestCase {
    func decode(_ json: String) throws -> RewardSpec {
        try JSONDecoder().decode(RewardSpec.self, from: Data(json.utf8))
    }

    func testEveryPresetDecodesToItsSettings() throws {
        for preset in RewardPreset.allCases {
            let spec = try decode(#"{"preset": "\#(preset.rawValue)"}"#)
            XCTAssertEqual(spec, RewardSpec(preset: preset), preset.rawValue)
            XCTAssertNoThrow(try ToolCallReward(spec: spec))
            if preset.isToolRL {
                XCTAssertNoThrow(try ToolCallReward(spec: RewardSpec(preset: preset, fidelity: .toolrlCode)))
            } else {
                XCTAssertThrowsError(try ToolCallReward(spec: RewardSpec(preset: preset, fidelity: .toolrlCode)))
            }
        }
        XCTAssertEqual(try decode("{}"), RewardSpec(preset: .original))
        XCTAssertEqual(try decode(#"{"preset": "equal_max"}"#).scale.correctness, ScaleRange(-1, 1))
        XCTAssertEqual(try decode(#"{"preset": "dynamic_length"}"#).length.growth, .linear)
        XCTAssertTrue(try decode(#"{"preset": "length"}"#).length.enabled)
        XCTAssertEqual(try decode(#"{"preset": "two_stage"}"#).schedule.kind, .twoStage)
        XCTAssertEqual(try decode(#"{"preset": "coarse"}"#).correctness.granularity, .coarse)
    }

    func testExplicitKeysOverrideThePresetOneByOne() throws {
        let spec = try decode(#"{"preset": "two_stage", "fidelity": "toolrl-code", "scale": {"correctness": [-1, 1]}, "correctness": {"granularity": "intermediate"}}"#)
        XCTAssertEqual(spec.schedule.kind, .twoStage)
        XCTAssertEqual(spec.fidelity, .toolrlCode)
        XCTAssertEqual(spec.scale.correctness, ScaleRange(-1, 1))
        XCTAssertEqual(spec.scale.format, ScaleRange(0, 1), "kept from the preset")
        XCTAssertEqual(spec.correctness.granularity, .intermediate)
        XCTAssertEqual(spec.correctness.matching, .optimal)
    }

    func testScheduleAndLengthShorthands() throws {
        XCTAssertEqual(try decode(#"{"schedule": "cosine"}"#).schedule.kind, .cosine)
        let piecewise = try decode(#"{"schedule": [[0, 0], [0.3, 0], [0.3, 1], [1, 1]]}"#).schedule
        XCTAssertEqual(piecewise.kind, .piecewise)
        XCTAssertEqual(piecewise.points.count, 4)
        let object = try decode(#"{"schedule": {"kind": "two_stage", "switch": 0.5, "start": {"format": [0, 2], "correctness": [-1, 1]}}}"#).schedule
        XCTAssertEqual(object.switchProgress, 0.5)
        XCTAssertEqual(object.start?.format, ScaleRange(0, 2))
        XCTAssertNil(object.end)
        XCTAssertTrue(try decode(#"{"length": true}"#).length.enabled)
        XCTAssertFalse(try decode(#"{"preset": "length", "length": false}"#).length.enabled)
        let length = try decode(#"{"length": {"target": 256, "growth": "linear"}}"#).length
        XCTAssertTrue(length.enabled)
        XCTAssertEqual(length.target, 256)
        XCTAssertEqual(length.finalTarget, 1024)
    }

    func testEncodingWritesEverythingAndRoundTrips() throws {
        for preset in RewardPreset.allCases where preset.isToolRL {
            var spec = RewardSpec(preset: preset)
            spec.weights.length = 0.5
            let data = try JSONEncoder().encode(spec)
            let tree = try JSONSerialization.jsonObject(with: data) as! [String: Any]
            XCTAssertEqual(Set(tree.keys), ["preset", "fidelity", "scale", "correctness", "schedule", "length", "weights",
                                            "aggregation", "error_weights"])
            XCTAssertEqual(Set((tree["correctness"] as! [String: Any]).keys), ["granularity", "matching", "values", "response_only"])
            XCTAssertEqual(try JSONDecoder().decode(RewardSpec.self, from: data), spec, preset.rawValue)
        }
    }

    func testBadValuesGiveClearErrors() {
        XCTAssertThrowsError(try decode(#"{"correctness": {"granularity": "medium"}}"#)) { error in
            XCTAssertTrue("\(error)".contains("expected one of original, finegrained, intermediate, coarse"), "\(error)")
        }
        XCTAssertThrowsError(try decode(#"{"preset": "orignal"}"#)) { error in
            XCTAssertTrue("\(error)".contains("dynamic_length"), "\(error)")
        }
        XCTAssertThrowsError(try decode(#"{"scale": {"format": [1, 0]}}"#)) { error in
            XCTAssertTrue("\(error)".contains("min <= max"), "\(error)")
        }
        XCTAssertThrowsError(try decode(#"{"scale": {"format": [0, 1, 2]}}"#))
        XCTAssertThrowsError(try decode(#"{"schedule": "linear"}"#)) { error in
            XCTAssertTrue("\(error)".contains("constant, two_stage, dynamic, cosine, piecewise"), "\(error)")
        }
        XCTAssertThrowsError(try decode(#"{"schedule": [[0.5, 0], [0.2, 1]]}"#)) { error in
            XCTAssertTrue("\(error)".contains("non-decreasing"), "\(error)")
        }
        XCTAssertThrowsError(try decode(#"{"fidelity": "code"}"#))
    }

    func testJSONRewardFilesReportUnknownKeysAtTheirLocation() throws {
        func decode(_ json: String) throws -> RewardSpec { try RewardSpec.decode(try JSONTreeParser.parse(json, file: "r.json")) }
        XCTAssertEqual(try decode(#"{"preset": "coarse"}"#).correctness.granularity, .coarse)
        XCTAssertEqual(try decode(#"{"reward": {"preset": "equal_max"}}"#), RewardSpec(preset: .equalMax))
        XCTAssertThrowsError(try decode(#"{"correctness": {"granularty": "coarse"}}"#)) { error in
            XCTAssertEqual("\(error)", "r.json:1:18: error: unknown key 'granularty' in 'correctness' (did you mean 'granularity'?)")
        }
        XCTAssertThrowsError(try decode("{\n  \"preset\": }")) { error in
            XCTAssertTrue("\(error)".hasPrefix("r.json:2:"), "\(error)")
        }
        XCTAssertThrowsError(try decode(#"{"correctness": {"granularity": "fine"}}"#)) { error in
            XCTAssertTrue("\(error)".hasPrefix("r.json:1:18: error: invalid value for 'correctness.granularity'"), "\(error)")
        }
    }
}
