import TestSupport
import XCTest
@testable import Basics
@testable import Config
@testable import RunStore
@testable import Sweep

final class LedgerTests: XCTestCase {
    func testRecordWritesStoreEntriesOnceAndSharesThemAcrossSweeps() throws {
        let directory = TemporaryDirectory()
        let ledger = Ledger(root: directory.path + "/runs")
        let planner = SweepPlanner(resolver: ToyRunConfig.resolver)
        let specA = directory.write("a.yaml", "sweep: a\ngrid: {train.lr: [0.001, 0.002]}\n")
        let specB = directory.write("b.yaml", "sweep: b\nconfig: {train.lr: 1e-3}\n")
        let planA = try planner.plan(try SweepSpec.load(file: specA))
        let planB = try planner.plan(try SweepSpec.load(file: specB))
        try ledger.record(planA, specBytes: Data(contentsOf: URL(fileURLWithPath: specA)))
        try ledger.updateState(planA.runs[0].id) { $0.state = .done }
        try ledger.record(planB, specBytes: Data(contentsOf: URL(fileURLWithPath: specB)))

        let entries = try FileManager.default.contentsOfDirectory(atPath: ledger.storePath)
        XCTAssertEqual(Set(entries), Set(planA.runs.map(\.id)))
        XCTAssertEqual(ledger.readState(planB.runs[0].id)?.state, .done, "recording another sweep must not reset a shared run")
        XCTAssertEqual(ledger.readState(planA.runs[1].id)?.state, .pending)
        XCTAssertEqual(ledger.readState(planA.runs[1].id)?.totalSteps, 100)
        XCTAssertEqual(try String(contentsOfFile: ledger.sweepDirectory("b") + "/spec.yaml", encoding: .utf8), "sweep: b\nconfig: {train.lr: 1e-3}\n")
        let plan = try ledger.readPlan(sweep: "a")
        XCTAssertEqual(plan.runs.map(\.id), planA.runs.map(\.id))
        XCTAssertEqual(plan.runs[1].labels, ["train.lr": "0.002"])
        // config.json records the fully resolved config (defaults too); the id is its identity.
        let config = try JSONTreeParser.parse(try Data(contentsOf: URL(fileURLWithPath: ledger.configPath(planA.runs[0].id))))
        XCTAssertEqual(config.value(atPath: "train.warmup")?.scalar, .int(0))
        XCTAssertEqual(try ToyRunConfig.resolver.identity(of: config).id, planA.runs[0].id)
    }

    /// A config.json written by an earlier version lacks the keys added since (at their default):
    /// it is the same run, so planning again accepts it, and rewrites it while the run is not done.
    /// A value changed by hand is still refused.
    func testAnEarlierVersionsConfigIsTheSameRunAndAnEditedOneIsNot() throws {
        let directory = TemporaryDirectory()
        let ledger = Ledger(root: directory.path + "/runs")
        let spec = directory.write("s.yaml", "sweep: s\ngrid: {train.lr: [0.001, 0.002]}\n")
        let plan = try SweepPlanner(resolver: ToyRunConfig.resolver).plan(try SweepSpec.load(file: spec))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: spec))
        try ledger.record(plan, specBytes: bytes)
        try ledger.updateState(plan.runs[0].id) { $0.state = .done }
        func rewrite(_ id: String, _ edit: (inout String) -> Void) throws -> String {
            var text = try String(contentsOfFile: ledger.configPath(id), encoding: .utf8)
            edit(&text)
            try text.write(toFile: ledger.configPath(id), atomically: true, encoding: .utf8)
            return text
        }
        // `train.warmup` (default 0) as if it did not exist yet.
        let older = try plan.runs.map { run in
            try rewrite(run.id) { $0 = $0.replacingOccurrences(of: ",\n    \"warmup\": 0", with: "") }
        }
        XCTAssertFalse(older[0].contains("warmup"), older[0])
        try ledger.record(plan, specBytes: bytes)
        XCTAssertEqual(try String(contentsOfFile: ledger.configPath(plan.runs[0].id), encoding: .utf8), older[0],
                       "a done run keeps the config.json it ran with")
        XCTAssertTrue(try String(contentsOfFile: ledger.configPath(plan.runs[1].id), encoding: .utf8).contains("warmup"),
                      "a run not yet done gets today's config.json")

        _ = try rewrite(plan.runs[1].id) { $0 = $0.replacingOccurrences(of: #""lr": 0.002"#, with: #""lr": 0.003"#) }
        XCTAssertThrowsError(try ledger.record(plan, specBytes: bytes)) { error in
            XCTAssertTrue("\(error)".contains("edited by hand"), "\(error)")
        }
    }
}
