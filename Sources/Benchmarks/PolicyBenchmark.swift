import Basics
import Foundation
import Model
import Training

/// Benchmark W1 (`W1`): one GRPO step of a small policy, timed per phase (`ablate bench`). FLOPs
/// are what each phase did (`StepReport.flops`: matrix products and visible attention after
/// prompt sharing, AdamW counted as 10 per parameter), and for W1 also the work without sharing
/// (every sequence with its own prompt, as the peer benchmarks run it), so that GFLOP/s stays
/// honest.
public enum PolicyBenchmark {
    public struct Phase: Codable, Equatable {
        public var name: String
        public var secondsMedian: Double
        /// FLOPs the phase actually did (after prompt sharing), median over the timed steps.
        public var gflop: Double
        /// `gflop` ÷ `secondsMedian`.
        public var gflops: Double
        /// W1 only: FLOPs of the phase if every sequence ran with its own copy of the prompt
        /// (the work the peer benchmarks do), for effective rates.
        public var gflopUnshared: Double?

        enum CodingKeys: String, CodingKey {
            case name, secondsMedian = "seconds_median", gflop, gflops, gflopUnshared = "gflop_unshared"
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

    /// Runs one warm-up step and `steps` timed steps of W1 with `threads` BLAS threads.
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
        // The work of each phase without prompt sharing: every one of the 64 sequences of 384
        // tokens through the policy and the reference, and a prefill of every sequence's prompt.
        let sequences = prompts * groupSize, width = promptLength + completionLength
        var unshared = StepPhases()
        unshared.policyForwardBackward = FLOPCounter.forwardBackward(config: model, vocabularySize: vocabularySize,
                                                                     batchSize: sequences, sequenceLength: width)
        unshared.referenceForward = FLOPCounter.forward(config: model, vocabularySize: vocabularySize,
                                                        batchSize: sequences, sequenceLength: width)
        unshared.sampling = FLOPCounter.sampling(config: model, vocabularySize: vocabularySize, prompts: sequences,
                                                 promptLength: promptLength, completionsPerPrompt: 1, newTokens: completionLength)
        unshared.optimizer = 10 * Double(policy.parameterCount)
        return measure(trainer: trainer, steps: steps, unshared: unshared, random: &random) { _ in batch }
    }

    /// Runs `trainer` for one warm-up step and `steps` timed steps on `batch(step)` (step 0 is
    /// the warm-up) and reports the median of each phase.
    static func measure(trainer: GRPOTrainer, steps: Int, unshared: StepPhases? = nil, random: inout RandomGenerator,
                        batch: (Int) -> [PolicyPrompt]) -> Result {
        var reports: [StepReport] = []
        var stepSeconds: [Double] = []
        for step in 0...steps {
            let prompts = batch(step)
            let start = Self.now()
            let report = trainer.step(prompts: prompts, step: step + 1, totalSteps: steps + 1, random: &random)
            let seconds = Self.now() - start
            if step > 0 {
                reports.append(report)
                stepSeconds.append(seconds)
            }
        }
        func phase(_ name: String, _ key: KeyPath<StepPhases, Double>) -> Phase {
            let seconds = median(reports.map { $0.timings[keyPath: key] })
            let flop = median(reports.map { $0.flops[keyPath: key] })
            return Phase(name: name, secondsMedian: seconds, gflop: flop / 1e9, gflops: seconds > 0 ? flop / 1e9 / seconds : 0,
                         gflopUnshared: unshared.map { $0[keyPath: key] / 1e9 })
        }
        let phases = [
            phase("sampling", \.sampling),
            phase("reference_forward", \.referenceForward),
            phase("policy_forward_backward", \.policyForwardBackward),
            phase("optimizer", \.optimizer),
            phase("reward", \.reward),
        ]
        let stepFlop = median(reports.map { $0.flops.total })
        let stepMedian = median(stepSeconds)
        let peakRSS = peakRSSMegabytes()
        let sgemm = ModelBenchmark.sgemm(size: 1024).gigaflopsPerSecond
        let stepRate = stepMedian > 0 ? stepFlop / 1e9 / stepMedian : 0
        return Result(steps: steps, stepSecondsMedian: stepMedian, stepSecondsMin: stepSeconds.min() ?? 0,
                      stepGFLOP: stepFlop / 1e9, stepGFLOPs: stepRate, phases: phases, sgemmGFLOPs: sgemm,
                      fractionOfSgemm: sgemm > 0 ? stepRate / sgemm : 0, peakRSSMegabytes: peakRSS,
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
