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
