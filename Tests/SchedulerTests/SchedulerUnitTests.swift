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

    func testLastLinesSkipAPartialLineAndReadTheStep() throws {
        let directory = NSTemporaryDirectory() + "ablate-runfiles-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "{\"kind\": \"train\", \"step\": 1}\n{\"kind\": \"train\", \"step\": 2}\n{\"kind\": \"tr".write(toFile: directory + "/metrics.jsonl", atomically: true, encoding: .utf8)
        XCTAssertEqual(RunFiles.lastStep(in: directory), 2)
        XCTAssertEqual(RunFiles.lastLines(of: directory + "/metrics.jsonl", count: 5).count, 2)
        XCTAssertNil(RunFiles.lastStep(in: directory + "/missing"))
    }
}
