import ArgumentParser
import External
import Foundation
import Synchronization
import Sweep
import Training

/// SIGINT/SIGTERM while training: the first sets a flag the run polls between steps (it then
/// checkpoints and stops); the second exits at once. A plain `signal()` handler, because CPU-bound
/// training starves Dispatch sources on two cores (platform.md).
enum TrainingInterrupt {
    static let requested = Atomic<Bool>(false)

    static func install() {
        let handler: @convention(c) (Int32) -> Void = { _ in
            if TrainingInterrupt.requested.exchange(true, ordering: .relaxed) { _exit(130) }
        }
        signal(SIGINT, handler)
        signal(SIGTERM, handler)
    }

    static var isRequested: Bool { requested.load(ordering: .relaxed) }
}

/// Trains the run in `directory` to its end and exits with the run's code: a `TrainingRun`, or
/// an `ExternalTrainerRun` when the config names a `trainer` command.
func trainRun(in directory: URL, threads: Int, printProgress: Bool) throws -> Never {
    let config = try readingInput { try RunConfig.load(from: directory.appendingPathComponent("config.json")) }
    let outcome: RunOutcome
    if let trainer = config.trainer {
        if printProgress {
            FileHandle.standardOutput.write(Data("external trainer \(trainer.command[0]): its output goes to \(directory.path)/log.txt\n".utf8))
        }
        TrainingInterrupt.install()
        outcome = ExternalTrainerRun(directory: directory, config: config, trainer: trainer)
            .run(shouldStop: { TrainingInterrupt.isRequested })
    } else {
        let run = try readingInput { try TrainingRun(directory: directory, threads: threads) }
        run.dataFileCheck = RunDataFiles.verify
        // Written straight to the descriptor: `print` would sit in a block buffer behind a pipe.
        if printProgress { run.progress = { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) } }
        TrainingInterrupt.install()
        outcome = run.run(shouldStop: { TrainingInterrupt.isRequested }, onStep: { _, _ in })
    }
    switch outcome {
    case .done: Foundation.exit(AblateExitCode.done)
    case .interrupted:
        if printProgress { FileHandle.standardOutput.write(Data("interrupted: checkpointed in \(directory.path)\n".utf8)) }
        Foundation.exit(AblateExitCode.interrupted)
    case .failed(let reason):
        FileHandle.standardError.write(Data("error: run failed: \(reason)\n".utf8))
        Foundation.exit(AblateExitCode.someRunsFailed)
    }
}

/// Reads a run config file (YAML, or JSON); located errors are printed and end the command with
/// exit code 2.
func loadRunConfigFile(_ path: String) throws -> RunConfig {
    do {
        return try RunDataFiles.loadRunConfig(file: path)
    } catch let error as ConfigError {
        // Already "file:line:column: error: …", one line per problem.
        FileHandle.standardError.write(Data((error.description + "\n").utf8))
        throw ExitCode(AblateExitCode.badInput)
    } catch {
        throw BadInput("\(path): \(error)")
    }
}

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
            let path = directory.appendingPathComponent("config.json")
            let data = try runConfig.jsonData()
            if let existing = try? Data(contentsOf: path), existing != data,
               let old = try? JSONDecoder().decode(RunConfig.self, from: existing),
               RunDataFiles.byContent(old) != RunDataFiles.byContent(runConfig) {
                throw BadInput("\(out) already holds a run with a different config.json; choose another --out or delete it")
            }
            try data.write(to: path)
        }
        try trainRun(in: directory, threads: threadOptions.threads, printProgress: true)
    }
}
