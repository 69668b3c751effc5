import ArgumentParser
import External
import Foundation
import Training

extension Ablate {
    /// `ablate export-task CONFIG --out DIR`: a run config's task as JSON lines for TRL and veRL.
    struct ExportTask: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export-task",
            abstract: "Write a run config's task (prompts and gold answers) as JSON lines for external trainers.",
            discussion: """
                Writes DIR/train.jsonl and DIR/<split>.jsonl for seen, unseen, multi, irrelevant and no_call, one \
                {"id", "split", "prompt", "gold"} object per line (a dataset TRL loads with \
                load_dataset("json", ...)), the same items in veRL's row layout under DIR/verl/, and \
                DIR/manifest.json. The items depend on the config's task section and seed. Runs with an \
                external trainer get this export in their run directory (task/, $ABLATE_TASK_DIR).
                """)

        @Argument(help: "Run config file (YAML; a .json file is read as JSON).")
        var config: String

        @Option(name: .long, help: "Directory to write the task into (created if needed).")
        var out: String

        @Option(name: .long, help: "Use this seed instead of the config's (items are generated from the run seed).")
        var seed: Int?

        func validate() throws {
            if let seed, seed < 0 { throw ValidationError("--seed must be at least 0") }
        }

        func run() throws {
            var runConfig = try loadRunConfigFile(config)
            if let seed { runConfig.seed = seed }
            let directory = URL(fileURLWithPath: out)
            try readingInput { try TaskExport.write(config: runConfig, to: directory) }
            let manifest = (try? String(contentsOf: directory.appendingPathComponent(TaskExport.manifestName), encoding: .utf8)) ?? ""
            print("wrote \(out): \(manifest.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }
}
