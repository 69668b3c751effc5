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
}
