import XCTest
@testable import External
@testable import RunStore
@testable import Scheduler
@testable import Sweep
@testable import ToolUse
@testable import Training
#if canImport(Glibc)
import Glibc
#endif

/// External trainers end to end: `ablate run` over a sweep whose runs are real Python processes
/// (`examples/bandit/bandit_trainer.py`, standard library only) that learn from the run's reward
/// served by the worker.
final class ExternalSweepTests: XCTestCase {
    func spec(name: String, extra: String = "", arguments: String = "", gpus: Int = 0) -> String {
        """
        sweep: \(name)
        config:
          task: {preset: tiny}
          train: {steps: 16, batch_size: 4, group_size: 4, lr: 2.0, checkpoint_every: 2}
          eval: {every: 8, max_items: 4}
          trainer:
            command: [python3, "{launch_dir}/bandit_trainer.py", "--lr-seen", "{config.train.lr}"\(arguments)]
            resumable: true
            gpus: \(gpus)
        seeds: 2
        grid:
          reward.preset: [original, coarse]
        \(extra)
        """
    }

    /// The trainer under test, copied next to the spec (so `{launch_dir}` finds it) with an
    /// option that checks the placeholder expansion.
    func prepare(_ harness: ExternalHarness) throws {
        var source = try String(contentsOfFile: ExternalHarness.banditTrainer, encoding: .utf8)
        source = source.replacingOccurrences(of: "os.path.join(os.path.dirname(os.path.abspath(__file__)), \"..\", \"..\", \"python\")",
                                             with: "\"\(ExternalHarness.pythonDirectory)\"")
        source = source.replacingOccurrences(of: "    options = parser.parse_args()",
                                             with: "    parser.add_argument(\"--lr-seen\", type=float)\n    options = parser.parse_args()\n    assert options.lr_seen == 2.0, options.lr_seen")
        harness.write("bandit_trainer.py", source)
    }

    func lines(_ path: String) -> [JSONValue] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) }
    }

    func plan(_ harness: ExternalHarness, _ file: String) throws -> SweepPlan {
        try SweepPlanner(resolver: RunConfig.resolver).plan(try SweepSpec.load(file: harness.root + "/" + file))
    }

    /// The sweep trains, the reward rises, the report has its rows; a sweep killed with SIGKILL
    /// (scheduler, workers and trainers) and one stopped with ^C resume to the same metrics.
    func testSweepLearnsReportsAndResumesAfterSIGKILLAndInterrupt() throws {
        let harness = try ExternalHarness()
        try prepare(harness)
        harness.write("bandit.yaml", spec(name: "bandit", extra: "report: {metric: eval.overall.accuracy}"))
        let reference = try harness.ablate(["run", "bandit.yaml", "--runs", "reference", "--jobs", "2"])
        XCTAssertEqual(reference.status, 0, reference.output)
        let plan = try plan(harness, "bandit.yaml")
        XCTAssertEqual(plan.runs.count, 4)
        let store = Ledger(root: harness.root + "/reference")
        for run in plan.runs {
            let directory = store.runDirectory(run.id)
            XCTAssertEqual(store.readState(run.id)?.state, .done, run.row)
            let train = lines(directory + "/metrics.jsonl").filter { $0["kind"]?.stringValue == "train" }
            XCTAssertEqual(train.compactMap { $0["step"] }.map { $0.dumps() }, (1...16).map(String.init))
            func number(_ value: JSONValue?) -> Double {
                switch value { case .double(let x)?: return x; case .integer(let i)?: return Double(i); default: return .nan }
            }
            let rewards = train.map { number($0["reward"]) }
            let early = rewards.prefix(4).reduce(0, +) / 4, late = rewards.suffix(4).reduce(0, +) / 4
            XCTAssertGreaterThan(late, early + 0.5, "\(run.row): the reward rises (\(rewards))")
            XCTAssertLessThan(number(train.last?["entropy"]), number(train.first?["entropy"]) / 2, run.row)
            let final = try JSONValue.parse(try String(contentsOfFile: directory + "/eval.json", encoding: .utf8))
            XCTAssertEqual(final["step"]?.dumps(), "16")
            XCTAssertEqual(number(final["splits"]?["overall"]?["accuracy"]), 1.0, "\(run.row): the greedy answer is the gold one")
            XCTAssertTrue(FileManager.default.fileExists(atPath: directory + "/task/train.jsonl"))
        }
        let report = try harness.ablate(["report", "bandit.yaml", "--runs", "reference", "--format", "md"])
        XCTAssertEqual(report.status, 0, report.output)
        XCTAssertTrue(report.output.contains("4 runs: 4 done"), report.output)
        XCTAssertTrue(report.output.contains("| original | **1.000 ± 0.000**"), report.output)
        XCTAssertTrue(report.output.contains("| coarse | **1.000 ± 0.000**"), report.output)

        // Killed mid-run: every trainer waits at a gate after step 3 (its checkpoint is at step 2,
        // so step 3 is written twice); SIGKILL everything once all are there.
        let gate = harness.root + "/gate"
        let (scheduler, _) = try harness.start(ExternalHarness.ablate, ["run", "bandit.yaml", "--runs", "runs", "--jobs", "4"],
                                               environment: ["BANDIT_GATE": gate, "BANDIT_GATE_STEP": "3"])
        let ledger = Ledger(root: harness.root + "/runs")
        harness.waitUntil("every trainer has written three steps", limit: 120, while: scheduler) {
            plan.runs.allSatisfy { lines(ledger.runDirectory($0.id) + "/metrics.jsonl").count >= 3 }
        }
        kill(scheduler.processIdentifier, SIGKILL)
        scheduler.waitUntilExit()
        for run in plan.runs {
            if let pid = ledger.readState(run.id)?.pid { kill(-pid, SIGKILL) }
        }
        harness.waitUntil("the killed workers and trainers released their claims") {
            plan.runs.allSatisfy { !RunClaim.isHeld(runDirectory: ledger.runDirectory($0.id)) }
        }
        XCTAssertTrue(plan.runs.allSatisfy { !FileManager.default.fileExists(atPath: ledger.runDirectory($0.id) + "/eval.json") })
        let resumed = try harness.ablate(["run", "bandit.yaml", "--runs", "runs", "--jobs", "2"])
        XCTAssertEqual(resumed.status, 0, resumed.output)
        for run in plan.runs {
            let directory = ledger.runDirectory(run.id)
            XCTAssertEqual(ledger.readState(run.id)?.state, .done, run.row)
            XCTAssertTrue(try String(contentsOfFile: directory + "/log.txt", encoding: .utf8).contains("bandit: resumed at step 2"), run.row)
            XCTAssertEqual(lines(directory + "/metrics.jsonl").map { $0.dumps() },
                           lines(store.runDirectory(run.id) + "/metrics.jsonl").map { $0.dumps() }, run.row)
            XCTAssertEqual(try String(contentsOfFile: directory + "/eval.json", encoding: .utf8),
                           try String(contentsOfFile: store.runDirectory(run.id) + "/eval.json", encoding: .utf8), run.row)
        }

        // ^C: SIGTERM reaches the trainers, which checkpoint at step 3 and exit; the runs are
        // paused, not failed, and the next `ablate run` resumes them from step 3.
        let (paused, _) = try harness.start(ExternalHarness.ablate, ["run", "bandit.yaml", "--runs", "paused", "--jobs", "4"],
                                            environment: ["BANDIT_GATE": gate, "BANDIT_GATE_STEP": "3"])
        let pausedLedger = Ledger(root: harness.root + "/paused")
        harness.waitUntil("every trainer has written three steps", limit: 120, while: paused) {
            plan.runs.allSatisfy { lines(pausedLedger.runDirectory($0.id) + "/metrics.jsonl").count >= 3 }
        }
        kill(paused.processIdentifier, SIGINT)
        paused.waitUntilExit()
        XCTAssertEqual(paused.terminationStatus, 130)
        XCTAssertTrue(plan.runs.allSatisfy { pausedLedger.readState($0.id)?.state == .pending })
        let continued = try harness.ablate(["run", "bandit.yaml", "--runs", "paused", "--jobs", "4"])
        XCTAssertEqual(continued.status, 0, continued.output)
        for run in plan.runs {
            let directory = pausedLedger.runDirectory(run.id)
            XCTAssertTrue(try String(contentsOfFile: directory + "/log.txt", encoding: .utf8).contains("bandit: resumed at step 3"), run.row)
            XCTAssertEqual(lines(directory + "/metrics.jsonl").map { $0.dumps() },
                           lines(store.runDirectory(run.id) + "/metrics.jsonl").map { $0.dumps() }, run.row)
        }
    }

    /// A command that exits 3 fails with its status and log tail; one that writes a malformed
    /// metrics line fails naming file, line and field; the sweep goes on and exits 1.
    func testFailingAndMalformedCommandsAreRecordedWithTheirReasons() throws {
        let harness = try ExternalHarness()
        try prepare(harness)
        harness.write("bad.yaml", """
            sweep: bad
            config:
              task: {preset: tiny}
              train: {steps: 6, batch_size: 2, group_size: 2, lr: 1.0, checkpoint_every: 1}
              eval: {every: 0, max_items: 2}
              trainer:
                command: [python3, "{launch_dir}/bandit_trainer.py", "--lr-seen", "2.0"]
            variants:
              exits: {trainer.command: [python3, "{launch_dir}/bandit_trainer.py", "--lr-seen", "2.0", "--exit-at", "2:3"]}
              malformed: {trainer.command: [python3, "{launch_dir}/bandit_trainer.py", "--lr-seen", "2.0", "--malformed-at", "3"]}
              missing: {trainer.command: [no-such-trainer-program]}
            """)
        let result = try harness.ablate(["run", "bad.yaml", "--runs", "runs", "--jobs", "2"])
        XCTAssertEqual(result.status, 1, result.output)
        let plan = try plan(harness, "bad.yaml")
        let ledger = Ledger(root: harness.root + "/runs")
        func state(_ variant: String) throws -> StateFile {
            let run = try XCTUnwrap(plan.runs.first { $0.labels.contains { $0.label == variant } })
            return try XCTUnwrap(ledger.readState(run.id))
        }
        let exits = try state("exits")
        XCTAssertEqual(exits.state, .failed)
        XCTAssertTrue(exits.error?.contains("the trainer command exited with status 3") == true, exits.error ?? "")
        XCTAssertTrue(exits.error?.contains("bandit: exiting at step 2 on purpose") == true, exits.error ?? "")
        XCTAssertTrue(exits.lastLogLines.contains { $0.contains("exiting at step 2 on purpose") }, "\(exits.lastLogLines)")

        let malformed = try state("malformed")
        XCTAssertEqual(malformed.state, .failed)
        let directory = ledger.runDirectory(malformed.id)
        XCTAssertTrue(malformed.error?.contains("malformed output: \(directory)/metrics.jsonl:3: field \"reward\": expected a number or null, found \"high\"") == true,
                      malformed.error ?? "")

        let missing = try state("missing")
        XCTAssertEqual(missing.state, .failed)
        XCTAssertTrue(missing.error?.contains("'no-such-trainer-program' was not found on PATH") == true, missing.error ?? "")

        // A placeholder typo is a planning error at its file and line.
        harness.write("typo.yaml", spec(name: "typo").replacingOccurrences(of: "{config.train.lr}", with: "{config.train.lrr}"))
        let typo = try harness.ablate(["plan", "typo.yaml", "--runs", "runs"])
        XCTAssertEqual(typo.status, 2, typo.output)
        XCTAssertTrue(typo.output.contains("typo.yaml:") && typo.output.contains("unknown placeholder {config.train.lrr}"), typo.output)
    }

    /// Runs asking for GPUs share the pool (`--gpus`): never more at once than it holds, each with
    /// its own devices in CUDA_VISIBLE_DEVICES; a run asking for more than the pool fails.
    func testGPUPoolLimitsConcurrencyAndAssignsDevices() throws {
        let harness = try ExternalHarness()
        try prepare(harness)
        harness.write("gpu.yaml", spec(name: "gpu", gpus: 1).replacingOccurrences(of: "steps: 16", with: "steps: 3"))
        let result = try harness.ablate(["run", "gpu.yaml", "--runs", "runs", "--jobs", "4", "--gpus", "5,7"])
        XCTAssertEqual(result.status, 0, result.output)
        let plan = try plan(harness, "gpu.yaml")
        let ledger = Ledger(root: harness.root + "/runs")
        var deviceOf: [String: String] = [:]
        for run in plan.runs {
            let log = try String(contentsOfFile: ledger.runDirectory(run.id) + "/log.txt", encoding: .utf8)
            let device = try XCTUnwrap(log.components(separatedBy: "CUDA_VISIBLE_DEVICES=").dropFirst().first?.prefix(1))
            deviceOf[String(run.id.prefix(12))] = String(device)
        }
        XCTAssertEqual(Set(deviceOf.values).subtracting(["5", "7"]), [], "\(deviceOf)")
        // Replay the scheduler's start/done events: at most two runs at once, on distinct devices.
        var running: [String] = []
        for line in result.output.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard words.count >= 3, let id = deviceOf.keys.first(where: { $0 == words[2] }) else { continue }
            if words[1] == "start" {
                running.append(id)
                XCTAssertLessThanOrEqual(running.count, 2, result.output)
                XCTAssertEqual(Set(running.map { deviceOf[$0]! }).count, running.count, result.output)
            } else if words[1] == "done" {
                running.removeAll { $0 == id }
            }
        }
        XCTAssertEqual(running, [], result.output)

        harness.write("greedy.yaml", spec(name: "greedy", gpus: 3))
        let greedy = try harness.ablate(["run", "greedy.yaml", "--runs", "runs", "--gpus", "5,7"])
        XCTAssertEqual(greedy.status, 1, greedy.output)
        XCTAssertTrue(greedy.output.contains("needs 3 GPUs (trainer.gpus) but the pool has 2"), greedy.output)
    }
}
