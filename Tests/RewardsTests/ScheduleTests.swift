import XCTest
@testable import Rewards

final class ScheduleTests: XCTestCase {
    func testWeightCurvesHitTheirEndpoints() {
        for kind in [ScheduleKind.dynamic, .cosine] {
            let schedule = ScheduleSpec(kind: kind)
            XCTAssertEqual(schedule.weight(progress: 0), 0, accuracy: 1e-15, kind.rawValue)
            XCTAssertEqual(schedule.weight(progress: 1), 1, accuracy: 1e-15, kind.rawValue)
            XCTAssertEqual(schedule.weight(progress: 0.5), 0.5, accuracy: 1e-12, kind.rawValue)
            XCTAssertEqual(schedule.weight(progress: -3), 0, accuracy: 1e-15, "progress is clamped")
            XCTAssertEqual(schedule.weight(progress: 7), 1, accuracy: 1e-15, "progress is clamped")
        }
        XCTAssertEqual(ScheduleSpec(kind: .constant).weight(progress: 0), 1)
        let twoStage = ScheduleSpec(kind: .twoStage)
        XCTAssertEqual(twoStage.weight(progress: 0), 0)
        XCTAssertEqual(twoStage.weight(progress: 29.0 / 105), 0)
        XCTAssertEqual(twoStage.weight(progress: 30.0 / 105), 1)
        XCTAssertEqual(twoStage.weight(progress: 1), 1)
        var piecewise = ScheduleSpec(kind: .piecewise)
        piecewise.points = [[0.2, 0.1], [0.5, 1], [0.8, 0.4]]
        XCTAssertEqual(piecewise.weight(progress: 0), 0.1)
        XCTAssertEqual(piecewise.weight(progress: 0.2), 0.1)
        XCTAssertEqual(piecewise.weight(progress: 0.35), 0.55, accuracy: 1e-12)
        XCTAssertEqual(piecewise.weight(progress: 0.8), 0.4)
        XCTAssertEqual(piecewise.weight(progress: 1), 0.4)
    }

    func testPaperRangesRunFromStartToEnd() throws {
        for preset in [RewardPreset.twoStage, .dynamicScale] {
            let reward = try ToolCallReward(spec: RewardSpec(preset: preset))
            let (start, end) = reward.spec.schedule.resolvedRanges(scale: reward.spec.scale)
            let first = reward.ranges(step: 0, totalSteps: 200)
            let last = reward.ranges(step: 200, totalSteps: 200)
            XCTAssertEqual(first.format, start.format, preset.rawValue)
            XCTAssertEqual(first.correctness, start.correctness, preset.rawValue)
            XCTAssertEqual(last.format, end.format, preset.rawValue)
            XCTAssertEqual(last.correctness, end.correctness, preset.rawValue)
        }
        let dynamic = try ToolCallReward(spec: RewardSpec(preset: .dynamicScale))
        XCTAssertEqual(dynamic.ranges(step: 0, totalSteps: 10).format, ScaleRange(-2, 2))
        XCTAssertEqual(dynamic.ranges(step: 10, totalSteps: 10).format, ScaleRange(-1, 1))
        XCTAssertEqual(dynamic.ranges(step: 10, totalSteps: 10).correctness, ScaleRange(-3, 3))
    }

    /// The original code's schedule constants (30, 150) and clamps (docs/rewards.md, "The two
    /// fidelities").
    func testToolRLCodeSchedules() throws {
        let dynamic = try ToolCallReward(spec: RewardSpec(preset: .dynamicScale, fidelity: .toolrlCode))
        XCTAssertEqual(dynamic.ranges(step: 0, totalSteps: 105).format, ScaleRange(-2, 2))
        XCTAssertEqual(dynamic.ranges(step: 0, totalSteps: 105).correctness, ScaleRange(-2, 2))
        let at75 = dynamic.ranges(step: 75, totalSteps: 105)
        XCTAssertEqual(at75.format.min, -1, accuracy: 1e-12)
        XCTAssertEqual(at75.format.max, 1.5, accuracy: 1e-12)
        XCTAssertEqual(at75.correctness.max, 2.5, accuracy: 1e-12)
        let at105 = dynamic.ranges(step: 105, totalSteps: 105)
        XCTAssertEqual(at105.format.max, 1.3, accuracy: 1e-12)
        XCTAssertEqual(at105.correctness.min, -2.7, accuracy: 1e-12)
        let at150 = dynamic.ranges(step: 150, totalSteps: 105)
        XCTAssertEqual(at150.format, ScaleRange(-1, 1))
        XCTAssertEqual(at150.correctness, ScaleRange(-3, 3))
        XCTAssertEqual(dynamic.ranges(step: 400, totalSteps: 105).correctness, ScaleRange(-3, 3), "clamped")

        let twoStage = try ToolCallReward(spec: RewardSpec(preset: .twoStage, fidelity: .toolrlCode))
        XCTAssertEqual(twoStage.ranges(step: 29, totalSteps: 1000).correctness, ScaleRange(-1, 1))
        XCTAssertEqual(twoStage.ranges(step: 29, totalSteps: 1000).format, ScaleRange(0, 1))
        XCTAssertEqual(twoStage.ranges(step: 30, totalSteps: 1000).correctness, ScaleRange(-3, 3))
        XCTAssertEqual(twoStage.ranges(step: 30, totalSteps: 1000).format, ScaleRange(0, 0.5))
    }

    func testCodeLengthTargetGrows384To640() throws {
        let reward = try ToolCallReward(spec: RewardSpec(preset: .dynamicLength, fidelity: .toolrlCode))
        let think = "<think> " + Array(repeating: "w", count: 384).joined(separator: " ") + " </think>"
        XCTAssertEqual(reward.score(gold: "<think> g </think>", completion: think, step: 0, totalSteps: 105).length, 1)
        // 384 / 640 = 0.6 at step 105.
        XCTAssertEqual(reward.score(gold: "<think> g </think>", completion: think, step: 105, totalSteps: 105).length, 0.6)
    }

    func testToolRLCodeRejectsExplicitStartForItsHardCodedSchedules() {
        var spec = RewardSpec(preset: .dynamicScale, fidelity: .toolrlCode)
        spec.schedule.start = ScheduleRanges(format: ScaleRange(-5, 5), correctness: ScaleRange(-5, 5))
        XCTAssertThrowsError(try ToolCallReward(spec: spec)) { error in
            XCTAssertTrue("\(error)".contains("toolrl-code"), "\(error)")
        }
        spec.fidelity = .paper
        XCTAssertNoThrow(try ToolCallReward(spec: spec))
    }

    func testToolRLCodeRejectsSettingsTheOriginalHardCodes() {
        var changes: [(inout RewardSpec) -> Void] = []
        changes.append { $0.schedule = ScheduleSpec(kind: .twoStage); $0.schedule.switchProgress = 0.5 }
        changes.append { $0.length.enabled = true; $0.length.target = 300 }
        changes.append { $0.correctness.values = .strict }
        changes.append { $0.correctness.responseOnly = .abstain }
        for change in changes {
            var spec = RewardSpec(preset: .original, fidelity: .toolrlCode)
            change(&spec)
            XCTAssertThrowsError(try ToolCallReward(spec: spec)) { error in
                XCTAssertTrue("\(error)".contains("fidelity paper"), "\(error)")
            }
            spec.fidelity = .paper
            XCTAssertNoThrow(try ToolCallReward(spec: spec))
        }
    }
}
