import Basics
import Foundation
import Model
import Training

/// Benchmark W1 (`W1`): one GRPO step of a small policy, timed per phase (`ablate bench`). FLOPs
/// from the Model's `FLOPCounter` (matrix products and causal attention; AdamW counted as 10 per
/// parameter).
public enum PolicyBenchmark {
    public struct Phase: Codable, Equatable {
        public var name: String
        public var secondsMedian: Double
        public var gflop: Double
        public var gflops: Double

        enum CodingKeys: String, CodingKey {
            case name, secondsMedian = "seconds_median", gflop, gflops
        }
    }

    public struct Result: Codable {
        public var steps: Int
        public var stepSecondsMedian: Double
        public var stepSecondsMin: Double
        public var stepGFLOP: Double
        public var stepGFLOPs: Double
        public var phases: [Phase]
        public var sgemmGFLOPs: Double
        public var fractionOfSgemm: Double
        public var peakRSSMegabytes: Double
        public var kernel: String
        public var threads: Int

        enum CodingKeys: String, CodingKey {
            case steps, stepSecondsMedian = "step_seconds_median", stepSecondsMin = "step_seconds_min"
            case stepGFLOP = "step_gflop", stepGFLOPs = "step_gflops", phases
            case sgemmGFLOPs = "sgemm_gflops", fractionOfSgemm = "fraction_of_sgemm"
            case peakRSSMegabytes = "peak_rss_mb", kernel, threads
        }
    }

    static let model = W1.model
    static let vocabularySize = W1.vocabularySize
    static let prompts = W1.prompts, groupSize = W1.groupSize, promptLength = W1.promptLength
    static let completionLength = W1.completionLength

    /// Runs one warm-up step and `steps` timed steps with `threads` BLAS threads.
    public static func run(steps: Int, threads: Int) -> Result {
        KernelSet.setThreadCount(threads)
        let policy = Transformer(config: model, vocabularySize: vocabularySize, seed: 1234)
        var config = TrainConfig()
        config.batchSize = prompts
        config.groupSize = groupSize
        config.maxNewTokens = completionLength
        config.temperature = W1.temperature
        config.beta = W1.beta
        config.klEstimator = .k3
        config.klPlacement = .loss
        config.epsilon = W1.epsilon
        config.iterations = 1
        config.lr = W1.learningRate
        config.weightDecay = 0
        let optimizer = AdamW(parameterCount: policy.parameterCount, settings: .init(weightDecay: 0))
        let schedule = LearningRateSchedule(peak: config.lr, warmupSteps: 0, totalSteps: steps + 1, shape: .constant, minimumRatio: 1)
        // End-of-text −1 is never sampled: every completion runs to 128 tokens.
        let trainer = GRPOTrainer(policy: policy, reference: policy.copy(), endOfText: -1, decode: { _ in "" },
                                  rewardFunction: LowTokenReward(), config: config, optimizer: optimizer, schedule: schedule)
        var random = RandomGenerator(seed: 42)
        let batch = (0..<prompts).map { _ in
            PolicyPrompt(prompt: "", gold: "", tokens: (0..<promptLength).map { _ in Int32(random.nextInt(below: vocabularySize)) })
        }
        var timings: [StepTimings] = []
        var stepSeconds: [Double] = []
        for step in 0...steps {
            let start = Self.now()
            let report = trainer.step(prompts: batch, step: step + 1, totalSteps: steps + 1, random: &random)
            let seconds = Self.now() - start
            if step > 0 {
                timings.append(report.timings)
                stepSeconds.append(seconds)
            }
        }
        let sequences = prompts * groupSize, width = promptLength + completionLength
        let forwardBackward = FLOPCounter.forwardBackward(config: model, vocabularySize: vocabularySize,
                                                          batchSize: sequences, sequenceLength: width)
        // The reference pass runs each prompt once for its group (SharedPromptForward).
        let referenceForward = FLOPCounter.sharedPromptForward(config: model, vocabularySize: vocabularySize, prompts: prompts,
                                                               promptLength: promptLength, completionsPerPrompt: groupSize,
                                                               completionRows: completionLength - 1)
        let sampling = FLOPCounter.sampling(config: model, vocabularySize: vocabularySize, prompts: prompts,
                                            promptLength: promptLength, completionsPerPrompt: groupSize, newTokens: completionLength)
        let optimizerFlop = 10 * Double(policy.parameterCount)
        func phase(_ name: String, _ key: KeyPath<StepTimings, Double>, _ flop: Double) -> Phase {
            let seconds = median(timings.map { $0[keyPath: key] })
            return Phase(name: name, secondsMedian: seconds, gflop: flop / 1e9, gflops: seconds > 0 ? flop / 1e9 / seconds : 0)
        }
        let phases = [
            phase("sampling", \.sampling, sampling),
            phase("reference_forward", \.referenceForward, referenceForward),
            phase("policy_forward_backward", \.policyForwardBackward, forwardBackward),
            phase("optimizer", \.optimizer, optimizerFlop),
            phase("reward", \.reward, 0),
        ]
        let stepFlop = sampling + referenceForward + forwardBackward + optimizerFlop
        let stepMedian = median(stepSeconds)
        let sgemm = ModelBenchmark.sgemm(size: 1024).gigaflopsPerSecond
        let stepRate = stepMedian > 0 ? stepFlop / 1e9 / stepMedian : 0
        return Result(steps: steps, stepSecondsMedian: stepMedian, stepSecondsMin: stepSeconds.min() ?? 0,
                      stepGFLOP: stepFlop / 1e9, stepGFLOPs: stepRate, phases: phases, sgemmGFLOPs: sgemm,
                      fractionOfSgemm: sgemm > 0 ? stepRate / sgemm : 0, peakRSSMegabytes: peakRSSMegabytes(),
                      kernel: KernelSet.activeCoreName, threads: KernelSet.threadCount)
    }

    /// Reward for the benchmark: the fraction of completion tokens below 64 (cheap, with variance).
    struct LowTokenReward: RewardFunction {
        var componentNames: [String] { [] }
        func score(_ context: RewardContext) -> RewardScore {
            let tokens = context.completionTokens
            return RewardScore(total: tokens.isEmpty ? 0 : Double(tokens.filter { $0 < 64 }.count) / Double(tokens.count))
        }
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) * 1e-9 }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// Peak resident set size of this process (VmHWM in /proc/self/status), in MB.
    public static func peakRSSMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 2, let kilobytes = Double(fields[1]) { return kilobytes / 1024 }
        }
        return 0
    }
}
