import TestSupport
import XCTest
@testable import Config
@testable import Sweep

/// `ablate plan` end to end: the table, the counts, `--json`, warnings and errors.
final class PlanCommandTests: XCTestCase {
    func testPlanListsRunsWithStateAndCounts() throws {
        let harness = try SweepHarness()
        harness.write("p.yaml", """
            sweep: listed
            seeds: 2
            grid:
              reward.preset: [original, coarse]
            exclude:
              - {reward.preset: coarse, seed: 1}
              - {reward.preset: coarze}
            """)
        let first = try harness.ablate(["plan", "p.yaml", "--runs", "runs"])
        XCTAssertEqual(first.status, 0, first.output)
        XCTAssertTrue(first.output.contains("sweep listed: 3 runs planned, 1 excluded, 0 of 3 unique runs already done"), first.output)
        XCTAssertTrue(first.output.contains("p.yaml:7:5: warning: this exclude entry matches no run: 'reward.preset' has no value 'coarze' (did you mean 'coarse'?)"), first.output)
        let plan = try harness.plan("p.yaml")
        XCTAssertTrue(first.output.contains("\(plan.runs[2].shortID)  pending  0     coarse"), first.output)

        XCTAssertEqual(try harness.runSweep("p.yaml").status, 0)
        let json = try harness.ablate(["plan", "p.yaml", "--runs", "runs", "--json"])
        XCTAssertEqual(json.status, 0)
        let start = try XCTUnwrap(json.output.firstIndex(of: "{"))
        let tree = try JSONTreeParser.parse(String(json.output[start...]))
        XCTAssertEqual(tree["done"]?.scalar, .int(3))
        XCTAssertEqual(tree["excluded"]?.scalar, .int(1))
        XCTAssertEqual(tree["runs"]?.items?.compactMap { $0["state"]?.string }, ["done", "done", "done"])
        XCTAssertEqual(tree["runs"]?.items?.first?["id"]?.string, plan.runs[0].id)
    }

    /// `ablate items`: a config's task items as text, the same for the same seed.
    func testItemsPrintsTheTaskOfAConfig() throws {
        let harness = try SweepHarness()
        harness.write("task.yaml", "task: {preset: tiny, catalog: world, world_tools: 60, tools_per_prompt: 3}\n")
        let text = try harness.ablate(["items", "task.yaml", "--split", "seen", "--count", "2"])
        XCTAssertEqual(text.status, 0, text.output)
        XCTAssertTrue(text.output.contains("=== seen-00000") && text.output.contains("=== seen-00001"), text.output)
        XCTAssertFalse(text.output.contains("seen-00002"))
        XCTAssertEqual(text.output.components(separatedBy: "<|assistant|>").count, 3)
        XCTAssertEqual(try harness.ablate(["items", "task.yaml", "--split", "seen", "--count", "2"]).output, text.output)
        XCTAssertNotEqual(try harness.ablate(["items", "task.yaml", "--split", "seen", "--count", "2", "--seed", "1"]).output, text.output)
        let bad = try harness.ablate(["items", "task.yaml", "--split", "sene"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.output.contains("unknown split 'sene'"), bad.output)
    }

    func testPlanReportsRunConfigErrorsAtTheirLocationAndExits2() throws {
        let harness = try SweepHarness()
        harness.write("bad.yaml", "sweep: bad\nconfig:\n  train:\n    lr: fast\n  reward.correctness.granularty: coarse\n")
        let result = try harness.ablate(["plan", "bad.yaml", "--runs", "runs"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.output.contains("bad.yaml:4:9: error: expected a number, found \"fast\""), result.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: harness.root + "/runs/bad/plan.json"), "nothing is recorded for a bad spec")
    }
}
