import ArgumentParser
import Foundation
import Training

extension Ablate {
    struct Worker: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "worker",
            abstract: "Train one run of the store in this process (started by the scheduler).",
            discussion: """
            Reads DIR/config.json, resumes from DIR/checkpoint/latest when present, appends \
            metrics.jsonl and log.txt, writes eval.json and result.json. Exit codes: 0 done, 1 failed \
            (reason in result.json), 130 interrupted (checkpointed).
            """,
            shouldDisplay: false)

        @Argument(help: "The run directory (runs/store/<id>) holding config.json.")
        var directory: String

        @OptionGroup var threadOptions: RunThreadsOptions

        func run() throws {
            try trainRun(in: URL(fileURLWithPath: directory), threads: threadOptions.threads, printProgress: false)
        }
    }
}
