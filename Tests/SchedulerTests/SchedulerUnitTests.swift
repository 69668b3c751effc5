import XCTest
@testable import Scheduler

final class SchedulerUnitTests: XCTestCase {
    func testDurations() {
        XCTAssertEqual(SchedulerOptions.parseDuration("90"), 90)
        XCTAssertEqual(SchedulerOptions.parseDuration("90s"), 90)
        XCTAssertEqual(SchedulerOptions.parseDuration("30m"), 1800)
        XCTAssertEqual(SchedulerOptions.parseDuration("1.5h"), 5400)
        XCTAssertEqual(SchedulerOptions.parseDuration("2d"), 172_800)
        XCTAssertNil(SchedulerOptions.parseDuration("soon"))
        XCTAssertNil(SchedulerOptions.parseDuration("-3s"))
        XCTAssertEqual(SchedulerOptions.describeDuration(1800), "30m")
    }
}
