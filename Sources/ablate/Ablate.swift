import ArgumentParser
import Foundation
import Model

/// The root command. Subcommands live one per file in `Commands/`.
///
/// Exit codes, for every subcommand: 0 done, 1 some runs failed, 2 bad input, 130 interrupted.
@main
struct Ablate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ablate",
        abstract: "Reward-design ablation sweeps for tool-calling policies, trained in process.",
        subcommands: [
            Train.self, Worker.self, Bench.self, Score.self,
            Plan.self, Run.self, Status.self, Cancel.self, ReportCommand.self, ExportTask.self, Items.self, SlurmTaskCommand.self,
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
