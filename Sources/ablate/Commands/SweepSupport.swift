import ArgumentParser
import Foundation
import Sweep
import Training

/// The spec argument and the runs root, shared by `plan`, `run` and `status`.
struct SweepOptions: ParsableArguments {
    @Argument(help: "The sweep spec (YAML, format v1; see docs/spec.md).")
    var spec: String

    @OptionGroup var runsOptions: RunsOptions

    var ledger: Ledger { Ledger(root: runsOptions.runs) }
}

/// What the sweep commands share: loading, planning and recording a spec with located errors.
enum SweepCommandSupport {
    /// Loads, validates and expands the spec. Errors are printed as `file:line:column: error: …`
    /// and end the command with exit code 2; warnings are printed and planning goes on.
    static func plan(_ options: SweepOptions) throws -> (SweepPlan, Data) {
        guard let bytes = FileManager.default.contents(atPath: options.spec) else {
            throw BadInput("cannot read spec '\(options.spec)'")
        }
        do {
            let spec = try SweepSpec.load(file: options.spec)
            // Each run's tree: data files resolved, hashed and loaded (once per file), then decoded
            // into `RunConfig` (every default filled in, unknown keys and bad values located).
            let plan = try SweepPlanner(resolver: RunDataFiles.resolver()).plan(spec)
            for warning in plan.warnings { printError(warning.description) }
            return (plan, bytes)
        } catch let error as ConfigError {
            for diagnostic in error.diagnostics { printError(diagnostic.description) }
            throw ExitCode(AblateExitCode.badInput)
        }
    }

    /// Plans and writes spec.yaml, plan.json and the store entries.
    static func planAndRecord(_ options: SweepOptions) throws -> SweepPlan {
        let (plan, bytes) = try plan(options)
        do {
            try options.ledger.record(plan, specBytes: bytes)
        } catch {
            throw BadInput("cannot record the plan under '\(options.ledger.root)': \(error)")
        }
        return plan
    }

    static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
