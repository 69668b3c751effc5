import Foundation
import Report
import XCTest

/// Writes small hand-specified ledgers (plan.json, state.json, metrics.jsonl, eval.json) in a
/// temporary directory, so tests know every value that goes in.
public final class LedgerFixture {
    public let root: URL
    public var sweepDirectory: URL { root.appendingPathComponent("demo") }
    public var store: URL { root.appendingPathComponent("store") }
    private var runs: [(id: String, row: String, labels: [(String, String)], seed: Int)] = []

    public init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("ablate-report-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("demo"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("store"), withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// Adds a run. `final` is eval.json's splits → accuracy (written only when given);
    /// `evalLines` are intermediate eval lines; `rewards` are training rewards for steps 1, 2, ….
    public func addRun(labels: [(String, String)], seed: Int, state: String? = "done", final: [String: Double]? = nil,
                evalLines: [(Int, [String: Double])] = [], rewards: [Double] = [], error: String? = nil,
                finalStep: Int = 100) throws {
        let id = String(format: "run%04d", runs.count)
        runs.append((id, labels.map(\.1).joined(separator: " / "), labels, seed))
        let directory = store.appendingPathComponent(id)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        func splits(_ values: [String: Double]) -> String {
            values.keys.sorted().map { "\"\($0)\": {\"accuracy\": \(values[$0]!), \"count\": 10}" }.joined(separator: ", ")
        }
        var lines = ""
        for (i, reward) in rewards.enumerated() {
            lines += "{\"kind\": \"train\", \"step\": \(i + 1), \"loss\": 0.5, \"reward\": \(reward), \"rewards/format/mean\": \(reward / 4), \"rewards/correctness/mean\": \(reward * 3 / 4)}\n"
        }
        for (step, values) in evalLines {
            lines += "{\"kind\": \"eval\", \"step\": \(step), \"splits\": {\(splits(values))}}\n"
        }
        if !lines.isEmpty { try Data(lines.utf8).write(to: directory.appendingPathComponent("metrics.jsonl")) }
        if let final {
            try Data("{\"step\": \(finalStep), \"splits\": {\(splits(final))}}".utf8)
                .write(to: directory.appendingPathComponent("eval.json"))
        }
        if let state {
            let errorText = error.map { "\"\($0)\"" } ?? "null"
            try Data("{\"id\": \"\(id)\", \"state\": \"\(state)\", \"attempts\": 1, \"error\": \(errorText), \"step\": 3, \"total_steps\": 100}".utf8)
                .write(to: directory.appendingPathComponent("state.json"))
        }
    }

    /// `settings` adds report keys to plan.json, e.g. `"interval": "bootstrap"`.
    public func writePlan(axes: [String], metric: String = "eval.unseen.accuracy", baseline: [String: String] = [:],
                   reduce: String = "last", k: Int = 5, settings: String = "") throws {
        let runText = runs.map { run in
            let labels = run.labels.map { "\"\($0.0)\": \"\($0.1)\"" }.joined(separator: ", ")
            return "{\"id\": \"\(run.id)\", \"row\": \"\(run.row)\", \"labels\": {\(labels)}, \"seed\": \(run.seed), \"stage\": null, \"depends_on\": []}"
        }.joined(separator: ",\n    ")
        let baselineText = baseline.keys.sorted().map { "\"\($0)\": \"\(baseline[$0]!)\"" }.joined(separator: ", ")
        let text = """
        {
          "sweep": "demo",
          "spec_path": "/tmp/demo.yaml",
          "axes": [\(axes.map { "\"\($0)\"" }.joined(separator: ", "))],
          "runs": [
            \(runText)
          ],
          "stages": [],
          "excluded": 0,
          "report": {"metric": "\(metric)", "baseline": {\(baselineText)}, "reduce": "\(reduce)", "k": \(k)\(settings.isEmpty ? "" : ", " + settings)}
        }
        """
        try Data(text.utf8).write(to: sweepDirectory.appendingPathComponent("plan.json"))
    }

    public func report() throws -> SweepReport {
        try SweepReport.load(sweepDirectory: sweepDirectory, storeDirectory: store)
    }
}

extension ReportTable {
    public func row(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> TableRow {
        try XCTUnwrap(rows.first { $0.name == name }, "no row \(name)", file: file, line: line)
    }

    public func cell(_ row: String, _ column: String, file: StaticString = #filePath, line: UInt = #line) throws -> Cell {
        let index = try XCTUnwrap(columns.firstIndex { $0.description == column }, "no column \(column)", file: file, line: line)
        return try self.row(row, file: file, line: line).cells[index]
    }
}
