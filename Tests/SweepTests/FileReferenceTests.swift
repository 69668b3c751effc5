import Basics
import RunStore
import TestSupport
import XCTest
@testable import Config
@testable import Sweep

/// Data files named by content: resolved against the file that names them, checked once, hashed
/// into run ids by content only, and refused at the key's location with the file's own message.
final class FileReferenceTests: XCTestCase {
    struct Damaged: Error, CustomStringConvertible { var description: String }

    /// The paths a resolver's cache checked.
    final class Checks: @unchecked Sendable { var paths: [String] = [] }

    /// An untyped resolver that resolves `task.data` first; a file starting with BAD is damaged.
    static func resolver(_ checks: Checks = Checks()) -> ConfigResolver {
        let cache = FileReferences.Cache { bytes, path in
            checks.paths.append(path)
            if bytes.starts(with: Array("BAD".utf8)) { throw Damaged(description: "\(path):1:1: damaged") }
        }
        return ConfigResolver.untyped.resolvingFiles(at: ["task.data"], cache: cache)
    }

    func testPathsResolveAgainstTheFileThatNamesThem() throws {
        let directory = TemporaryDirectory()
        for sub in ["sweeps/base", "data"] {
            try FileManager.default.createDirectory(atPath: directory.path + "/" + sub, withIntermediateDirectories: true)
        }
        directory.write("data/a.json", "[1]")
        directory.write("sweeps/base/base.yaml", "sweep: base\nconfig:\n  task: {data: ../../data/a.json}\n")
        let spec = directory.write("sweeps/s.yaml", "sweep: s\nextends: base/base.yaml\ngrid:\n  seed_offset: [1, 2]\n")
        let checks = Checks()
        let plan = try SweepPlanner(resolver: Self.resolver(checks)).plan(try SweepSpec.load(file: spec))
        let data = try XCTUnwrap(plan.runs[0].config.value(atPath: "task.data"))
        XCTAssertEqual(data["path"]?.string, "../../data/a.json", "the path as written")
        XCTAssertEqual(data["resolved"]?.string, directory.path + "/data/a.json", "relative to base.yaml, which names it")
        XCTAssertEqual(data["sha256"]?.string, SHA256.hex("[1]"))
        XCTAssertEqual(checks.paths, ["../../data/a.json"], "two runs, one file: read and checked once")
        XCTAssertTrue(plan.runs[0].identity.text.contains(#""data":{"sha256":"\#(SHA256.hex("[1]"))"}"#), plan.runs[0].identity.text)
        XCTAssertFalse(plan.runs[0].identity.text.contains("a.json"), "ids hash content, not paths")
    }

    func testIdsFollowContentNotPaths() throws {
        let directory = TemporaryDirectory()
        directory.write("one.json", "[1]")
        directory.write("copy.json", "[1]")
        directory.write("two.json", "[2]")
        func id(_ data: String) throws -> String {
            let spec = directory.write("s.yaml", "sweep: s\nconfig: {task.data: \(data)}\n")
            return try SweepPlanner(resolver: Self.resolver()).plan(try SweepSpec.load(file: spec)).runs[0].id
        }
        XCTAssertEqual(try id("one.json"), try id("copy.json"), "a copy elsewhere is the same data")
        XCTAssertNotEqual(try id("one.json"), try id("two.json"))
        let before = try id("one.json")
        directory.write("one.json", "[1, 1]")
        XCTAssertNotEqual(try id("one.json"), before, "an edited file makes new runs")
    }

    func testTheLedgerRecordsWhereAMovedFileIsNowUnlessTheRunIsDone() throws {
        let directory = TemporaryDirectory()
        directory.write("one.json", "[1]")
        directory.write("moved.json", "[1]")
        let ledger = Ledger(root: directory.path + "/runs")
        func record(_ data: String) throws -> PlannedRun {
            let spec = directory.write("s.yaml", "sweep: s\nconfig: {task.data: \(data)}\n")
            let plan = try SweepPlanner(resolver: Self.resolver()).plan(try SweepSpec.load(file: spec))
            try ledger.record(plan, specBytes: Data())
            return plan.runs[0]
        }
        func recordedPath(_ id: String) throws -> String? {
            try JSONTreeParser.parse(Data(contentsOf: URL(fileURLWithPath: ledger.configPath(id)))).value(atPath: "task.data.resolved")?.string
        }
        let first = try record("one.json")
        XCTAssertEqual(try record("moved.json").id, first.id)
        XCTAssertEqual(try recordedPath(first.id), directory.path + "/moved.json", "a pending run reads the file where it is now")
        try ledger.updateState(first.id) { $0.state = .done }
        _ = try record("one.json")
        XCTAssertEqual(try recordedPath(first.id), directory.path + "/moved.json", "a done run keeps the record it was trained with")
    }

    func testProblemsAreReportedAtTheKeyWithTheFilesOwnLocation() throws {
        let directory = TemporaryDirectory()
        directory.write("bad.json", "BAD")
        let missing = directory.write("m.yaml", "sweep: m\nconfig:\n  task:\n    data: nowhere.json\n")
        XCTAssertEqual(diagnosticText { try SweepPlanner(resolver: Self.resolver()).plan(try SweepSpec.load(file: missing)) },
                       "\(missing):4:5: error: task.data: nowhere.json: no such file (looked for \(directory.path)/nowhere.json)")
        let damaged = directory.write("d.yaml", "sweep: d\ngrid:\n  task.data: [bad.json]\n")
        XCTAssertEqual(diagnosticText { try SweepPlanner(resolver: Self.resolver()).plan(try SweepSpec.load(file: damaged)) },
                       "\(damaged):3:3: error: task.data: bad.json:1:1: damaged")
        let number = directory.write("n.yaml", "sweep: n\nconfig: {task: {data: 5}}\n")
        XCTAssertEqual(diagnosticText { try SweepPlanner(resolver: Self.resolver()).plan(try SweepSpec.load(file: number)) },
                       "\(number):2:17: error: 'task.data' takes a file path, found 5")
    }

    func testARecordedReferenceMustStillHaveItsContent() throws {
        let directory = TemporaryDirectory()
        let file = directory.write("a.json", "[1]")
        func tree(_ hash: String) throws -> ConfigTree {
            try JSONTreeParser.parse(#"{"task": {"data": {"path": "a.json", "resolved": "\#(file)", "sha256": "\#(hash)"}}}"#)
        }
        let resolved = try Self.resolver().resolve(try tree(SHA256.hex("[1]")))
        XCTAssertEqual(resolved.value(atPath: "task.data.resolved")?.string, file)
        XCTAssertThrowsError(try Self.resolver().resolve(try tree("0123456789abcdef"))) { error in
            XCTAssertTrue("\(error)".contains("task.data 'a.json' (\(file)) has changed since this config was recorded (sha256 0123456789ab… then, "), "\(error)")
        }
    }
}
