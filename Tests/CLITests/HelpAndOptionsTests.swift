import TestSupport
import XCTest

/// The command line itself: grouped help without the internal worker, and typed options whose
/// bad values are bad input (exit 2) before anything runs.
final class HelpAndOptionsTests: XCTestCase {
    func testHelpGroupsCommandsAndHidesTheWorker() throws {
        let harness = try SweepHarness()
        let help = try harness.ablate(["--help"])
        XCTAssertEqual(help.status, 0, help.output)
        let sweep = try XCTUnwrap(help.output.range(of: "SWEEP SUBCOMMANDS:"), help.output)
        let single = try XCTUnwrap(help.output.range(of: "SINGLE RUN SUBCOMMANDS:"), help.output)
        for command in ["plan", "run", "status", "report"] {
            let line = try XCTUnwrap(help.output.range(of: "\n  \(command) "), command)
            XCTAssertTrue(line.lowerBound >= sweep.upperBound && line.lowerBound < single.lowerBound, "\(command) is a sweep command")
        }
        for command in ["train", "score", "bench"] {
            let line = try XCTUnwrap(help.output.range(of: "\n  \(command) "), command)
            XCTAssertTrue(line.lowerBound >= single.upperBound, "\(command) is a single-run command")
        }
        XCTAssertFalse(help.output.contains("\n  worker "), "the scheduler's worker command is not listed")
        let worker = try harness.ablate(["worker", "--help"])
        XCTAssertEqual(worker.status, 0, "the hidden command still runs")
    }

    func testTypedOptionsRejectBadValuesWithExit2() throws {
        let harness = try SweepHarness()
        harness.write("t.yaml", "sweep: typed\n")
        let timeout = try harness.ablate(["run", "t.yaml", "--timeout", "soon"])
        XCTAssertEqual(timeout.status, 2, timeout.output)
        XCTAssertTrue(timeout.output.contains("'soon' is invalid for '--timeout"), timeout.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: harness.root + "/runs/typed"), "nothing ran")
        let fidelity = try harness.ablate(["score", "--reward", "original", "--fidelity", "code"])
        XCTAssertEqual(fidelity.status, 2, fidelity.output)
        XCTAssertTrue(fidelity.output.contains("'paper' and 'toolrl-code'"), fidelity.output)
        let sweep = try harness.ablate(["report", "--sweep", "../elsewhere"])
        XCTAssertEqual(sweep.status, 2, sweep.output)
        XCTAssertTrue(sweep.output.contains("--sweep takes a sweep name"), sweep.output)
    }
}
