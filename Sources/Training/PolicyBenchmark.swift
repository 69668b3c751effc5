import COpenBLAS
import Foundation
import Model

/// Benchmark W1: one GRPO step of a small policy, timed per phase (`ablate bench`).
///
/// Shape: vocabulary 128 (one token per ASCII byte, random token ids), dim 128, 4 layers, 4
/// heads, MLP 512, context 384, random init from a fixed seed; 8 prompts of exactly 256 tokens ×
/// group 8 = 64 completions of exactly 128 tokens (no early stop), temperature 1; β = 0.04 with a
/// k3 reference forward; ε = 0.2; one pass per batch; AdamW lr 1e-4.
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

    static let model = ModelConfig(dim: 128, layers: 4, heads: 4, mlpDim: 512, context: 384, tokenizer: .bytes,
                                   bpeVocab: 512, initStd: 0.02)
    static let vocabularySize = 128
    static let prompts = 8, groupSize = 8, promptLength = 256, completionLength = 128

    /// Runs one warm-up step and `steps` timed steps with `threads` BLAS threads.
    public static func run(steps: Int, threads: Int) -> Result {
        KernelSet.setThreadCount(threads)
        let policy = Transformer(config: model, vocabularySize: vocabularySize, seed: 1234)
        var config = TrainConfig()
        config.batchSize = prompts
        config.groupSize = groupSize
        config.maxNewTokens = completionLength
        config.temperature = 1
        config.beta = 0.04
        config.klEstimator = .k3
        config.klPlacement = .loss
        config.epsilon = 0.2
        config.iterations = 1
        config.lr = 1e-4
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
            let start = now()
            let report = trainer.step(prompts: batch, step: step + 1, totalSteps: steps + 1, random: &random)
            let seconds = now() - start
            if step > 0 {
                timings.append(report.timings)
                stepSeconds.append(seconds)
            }
        }
        let flops = FlopModel(config: model, vocabularySize: vocabularySize)
        let sequences = prompts * groupSize, width = promptLength + completionLength
        let forward = flops.forward(batch: sequences, length: width)
        let sampling = Double(prompts) * flops.forward(batch: 1, length: promptLength)
            + flops.decode(sequences: sequences, fromPosition: promptLength, tokens: completionLength)
        let optimizerFlop = 10 * Double(policy.parameterCount)
        func phase(_ name: String, _ key: KeyPath<StepTimings, Double>, _ flop: Double) -> Phase {
            let seconds = median(timings.map { $0[keyPath: key] })
            return Phase(name: name, secondsMedian: seconds, gflop: flop / 1e9, gflops: seconds > 0 ? flop / 1e9 / seconds : 0)
        }
        let phases = [
            phase("sampling", \.sampling, sampling),
            phase("reference_forward", \.referenceForward, forward),
            phase("policy_forward_backward", \.policyForwardBackward, 3 * forward),
            phase("optimizer", \.optimizer, optimizerFlop),
            phase("reward", \.reward, 0),
        ]
        let stepFlop = sampling + 4 * forward + optimizerFlop
        let stepMedian = median(stepSeconds)
        let sgemm = sgemmGFLOPs(size: 1024)
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

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// Best of three `cblas_sgemm` calls on n×n matrices, in GFLOP/s (2n³ per call).
    public static func sgemmGFLOPs(size n: Int) -> Double {
        let a = UnsafeMutablePointer<Float>.allocate(capacity: n * n)
        let b = UnsafeMutablePointer<Float>.allocate(capacity: n * n)
        let c = UnsafeMutablePointer<Float>.allocate(capacity: n * n)
        defer { a.deallocate(); b.deallocate(); c.deallocate() }
        for i in 0..<(n * n) {
            a[i] = Float(i % 7) * 0.01
            b[i] = Float(i % 5) * 0.02
        }
        c.initialize(repeating: 0, count: n * n)
        let size = Int32(n)
        var best = Double.infinity
        for _ in 0..<4 {
            let start = now()
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, size, size, size, 1, a, size, b, size, 0, c, size)
            best = min(best, now() - start)
        }
        return 2 * pow(Double(n), 3) / best / 1e9
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

/// Floating-point operations of the transformer's matrix products and attention (the work that
/// dominates; element-wise layers are left out). Backward is counted as twice the forward.
struct FlopModel {
    let config: ModelConfig
    let vocabularySize: Int

    /// Per token, per layer: qkv, projection and the two MLP products.
    var denseFlopPerToken: Double {
        let C = Double(config.dim), M = Double(config.mlpDim)
        return 2 * (3 * C * C + C * C + 2 * C * M) * Double(config.layers) + 2 * C * Double(vocabularySize)
    }

    /// A causal forward over `batch` sequences of `length` tokens: scores and weighted values
    /// cost 2·T²·C per layer and sequence over the causal half.
    func forward(batch: Int, length: Int) -> Double {
        let T = Double(length), C = Double(config.dim)
        return Double(batch) * (T * denseFlopPerToken + 2 * T * T * C * Double(config.layers))
    }

    /// Decoding `tokens` new tokens for each of `sequences` sequences starting at `fromPosition`.
    func decode(sequences: Int, fromPosition start: Int, tokens: Int) -> Double {
        let C = Double(config.dim)
        var attention = 0.0
        for position in start..<(start + tokens) { attention += 4 * Double(position + 1) * C }
        return Double(sequences) * (Double(tokens) * denseFlopPerToken + attention * Double(config.layers))
    }
}
