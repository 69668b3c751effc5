import ArgumentParser
import Foundation
import Model

/// The root command. Each subcommand is nested in `Ablate` and lives in its own
/// `Commands/Ablate+<Name>.swift`; shared options are in `Options.swift`, exit codes and the one
/// stderr printer in `Terminal.swift`.
///
/// Exit codes, for every subcommand: 0 done, 1 some runs failed, 2 bad input, 130 interrupted.
@main
struct Ablate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ablate",
        abstract: "Reward-design ablation sweeps for tool-calling policies, trained in process.",
        // `worker` and `slurm-task` are started by the schedulers, not by people: they run but are
        // not listed.
        subcommands: [Worker.self, SlurmTask.self],
        groupedSubcommands: [
            CommandGroup(name: "Sweep", subcommands: [Plan.self, Run.self, Status.self, Cancel.self, Report.self]),
            CommandGroup(name: "Single run", subcommands: [Train.self, Score.self, ExportTask.self, Items.self, Bench.self]),
        ]
    )

    static func main() {
        // OpenBLAS picks its kernel set when the library loads, so the variable must be in the
        // environment before this process started: re-execute once with it set when it helps.
        KernelSet.reexecuteWithFastestKernelsIfNeeded()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exitWithAblateCode(for: error)
        }
    }
}
