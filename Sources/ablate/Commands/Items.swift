import ArgumentParser
import Foundation
import Sweep
import ToolUse
import Training

/// Prints generated task items, to see what a config's task looks like before training on it.
struct Items: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "items",
        abstract: "Print a run config's task items: prompt and gold answer.",
        discussion: "Reads the config's task section (docs/config.md) and prints the first items of one split.")

    @Argument(help: "Run config file (YAML; a .json file is read as JSON).")
    var config: String

    @Option(name: .long, help: "Split to print: train, seen, unseen, multi or irrelevant.")
    var split: String = "train"

    @Option(name: .long, help: "How many items to print.")
    var count: Int = 3

    @Option(name: .long, help: "Run seed the items are generated from.")
    var seed: Int = 0

    @Flag(name: .long, help: "One JSON object per line (id, masked, prompt, gold, calls) instead of text.")
    var json = false

    func validate() throws {
        guard TaskSplit(rawValue: split) != nil else {
            throw ValidationError("unknown split '\(split)': expected one of \(TaskSplit.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard count >= 0, seed >= 0 else { throw ValidationError("--count and --seed must be at least 0") }
    }

    func run() throws {
        let runConfig: RunConfig
        do {
            runConfig = try ConfigLoader.decode(RunConfig.self, yamlFile: config)
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(AblateExitCode.badInput)
        }
        let tasks = try readingInput { try TaskGenerator.makeOrLoad(config: runConfig.task, seed: UInt64(seed)) }
        let chosen = TaskSplit(rawValue: split)!
        let items = chosen == .train ? tasks.train : tasks.evaluation[chosen] ?? []
        for item in items.prefix(count) {
            if json {
                let calls = JSONValue.array(item.goldCalls.map(\.json))
                print(JSONValue.object([("id", .string(item.id)), ("masked", .bool(item.isMasked)),
                                        ("prompt", .string(item.prompt)), ("gold", .string(item.gold)),
                                        ("calls", calls)]).dumps())
            } else {
                print("=== \(item.id)\(item.isMasked ? " (masked)" : "")")
                print(item.prompt + item.gold)
            }
        }
    }
}
