import Basics
import Config
import Foundation
import RunStore

extension Ledger {
    /// Creates store entries (config.json, a pending state.json) for every run not yet in the
    /// store, and writes the sweep's spec.yaml (exact bytes) and plan.json. A run not yet done
    /// whose config.json differs but names the same run (data files moved, keys added by a later
    /// version) gets it rewritten.
    public func record(_ plan: SweepPlan, specBytes: Data) throws {
        try Self.createDirectory(sweepDirectory(plan.sweep))
        for run in plan.uniqueRunsInDependencyOrder {
            try Self.createDirectory(runDirectory(run.id))
            let configPath = configPath(run.id)
            if let existing = try? String(contentsOfFile: configPath, encoding: .utf8) {
                // The same id means the same run, written by an earlier version (without keys added
                // since at their default) or with its data files elsewhere; anything else was
                // edited by hand.
                if existing != (try ConfigFile.text(run.config)), let parsed = try? JSONTreeParser.parse(existing, file: configPath) {
                    guard run.identity.identifies(parsed) else {
                        throw LedgerError.corrupt("\(configPath) does not match run \(run.id) (edited by hand?); move it away and plan again")
                    }
                    if readState(run.id)?.state != .done { try ConfigFile.write(run.config, to: configPath) }
                }
            } else {
                try ConfigFile.write(run.config, to: configPath)
            }
            if !FileManager.default.fileExists(atPath: statePath(run.id)) {
                // Another process may be creating (or already running) this entry: never overwrite.
                var state = StateFile(id: run.id)
                state.totalSteps = Self.totalSteps(in: run.config)
                try state.createIfAbsent(at: statePath(run.id))
            }
        }
        try AtomicFile.write(specBytes, to: sweepDirectory(plan.sweep) + "/spec.yaml")
        try AtomicFile.write(try PlanFile(plan).encoded(), to: planPath(sweep: plan.sweep))
    }

    /// `runs/<sweep>/plan.json`.
    func planPath(sweep: String) -> String { sweepDirectory(sweep) + "/plan.json" }

    public func readPlan(sweep: String) throws -> PlanFile {
        try PlanFile.read(at: planPath(sweep: sweep))
    }

    /// `train.steps` of a resolved config, when it has one.
    public static func totalSteps(in config: ConfigTree) -> Int? {
        if case .scalar(.int(let steps))? = config.value(atPath: "train.steps")?.value { return steps }
        return nil
    }
}
