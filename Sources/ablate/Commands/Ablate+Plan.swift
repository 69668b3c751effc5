import ArgumentParser
import Foundation
import Sweep

extension Ablate {
    /// `ablate plan SPEC`: validates and expands a sweep, records it, and lists its runs.
    struct Plan: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "plan",
            abstract: "Validate a sweep spec and list the runs it expands to, with their state.",
            discussion: "Writes runs/<sweep>/spec.yaml and plan.json and creates store entries for new runs. Errors are reported as file:line:column and exit with code 2."
        )

        @OptionGroup var sweep: SweepOptions

        @Flag(name: .long, help: "Print the plan as JSON instead of a table.")
        var json = false

        func run() throws {
            let plan = try SweepCommandSupport.planAndRecord(sweep)
            let ledger = sweep.ledger
            func state(_ id: String) -> String { ledger.readState(id)?.state.rawValue ?? "pending" }
            let unique = plan.uniqueRunsInDependencyOrder
            let done = unique.filter { state($0.id) == "done" }.count
            if json {
                try printJSON(plan, state: state, done: done, unique: unique.count)
                return
            }
            print("sweep \(plan.sweep): \(plan.runs.count) runs planned, \(plan.excluded) excluded, \(done) of \(unique.count) unique runs already done")
            var rows: [[String]] = [["id", "state", "seed"] + (plan.axes.isEmpty ? ["run"] : plan.axes)]
            for stage in plan.stages {
                rows.append([stage.shortID, state(stage.id), String(stage.seed), "stage \(stage.stage ?? "")"])
            }
            for run in plan.runs {
                let labels = plan.axes.isEmpty ? ["(base)"] : run.labels.map(\.label)
                rows.append([run.shortID, state(run.id), String(run.seed)] + labels)
            }
            let widths = (0..<(rows.map(\.count).max() ?? 0)).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
            for row in rows {
                let cells = row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
                print(cells.joined(separator: "  ").trimmingCharacters(in: .whitespaces))
            }
        }

        func printJSON(_ plan: SweepPlan, state: (String) -> String, done: Int, unique: Int) throws {
            struct Row: Encodable {
                var id: String, row: String, labels: [String: String], seed: Int, stage: String?, state: String, dependsOn: [String]
                enum CodingKeys: String, CodingKey { case id, row, labels, seed, stage, state, dependsOn = "depends_on" }
            }
            struct Output: Encodable {
                var sweep: String, axes: [String], planned: Int, unique: Int, excluded: Int, done: Int
                var runs: [Row], stages: [Row], warnings: [String]
            }
            func row(_ run: PlannedRun) -> Row {
                Row(id: run.id, row: run.row, labels: Dictionary(run.labels.map { ($0.axis, $0.label) }, uniquingKeysWith: { $1 }),
                    seed: run.seed, stage: run.stage, state: state(run.id), dependsOn: run.dependsOn)
            }
            let output = Output(sweep: plan.sweep, axes: plan.axes, planned: plan.runs.count, unique: unique, excluded: plan.excluded,
                                done: done, runs: plan.runs.map(row), stages: plan.stages.map(row), warnings: plan.warnings.map(\.description))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(output), as: UTF8.self))
        }
    }
}
