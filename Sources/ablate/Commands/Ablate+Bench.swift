import ArgumentParser
import Benchmarks
import Config
import Foundation
import Training

extension Ablate {
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bench",
            abstract: "Benchmark W1 (or a run config): GRPO steps of a small policy, per phase, against the sgemm rate.",
            discussion: "W1: \(W1.definition). Reports median and min seconds per step after a warm-up step, "
                + "each phase's time, the FLOPs it did (after prompt sharing; W1 also gives the FLOPs without "
                + "sharing, the peers' work) and its GFLOP/s, cblas_sgemm 1024³ GFLOP/s in the same process, "
                + "the kernel set, threads, peak RSS and the reward scorer's lines per second. With --config, "
                + "the same for the GRPO steps of a run config (or of a sweep spec's config section), with its "
                + "own task, tokenizer, model, reward and real, variable-length completions, from a fresh "
                + "policy unless its init is a checkpoint on disk. With --report-runs, also the time of a full "
                + "report over a synthetic sweep of that many runs. Use a release build.")

        @Flag(name: .long, help: "Print one JSON object instead of a table.")
        var json = false

        @Option(name: .long, help: "Timed steps after the warm-up step (at least 1).")
        var steps: Int = 5

        @Option(name: .long, help: "OpenBLAS threads.")
        var threads: Int = 2

        @Option(name: .long, help: "Time a run config's GRPO steps instead of W1: a run config file (YAML or JSON) or a sweep spec (its config section).")
        var config: String?

        @Option(name: .long, help: "Also time a full report over a synthetic sweep of about this many runs (10000: the report target; writing its 840 MB ledger first takes minutes).")
        var reportRuns: Int = 0

        func validate() throws {
            guard steps >= 1 else { throw ValidationError("--steps must be at least 1") }
            guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
            guard reportRuns >= 0 else { throw ValidationError("--report-runs must be 0 (off) or a number of runs") }
        }

        func run() throws {
            let result: PolicyBenchmark.Result
            var scoreRate: Double?
            let title: String
            if let config {
                let runConfig = try loadRunConfig(config)
                result = try readingInput { try PolicyBenchmark.run(config: runConfig, steps: steps, threads: threads) }
                let model = runConfig.model, train = runConfig.train
                title = "\(config): GRPO step, \(train.batchSize) prompts × \(train.groupSize) completions of up to \(train.maxNewTokens) tokens, "
                    + "dim \(model.dim), \(model.layers) layers, \(model.tokenizer.rawValue) tokenizer"
            } else {
                result = PolicyBenchmark.run(steps: steps, threads: threads)
                scoreRate = ScoreBenchmark.linesPerSecond()
                title = "W1: GRPO step, \(W1.shape)"
            }
            let report = reportRuns > 0 ? try ReportBenchmark.measure(runs: reportRuns) : nil
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                var object = try JSONSerialization.jsonObject(with: encoder.encode(result)) as! [String: Any]
                if let scoreRate { object["score_lines_per_second"] = scoreRate }
                if let report {
                    object["report_seconds"] = report.seconds
                    object["report_runs"] = report.runs
                }
                object["benchmark"] = config ?? "W1"
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                print(String(decoding: data, as: UTF8.self))
                return
            }
            func f(_ value: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", value) }
            print(title)
            print("kernel \(result.kernel), \(result.threads) threads, \(result.steps) timed steps after 1 warm-up")
            print("")
            // GFLOP: done (after prompt sharing); unshared: W1's work without sharing (the peers').
            let unshared = result.phases.allSatisfy { $0.gflopUnshared != nil }
            print("phase".padding(toLength: 26, withPad: " ", startingAt: 0) + "  median s    GFLOP   GFLOP/s"
                  + (unshared ? "  GFLOP unshared" : ""))
            for phase in result.phases {
                print(phase.name.padding(toLength: 26, withPad: " ", startingAt: 0)
                      + "  " + f(phase.secondsMedian).leftPadded(8) + "  " + f(phase.gflop, 2).leftPadded(7)
                      + "  " + f(phase.gflops, 1).leftPadded(8)
                      + (phase.gflopUnshared.map { "  " + f($0, 2).leftPadded(14) } ?? ""))
            }
            print("step (median)".padding(toLength: 26, withPad: " ", startingAt: 0)
                  + "  " + f(result.stepSecondsMedian).leftPadded(8) + "  " + f(result.stepGFLOP, 2).leftPadded(7)
                  + "  " + f(result.stepGFLOPs, 1).leftPadded(8)
                  + (unshared ? "  " + f(result.phases.reduce(0) { $0 + ($1.gflopUnshared ?? 0) }, 2).leftPadded(14) : ""))
            print("")
            print("step seconds: median \(f(result.stepSecondsMedian)), min \(f(result.stepSecondsMin))")
            print("cblas_sgemm 1024³: \(f(result.sgemmGFLOPs, 1)) GFLOP/s; step at \(f(100 * result.fractionOfSgemm, 1)) % of it")
            print("peak RSS: \(f(result.peakRSSMegabytes, 1)) MB")
            if let scoreRate { print("reward scoring: \(f(scoreRate, 0)) lines/s") }
            if let report { print("report over \(report.runs) synthetic runs: \(f(report.seconds)) s") }
        }

        /// A run config file, or the config section of a sweep spec (a file with a top-level
        /// `config` key beside the spec's own keys: the settings its runs share).
        func loadRunConfig(_ path: String) throws -> RunConfig {
            try readingInput {
                let tree = try ConfigLoader.load(file: path)
                if let section = tree.value(atPath: "config"),
                   ["sweep", "seeds", "description", "stages", "axes"].contains(where: { tree.entry($0) != nil }) {
                    return try ConfigLoader.decode(RunConfig.self, from: section)
                }
                return try ConfigLoader.decode(RunConfig.self, from: tree)
            }
        }
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
