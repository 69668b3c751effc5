import Foundation
import XCTest
@testable import Training

final class LearningRateScheduleTests: XCTestCase {
    func testCosineWithWarmup() {
        let schedule = LearningRateSchedule(peak: 1.0, warmupSteps: 4, totalSteps: 12, shape: .cosine, minimumRatio: 0.1)
        XCTAssertEqual(schedule.rate(atStep: 1), 0.25, accuracy: 1e-12)
        XCTAssertEqual(schedule.rate(atStep: 2), 0.5, accuracy: 1e-12)
        XCTAssertEqual(schedule.rate(atStep: 4), 1.0, accuracy: 1e-12)
        // Halfway through the decay: min + ½(peak − min)(1 + cos(π/2)) = 0.1 + 0.45.
        XCTAssertEqual(schedule.rate(atStep: 8), 0.55, accuracy: 1e-12)
        // A quarter: 0.1 + 0.45(1 + cos(π/4)).
        XCTAssertEqual(schedule.rate(atStep: 6), 0.1 + 0.45 * (1 + 0.5.squareRoot()), accuracy: 1e-12)
        XCTAssertEqual(schedule.rate(atStep: 12), 0.1, accuracy: 1e-12)
    }

    func testConstantWithWarmup() {
        let schedule = LearningRateSchedule(peak: 3e-4, warmupSteps: 10, totalSteps: 100, shape: .constant, minimumRatio: 0.1)
        XCTAssertEqual(schedule.rate(atStep: 5), 1.5e-4, accuracy: 1e-15)
        XCTAssertEqual(schedule.rate(atStep: 10), 3e-4, accuracy: 1e-15)
        XCTAssertEqual(schedule.rate(atStep: 100), 3e-4, accuracy: 1e-15)
    }

    func testNoWarmupStartsAtPeak() {
        let schedule = LearningRateSchedule(peak: 2, warmupSteps: 0, totalSteps: 2, shape: .cosine, minimumRatio: 0)
        XCTAssertEqual(schedule.rate(atStep: 1), 1, accuracy: 1e-12)   // p = 1/2
        XCTAssertEqual(schedule.rate(atStep: 2), 0, accuracy: 1e-12)
    }

    /// `lr_schedule_steps` above `steps`: the run follows the longer run's schedule and stops
    /// part-way; unset, the schedule spans `steps`; below 1 it is refused.
    func testScheduleStepsSpanALongerRun() throws {
        func train(_ json: String) throws -> TrainConfig { try JSONDecoder().decode(TrainConfig.self, from: Data(json.utf8)) }
        let long = LearningRateSchedule(train: try train(#"{"steps": 80, "warmup": 5, "lr_schedule": "cosine", "lr": 0.01}"#))
        let part = LearningRateSchedule(train: try train(#"{"steps": 30, "lr_schedule_steps": 80, "warmup": 5, "lr_schedule": "cosine", "lr": 0.01}"#))
        let own = LearningRateSchedule(train: try train(#"{"steps": 30, "warmup": 5, "lr_schedule": "cosine", "lr": 0.01}"#))
        for step in 1...30 { XCTAssertEqual(part.rate(atStep: step), long.rate(atStep: step), accuracy: 1e-15) }
        XCTAssertEqual(own.rate(atStep: 30), 0.001, accuracy: 1e-12)
        XCTAssertGreaterThan(part.rate(atStep: 30), 0.005)
        XCTAssertThrowsError(try train(#"{"lr_schedule_steps": 0}"#))
    }
}
