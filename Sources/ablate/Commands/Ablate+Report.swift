import ArgumentParser
import Foundation
import Report
import Sweep

extension Ablate {
    /// `ablate report`: ablation tables, statistics and learning curves for a sweep.
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "Write a sweep's ablation report (Markdown, CSV, LaTeX, HTML, JSON).",
            discussion: """
                Reads runs/<sweep>/plan.json and every planned run's state.json, metrics.jsonl and \
                eval.json; runs that are not done are left out of the statistics and their cells are \
                marked. Without --format, every format is written into runs/<sweep>/report/. With \
                --format and no --out, that one format goes to standard output. Exits 1 when some \
                runs of the sweep failed (the report is still written).
                """
        )

        @Argument(help: "The sweep spec (YAML); only its 'sweep:' name is read here.")
        var spec: String?

        @Option(name: .long, help: "The sweep name, instead of a spec: reports runs/<NAME>/.")
        var sweep: String?

        @OptionGroup var runsOptions: RunsOptions

        @Option(name: .long, help: "One format: md, csv, latex, html or json (default: all, into the report directory).")
        var format: ReportFormat?

        @Option(name: .long, help: "Directory to write the report files into (default: runs/<sweep>/report/).")
        var out: String?

        @Option(name: .long, help: "A metric to report instead of the spec's report.metrics, e.g. eval.unseen.tool_name_accuracy or train.reward; repeat it for several (the first is the headline).")
        var metric: [String] = []

        func validate() throws {
            if spec == nil && sweep == nil { throw ValidationError("Give a sweep spec (ablate report SPEC.yaml) or --sweep NAME.") }
            if spec != nil && sweep != nil { throw ValidationError("Give either a spec or --sweep, not both.") }
            if let sweep, !SweepSpec.isValidName(sweep) {
                throw ValidationError("--sweep takes a sweep name such as 'granularity' (a-z, 0-9, '_' and '-'), not '\(sweep)'.")
            }
        }

        func run() throws {
            let name = try sweep ?? readingInput { try SweepSpec.name(ofSpecAt: spec!) }
            let runsRoot = URL(fileURLWithPath: runsOptions.runs, isDirectory: true)
            let sweepDirectory = runsRoot.appendingPathComponent(name, isDirectory: true)
            let store = runsRoot.appendingPathComponent("store", isDirectory: true)
            guard FileManager.default.fileExists(atPath: sweepDirectory.appendingPathComponent("plan.json").path) else {
                throw BadInput("\(sweepDirectory.path)/plan.json not found: sweep '\(name)' has not been planned under \(runsRoot.path) (run `ablate run \(spec ?? "SPEC")` first, or pass --runs DIR)")
            }
            let report = try readingInput {
                var plan = try PlanFile.read(at: sweepDirectory.appendingPathComponent("plan.json").path)
                if !metric.isEmpty {
                    plan.report.metrics = try metric.map { path in
                        do { return try MetricPath(parsing: path) } catch { throw BadInput("--metric \(path): \(error)") }
                    }
                }
                return SweepReport.load(plan: plan, storeDirectory: store)
            }
            for warning in report.warnings.prefix(20) { Terminal.printError("warning: \(warning)") }
            if report.warnings.count > 20 {
                Terminal.printError("warning: … and \(report.warnings.count - 20) more (see report.json)")
            }

            if let format, out == nil {
                FileHandle.standardOutput.write(Data(report.render(format).utf8))
            } else {
                let directory = out.map { URL(fileURLWithPath: $0, isDirectory: true) }
                    ?? sweepDirectory.appendingPathComponent("report", isDirectory: true)
                let files = try ReportWriter.write(report, formats: format.map { [$0] } ?? ReportFormat.allCases, to: directory)
                print(report.stateLine)
                for file in files { print("wrote \(file.path)") }
            }
            if (report.stateCounts[.failed] ?? 0) > 0 { throw ExitCode(AblateExitCode.someRunsFailed) }
        }
    }
}
