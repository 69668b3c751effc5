import Basics
import COpenBLAS
import Foundation
import Model

/// Timings of the model's phases at the shapes of benchmark W1 (`W1`), and the sgemm rate every
/// benchmark is measured against. Run them in a release build.
enum ModelBenchmark {
    /// One measured phase.
    struct Measurement: Sendable, CustomStringConvertible {
        public var name: String
        var seconds: Double
        var flops: Double
        var gigaflopsPerSecond: Double { flops / seconds / 1e9 }
        var description: String {
            "\(name): \(String(format: "%.3f", seconds)) s, \(String(format: "%.1f", gigaflopsPerSecond)) GFLOP/s"
        }
    }

    /// Best of `repetitions` runs of `body` (after one warm-up run).
    static func time(repetitions: Int, _ body: () -> Void) -> Double {
        body()
        var best = Double.infinity
        for _ in 0..<max(1, repetitions) {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return best
    }

    /// cblas_sgemm on n×n×n, the physical anchor.
    static func sgemm(size n: Int = 1024, repetitions: Int = 3) -> Measurement {
        let a = [Float](repeating: 0.5, count: n * n), b = [Float](repeating: 0.25, count: n * n)
        var c = [Float](repeating: 0, count: n * n)
        let seconds = time(repetitions: repetitions) {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1, a, Int32(n), b, Int32(n), 0, &c, Int32(n))
        }
        return Measurement(name: "sgemm \(n)³", seconds: seconds, flops: 2 * Double(n) * Double(n) * Double(n))
    }

    /// Random tokens [B, T] below `vocabularySize`.
    static func tokens(count: Int, vocabularySize: Int, seed: UInt64) -> [Int32] {
        var random = RandomGenerator(seed: seed)
        return (0..<count).map { _ in Int32(random.nextInt(below: vocabularySize)) }
    }

    /// Training forward at B × T (W1: 64 × 384).
    static func forward(model: Transformer, batchSize B: Int = W1.sequences, sequenceLength T: Int = W1.sequenceLength,
                               repetitions: Int = 2) -> Measurement {
        let input = tokens(count: B * T, vocabularySize: model.vocabularySize, seed: 1)
        let seconds = time(repetitions: repetitions) { _ = model.forward(tokens: input, batchSize: B, sequenceLength: T) }
        return Measurement(name: "forward \(B)×\(T)", seconds: seconds,
                           flops: FLOPCounter.forward(config: model.config, vocabularySize: model.vocabularySize, batchSize: B, sequenceLength: T))
    }

    /// Inference forward (the reference model's pass) at B × T.
    static func inferenceForward(model: Transformer, batchSize B: Int = W1.sequences, sequenceLength T: Int = W1.sequenceLength,
                                        repetitions: Int = 2) -> Measurement {
        let input = tokens(count: B * T, vocabularySize: model.vocabularySize, seed: 1)
        let seconds = time(repetitions: repetitions) { _ = model.inferenceForward(tokens: input, batchSize: B, sequenceLength: T) }
        return Measurement(name: "inference forward \(B)×\(T)", seconds: seconds,
                           flops: FLOPCounter.forward(config: model.config, vocabularySize: model.vocabularySize, batchSize: B, sequenceLength: T))
    }

    /// Forward + backward at B × T, in micro-batches of `microBatch` sequences (gradients
    /// accumulate across them); dLogits is a fixed small buffer, as a loss would give.
    static func forwardBackward(model: Transformer, batchSize B: Int = W1.sequences, sequenceLength T: Int = W1.sequenceLength,
                                       microBatch: Int = 16, repetitions: Int = 2) -> Measurement {
        let micro = max(1, min(microBatch, B))
        let input = tokens(count: B * T, vocabularySize: model.vocabularySize, seed: 1)
        let dLogits = [Float](repeating: 1e-4, count: micro * T * model.vocabularySize)
        let seconds = time(repetitions: repetitions) {
            model.zeroGradients()
            var start = 0
            while start < B {
                let count = min(micro, B - start)
                input.withUnsafeBufferPointer { pointer in
                    _ = model.forward(tokens: pointer.baseAddress! + start * T, batchSize: count, sequenceLength: T)
                }
                model.backward(logitGradients: dLogits)
                start += count
            }
        }
        return Measurement(name: "forward+backward \(B)×\(T) (micro-batch \(micro))", seconds: seconds,
                           flops: FLOPCounter.forwardBackward(config: model.config, vocabularySize: model.vocabularySize, batchSize: B, sequenceLength: T))
    }

    /// Sampling: P prompts of `promptLength` tokens → P·G completions of exactly `newTokens`
    /// tokens (end-of-text outside the vocabulary, so nothing stops early), temperature 1.
    static func sampling(model: Transformer, prompts P: Int = W1.prompts, promptLength: Int = W1.promptLength,
                                completionsPerPrompt G: Int = W1.groupSize, newTokens: Int = W1.completionLength,
                                repetitions: Int = 1) -> Measurement {
        let sampler = Sampler(model: model, endOfText: Int32(model.vocabularySize))
        let flat = tokens(count: P * promptLength, vocabularySize: model.vocabularySize, seed: 2)
        let prompts = (0..<P).map { Array(flat[($0 * promptLength)..<(($0 + 1) * promptLength)]) }
        let settings = SamplingSettings(temperature: 1, maxNewTokens: newTokens)
        var random = RandomGenerator(seed: 3)
        let seconds = time(repetitions: repetitions) {
            _ = sampler.generate(prompts: prompts, completionsPerPrompt: G, settings: settings, random: &random)
        }
        return Measurement(name: "sampling \(P)×\(promptLength) → \(P * G)×\(newTokens)", seconds: seconds,
                           flops: FLOPCounter.sampling(config: model.config, vocabularySize: model.vocabularySize, prompts: P,
                                                       promptLength: promptLength, completionsPerPrompt: G, newTokens: newTokens))
    }

    /// All W1 model phases on a fresh W1-shaped model.
    static func runW1(microBatch: Int = 16, repetitions: Int = 2) -> [Measurement] {
        let model = Transformer(config: W1.model, vocabularySize: W1.vocabularySize, seed: 0)
        return [
            sgemm(),
            forward(model: model, repetitions: repetitions),
            inferenceForward(model: model, repetitions: repetitions),
            forwardBackward(model: model, microBatch: microBatch, repetitions: repetitions),
            sampling(model: model, repetitions: max(1, repetitions - 1)),
        ]
    }
}
