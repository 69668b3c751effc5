import TestSupport
import XCTest

/// `ablate report` end to end on a finished fake-worker sweep: `--metric` replaces the spec's
/// metrics (repeated, one section each), and a malformed metric is bad input (exit 2).
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
        XCTAssertTrue(spec.output.contains("Metric `eval.overall.accuracy`;"), spec.output)

        let swapped = try harness.ablate(["report", "r.yaml", "--runs", "runs", "--format", "md", "--metric", "train.reward"])
        XCTAssertEqual(swapped.status, 0, swapped.output)
        XCTAssertTrue(swapped.output.contains("Metric `train.reward`;"), swapped.output)
        XCTAssertFalse(swapped.output.contains("eval.overall.accuracy"), swapped.output)

        let both = try harness.ablate(["report", "r.yaml", "--runs", "runs", "--format", "md",
                                       "--metric", "train.reward", "--metric", "eval.overall.accuracy"])
        XCTAssertEqual(both.status, 0, both.output)
        XCTAssertTrue(both.output.contains("Metrics `train.reward`, `eval.overall.accuracy` (one section each)"), both.output)
        XCTAssertTrue(both.output.contains("## Ablation (reward, last per run)"), both.output)
        XCTAssertTrue(both.output.contains("## Ablation (accuracy, last per run)"), both.output)
        XCTAssertTrue(both.output.contains("### Per seed: `eval.overall.accuracy`"), both.output)

        let bad = try harness.ablate(["report", "r.yaml", "--runs", "runs", "--format", "md", "--metric", "eval"])
        XCTAssertEqual(bad.status, 2, bad.output)
        XCTAssertTrue(bad.output.contains("--metric eval:"), bad.output)
    }
}
