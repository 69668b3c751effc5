import ArgumentParser
import Foundation
import Rewards
import Training

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark W1: one GRPO step of a small policy, per phase, against the sgemm rate.",
        discussion: """
        W1: vocabulary 128, dim 128, 4 layers, 4 heads, MLP 512, context 384; 8 prompts of 256 \
        tokens × group 8 = 64 completions of 128 tokens; β = 0.04 (k3 reference forward), ε = 0.2, \
        one pass, AdamW lr 1e-4. Reports median and min seconds per step after a warm-up step, \
        each phase's time and GFLOP/s, cblas_sgemm 1024³ GFLOP/s in the same process, the kernel \
        set, threads, peak RSS and the reward scorer's lines per second. Use a release build.
        """)

    @Flag(name: .long, help: "Print one JSON object instead of a table.")
    var json = false

    @Option(name: .long, help: "Timed steps after the warm-up step (at least 1).")
    var steps: Int = 5

    @Option(name: .long, help: "OpenBLAS threads.")
    var threads: Int = 2

    func validate() throws {
        guard steps >= 1 else { throw ValidationError("--steps must be at least 1") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let result = PolicyBenchmark.run(steps: steps, threads: threads)
        let scoreRate = ScoreBenchmark.linesPerSecond()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            var object = try JSONSerialization.jsonObject(with: encoder.encode(result)) as! [String: Any]
            object["score_lines_per_second"] = scoreRate
            object["benchmark"] = "W1"
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        func f(_ value: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", value) }
        print("W1: GRPO step, 64 × (256 + 128) tokens, dim 128, 4 layers, vocabulary 128")
        print("kernel \(result.kernel), \(result.threads) threads, \(result.steps) timed steps after 1 warm-up")
        print("")
        let header = "phase".padding(toLength: 26, withPad: " ", startingAt: 0) + "  median s    GFLOP   GFLOP/s"
        print(header)
        for phase in result.phases {
            print(phase.name.padding(toLength: 26, withPad: " ", startingAt: 0)
                  + "  " + f(phase.secondsMedian).leftPadded(8) + "  " + f(phase.gflop, 2).leftPadded(7)
                  + "  " + f(phase.gflops, 1).leftPadded(8))
        }
        print("step (median)".padding(toLength: 26, withPad: " ", startingAt: 0)
              + "  " + f(result.stepSecondsMedian).leftPadded(8) + "  " + f(result.stepGFLOP, 2).leftPadded(7)
              + "  " + f(result.stepGFLOPs, 1).leftPadded(8))
        print("")
        print("step seconds: median \(f(result.stepSecondsMedian)), min \(f(result.stepSecondsMin))")
        print("cblas_sgemm 1024³: \(f(result.sgemmGFLOPs, 1)) GFLOP/s; step at \(f(100 * result.fractionOfSgemm, 1)) % of it")
        print("peak RSS: \(f(result.peakRSSMegabytes, 1)) MB")
        print("reward scoring: \(f(scoreRate, 0)) lines/s")
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
