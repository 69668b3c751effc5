import ArgumentParser
import Basics
import External
import Foundation
import RunStore
import Training

/// Trains the run in `directory` to its end and exits with the run's code: a `TrainingRun`, or
/// an `ExternalTrainerRun` when the config names a `trainer` command.
func trainRun(in directory: URL, threads: Int, printProgress: Bool) throws -> Never {
    let config = try readingInput { try RunConfig.load(file: RunDirectory(directory.path).config) }
    // SIGINT/SIGTERM: the first makes the run checkpoint and stop between steps; the second
    // exits at once.
    Interrupts.install(exitOnSecondSignal: true)
    let outcome: RunOutcome
    if let trainer = config.trainer {
        if printProgress {
            Terminal.printOutput("external trainer \(trainer.command[0]): its output goes to \(RunDirectory(directory.path).log)")
        }
        outcome = ExternalTrainerRun(directory: directory, config: config, trainer: trainer)
            .run(shouldStop: { Interrupts.isRequested })
    } else {
        let run = try readingInput { try TrainingRun(directory: directory, threads: threads) }
        if printProgress { run.progress = { Terminal.printOutput($0) } }
        outcome = run.run(shouldStop: { Interrupts.isRequested }, onStep: { _, _ in })
    }
    switch outcome {
    case .done: Foundation.exit(AblateExitCode.done)
    case .interrupted:
        if printProgress { Terminal.printOutput("interrupted: checkpointed in \(directory.path)") }
        Foundation.exit(AblateExitCode.interrupted)
    case .failed(let reason):
        Terminal.printError("error: run failed: \(reason)")
        Foundation.exit(AblateExitCode.someRunsFailed)
    }
}

/// Reads a run config file (YAML, or JSON when its name ends in `.json`) with its data files
/// resolved against it and checked; located errors are printed and end the command with exit
/// code 2.
func loadRunConfigFile(_ path: String) throws -> RunConfig {
    do {
        return try RunConfig.loadResolvingDataFiles(file: path)
    } catch let error as ConfigError {
        // Already "file:line:column: error: …", one line per problem.
        Terminal.printError(error.description)
        throw ExitCode(AblateExitCode.badInput)
    } catch {
        throw BadInput("\(path): \(error)")
    }
}

extension Ablate {
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "train",
            abstract: "Train one run from a config file (YAML or JSON) into a directory.",
            discussion: """
            Writes the resolved config to DIR/config.json, then trains there: metrics.jsonl, eval.json, \
            checkpoint/, log.txt, result.json. Running it again on the same DIR resumes from the last \
            checkpoint. Ctrl-C checkpoints and exits with 130. Keys: docs/config.md.
            """)

        @Argument(help: "Run config file (YAML; a .json file is read as JSON).")
        var config: String

        @Option(name: .long, help: "Run directory to create or resume.")
        var out: String

        @OptionGroup var threadOptions: RunThreadsOptions

        func run() throws {
            let runConfig = try loadRunConfigFile(config)
            let directory = URL(fileURLWithPath: out)
            try readingInput {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                let path = RunDirectory(directory.path).config
                let data = try runConfig.jsonData()
                if let existing = FileManager.default.contents(atPath: path), existing != data,
                   let old = try? RunConfig.load(file: path), try old.identity().id != runConfig.identity().id {
                    throw BadInput("\(out) already holds a run with a different config.json; choose another --out or delete it")
                }
                try AtomicFile.write(data, to: path)
            }
            try trainRun(in: directory, threads: threadOptions.threads, printProgress: true)
        }
    }
}
