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

    /// Subcommands that run the model in this process (`run` sets the kernel set for its workers).
    static let blasSubcommands: Set<String> = [Train.configuration.commandName!, Worker.configuration.commandName!,
                                               Bench.configuration.commandName!]

    static func main() {
        // OpenBLAS picks its kernel set when the library loads, so the variable must be in the
        // environment before this process started: re-execute once with it set when it helps,
        // for the subcommands that multiply matrices here (the others skip the second start-up).
        if let subcommand = CommandLine.arguments.dropFirst().first, Ablate.blasSubcommands.contains(subcommand) {
            KernelSet.reexecuteWithFastestKernelsIfNeeded()
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exitWithAblateCode(for: error)
        }
    }
}
