import TestSupport
import XCTest

/// `ablate report` end to end on a finished fake-worker sweep: `--metric` replaces the spec's
/// headline metric, and a malformed metric is bad input (exit 2).
final class ReportCommandTests: XCTestCase {
    func testMetricOptionReplacesTheHeadlineAndRejectsBadPaths() throws {
        let harness = try SweepHarness()
        harness.write("r.yaml", """
            sweep: reported
            seeds: 2
            grid:
              reward.preset: [original, coarse]
            report:
              metric: eval.overall.accuracy
            """)
        XCTAssertEqual(try harness.runSweep("r.yaml").status, 0)

        let spec = try harness.ablate(["report", "r.yaml", "--runs", "runs", "--format", "md"])
        XCTAssertEqual(spec.status, 0, spec.output)
        XCTAssertTrue(spec.output.contains("Headline metric `eval.overall.accuracy`"), spec.output)

        let swapped = try harness.ablate(["report", "r.yaml", "--runs", "runs", "--format", "md", "--metric", "train.reward"])
        XCTAssertEqual(swapped.status, 0, swapped.output)
        XCTAssertTrue(swapped.output.contains("Headline metric `train.reward`"), swapped.output)
        XCTAssertFalse(swapped.output.contains("eval.overall.accuracy"), swapped.output)

        let bad = try harness.ablate(["report", "r.yaml", "--runs", "runs", "--format", "md", "--metric", "eval"])
        XCTAssertEqual(bad.status, 2, bad.output)
        XCTAssertTrue(bad.output.contains("--metric eval:"), bad.output)
    }
}
