import ArgumentParser
import Basics
import Config
import Foundation
import RunStore
import Sweep
import Training

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
            let plan = try SweepPlanner(resolver: RunConfig.planningResolver()).plan(spec)
            for warning in plan.warnings { Terminal.printError(warning.description) }
            return (plan, bytes)
        } catch let error as ConfigError {
            for diagnostic in error.diagnostics { Terminal.printError(diagnostic.description) }
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
}
