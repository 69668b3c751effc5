import ArgumentParser
import Foundation
import ToolUse
import Training

extension Ablate {
    /// `ablate items CONFIG`: a config's task items as a person reads them (prompt, then gold
    /// answer), to see the task before training on it. `export-task` writes them for programs.
    struct Items: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "items",
            abstract: "Print a run config's task items: prompt and gold answer.",
            discussion: "Reads the config's task section (docs/config.md) and prints the first items of one split.")

        @Argument(help: "Run config file (YAML; a .json file is read as JSON).")
        var config: String

        @Option(name: .long, help: "Split to print: train, seen, unseen, multi, irrelevant or no_call.")
        var split: String = "train"

        @Option(name: .long, help: "How many items to print.")
        var count: Int = 3

        @Option(name: .long, help: "Use this seed instead of the config's (items are generated from the run seed).")
        var seed: Int?

        func validate() throws {
            guard TaskSplit(rawValue: split) != nil else {
                throw ValidationError("unknown split '\(split)': expected one of \(TaskSplit.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard count >= 0 else { throw ValidationError("--count must be at least 0") }
            if let seed, seed < 0 { throw ValidationError("--seed must be at least 0") }
        }

        func run() throws {
            let runConfig = try loadRunConfigFile(config)
            let tasks = try readingInput {
                try TaskGenerator.makeOrLoad(config: runConfig.task, seed: UInt64(seed ?? runConfig.seed))
            }
            let chosen = TaskSplit(rawValue: split)!
            let items = chosen == .train ? tasks.train : tasks.evaluation[chosen] ?? []
            for item in items.prefix(count) {
                print("=== \(item.id)\(item.isMasked ? " (masked)" : "")")
                print(item.prompt + item.gold)
            }
        }
    }
}
