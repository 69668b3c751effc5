import Basics
import Foundation
import RunStore
import Scheduler
import Sweep

/// Sends a planned sweep to Slurm: one job array for the stages left to train, then one for the
/// runs, which starts only when every stage task ended well (`--dependency=afterok`). An array has
/// one task per run left; tasks pull runs from the store, so their number only bounds how many
/// train at once (with `array_parallelism` as the `%N` throttle).
public struct SlurmSubmitter {
    let ledger: Ledger
    let sweep: String
    let stageUnits: [ScheduledRun]
    let runUnits: [ScheduledRun]
    /// What each task asks for; `gpusPerTask` may be filled in from the runs (`askForRunsGPUs`).
    public var settings: SlurmSettings
    public let folder: SlurmFolder
    /// The command an array task runs, for each array.
    let taskCommand: (SweepArray) -> [String]

    public init(ledger: Ledger, plan: SweepPlan, settings: SlurmSettings, taskCommand: @escaping (SweepArray) -> [String]) {
        self.ledger = ledger
        sweep = plan.sweep
        let recorded = PlanFile(plan)
        stageUnits = ScheduledRun.units(of: recorded, stages: true)
        runUnits = ScheduledRun.units(of: recorded, stages: false)
        self.settings = settings
        folder = SlurmFolder(ledger: ledger, sweep: plan.sweep)
        self.taskCommand = taskCommand
    }

    /// Runs left to train in one array: neither done nor failed, and not waiting on a failed stage.
    func remaining(_ array: SweepArray) -> [ScheduledRun] {
        (array == .stages ? stageUnits : runUnits).filter { unit in
            let state = ledger.readState(unit.id)?.state
            return state != .done && state != .failed && !blockedByFailedStage(unit)
        }
    }

    /// Runs of the sweep that wait on a stage recorded failed.
    public var blocked: [ScheduledRun] { runUnits.filter(blockedByFailedStage) }

    func blockedByFailedStage(_ unit: ScheduledRun) -> Bool {
        unit.dependsOn.contains { ledger.readState($0)?.state == .failed }
    }

    /// The most GPUs a run left to train asks for (`trainer.gpus`, an external trainer).
    func gpusNeeded() -> Int {
        (remaining(.stages) + remaining(.runs)).map { GPUPool.need(runDirectory: ledger.runDirectory($0.id)) }.max() ?? 0
    }

    /// Without `gpus_per_task`, every task asks for the most GPUs a run left to train needs (an
    /// array's tasks are alike); returns that count when it set one.
    public mutating func askForRunsGPUs() -> Int? {
        guard settings.gpusPerTask == nil else { return nil }
        let needed = gpusNeeded()
        guard needed > 0 else { return nil }
        settings.gpusPerTask = String(needed)
        return needed
    }

    /// A run left to train that asks for more GPUs (`trainer.gpus`, an external trainer) than each
    /// task gets (`gpus_per_task`), with what it asks for; nil when every run fits.
    public func runNeedingMoreGPUs() -> (unit: ScheduledRun, gpus: Int)? {
        // `a100:2` or `2`: the count is the last field.
        let perTask = settings.gpusPerTask.flatMap { $0.split(separator: ":").last.flatMap { Int($0) } } ?? 0
        for unit in remaining(.stages) + remaining(.runs) {
            let need = GPUPool.need(runDirectory: ledger.runDirectory(unit.id))
            if need > perTask { return (unit, need) }
        }
        return nil
    }

    /// Puts runs recorded failed back to pending (`--retry-failed`), except one somebody holds.
    /// Returns how many.
    @discardableResult
    public func resetFailed() -> Int {
        var count = 0
        for unit in stageUnits + runUnits where ledger.readState(unit.id)?.state == .failed {
            guard let claim = try? RunClaim.take(runDirectory: ledger.runDirectory(unit.id)) else { continue }
            defer { claim.release() }
            if (try? ledger.updateState(unit.id, { state in
                state.state = .pending
                state.error = nil
                state.finishedAt = nil
            })) != nil { count += 1 }
        }
        return count
    }

    /// The scripts of the arrays that have work, stages first.
    func scripts() -> [BatchScript] {
        SweepArray.allCases.compactMap { array in
            let tasks = remaining(array).count
            guard tasks > 0 else { return nil }
            return BatchScript(sweep: sweep, array: array, tasks: tasks, settings: settings, folder: folder, command: taskCommand(array))
        }
    }

    /// Writes the scripts of the arrays that have work to `runs/<sweep>/slurm/` (the logs folder
    /// too, which Slurm needs to exist) and returns them.
    @discardableResult
    public func writeScripts() throws -> [BatchScript] {
        let scripts = scripts()
        guard !scripts.isEmpty else { return [] }
        try folder.createDirectories()
        for script in scripts {
            do { try AtomicFile.write(script.text, to: folder.scriptPath(script.array)) } catch {
                throw SlurmError("cannot write \(folder.scriptPath(script.array)): \(error)")
            }
        }
        return scripts
    }

    /// Writes the scripts and submits them; records the arrays in
    /// `jobs.json`. Returns them, stages first (none when everything is done).
    public func submit() throws -> [SubmittedArray] {
        let scripts = try writeScripts()
        var submitted: [SubmittedArray] = []
        defer { if !submitted.isEmpty { try? folder.record(submitted) } }
        for script in scripts {
            let path = folder.scriptPath(script.array)
            var arguments = ["--parsable"]
            if let stages = submitted.first(where: { $0.array == .stages }) {
                arguments += ["--dependency=afterok:\(stages.job)", "--kill-on-invalid-dep=yes"]
            }
            let output = try SlurmTools.run("sbatch", arguments + [path])
            // `--parsable` prints `123` or `123;cluster`.
            let job = output.standardOutput.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
            guard output.status == 0, !job.isEmpty, job.allSatisfy(\.isNumber) else {
                throw SlurmError("sbatch refused \(path): \(output.message)")
            }
            submitted.append(SubmittedArray(job: job, array: script.array, tasks: script.tasks, submittedAt: StateFile.timestamp()))
        }
        return submitted
    }
}
