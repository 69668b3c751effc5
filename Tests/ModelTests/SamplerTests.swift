import XCTest
@testable import Basics
@testable import Model

/// Batched KV-cache sampling against full forwards, and the sampling settings.
final class SamplerTests: XCTestCase {
    static let config = ModelConfig(dim: 16, layers: 2, heads: 2, mlpDim: 32, context: 16, initStd: 0.5)
    static let vocabulary = 20
    static let endOfText: Int32 = 19
    let prompts: [[Int32]] = [[1, 2, 3], [4, 5, 6, 7, 8], [9]]

    func makeSampler(seed: UInt64 = 1) -> Sampler {
        Sampler(model: Transformer(config: Self.config, vocabularySize: Self.vocabulary, seed: seed), endOfText: Self.endOfText)
    }

    /// log softmax(z/τ)[token] at every completion position, from one full forward.
    func fullForwardLogProbs(_ model: Transformer, prompt: [Int32], completion: [Int32], temperature: Float) -> (logProbs: [Double], argmax: [Int32]) {
        let sequence = prompt + completion
        let V = Self.vocabulary
        let logits = model.inferenceForward(tokens: sequence, batchSize: 1, sequenceLength: sequence.count)
        var logProbs: [Double] = [], argmax: [Int32] = []
        for (j, token) in completion.enumerated() {
            let row = (0..<V).map { Double(logits[(prompt.count - 1 + j) * V + $0]) / Double(temperature) }
            let top = row.max()!
            let logZ = top + log(row.map { exp($0 - top) }.reduce(0, +))
            logProbs.append(row[Int(token)] - logZ)
            argmax.append(Int32(row.firstIndex(of: top)!))
        }
        return (logProbs, argmax)
    }

    func testCachedDecodingMatchesFullForwardAndGroupsArePromptMajor() {
        let sampler = makeSampler()
        var random = RandomGenerator(seed: 7)
        let settings = SamplingSettings(temperature: 0.8, topK: 5, maxNewTokens: 9)
        let completions = sampler.generate(prompts: prompts, completionsPerPrompt: 3, settings: settings, random: &random)
        XCTAssertEqual(completions.count, 9)
        for (index, completion) in completions.enumerated() {
            let prompt = prompts[index / 3]
            XCTAssertFalse(completion.tokens.isEmpty)
            XCTAssertEqual(completion.tokens.count, completion.logProbs.count)
            // Log-probs are under the full softmax(z/τ), not the top-k truncation.
            let reference = fullForwardLogProbs(sampler.model, prompt: prompt, completion: completion.tokens, temperature: 0.8)
            for j in 0..<completion.tokens.count {
                XCTAssertEqual(Double(completion.logProbs[j]), reference.logProbs[j], accuracy: 2e-4,
                               "completion \(index) token \(j)")
            }
            if completion.finish == .endOfText { XCTAssertEqual(completion.tokens.last, Self.endOfText) }
            if completion.finish == .length { XCTAssertEqual(completion.tokens.count, min(9, Self.config.context - prompt.count)) }
        }
    }

    /// With two threads the decode step splits the groups between the workers: the completions
    /// and their log-probs are those of one thread, bit for bit.
    func testOneAndTwoThreadsSampleTheSame() {
        let saved = KernelSet.threadCount
        defer { KernelSet.setThreadCount(saved) }
        func sample(threads: Int) -> [SampledCompletion] {
            KernelSet.setThreadCount(threads)
            var random = RandomGenerator(seed: 11)
            return makeSampler().generate(prompts: prompts, completionsPerPrompt: 3,
                                          settings: SamplingSettings(temperature: 1, maxNewTokens: 9), random: &random)
        }
        let one = sample(threads: 1), two = sample(threads: 2)
        XCTAssertEqual(one.map(\.tokens), two.map(\.tokens))
        XCTAssertEqual(one.map(\.logProbs), two.map(\.logProbs))
    }

    func testGreedyIsArgmaxAndTopKOneAndTinyTopPEqualGreedy() {
        let sampler = makeSampler(seed: 2)
        var random = RandomGenerator(seed: 1)
        let greedy = sampler.generate(prompts: prompts, completionsPerPrompt: 2,
                                      settings: SamplingSettings(temperature: 0, maxNewTokens: 8), random: &random)
        for (index, completion) in greedy.enumerated() {
            let prompt = prompts[index / 2]
            let reference = fullForwardLogProbs(sampler.model, prompt: prompt, completion: completion.tokens, temperature: 1)
            XCTAssertEqual(completion.tokens, reference.argmax, "greedy completion \(index)")
            // Both members of a group are the same under greedy decoding, and come out together.
            XCTAssertEqual(completion.tokens, greedy[index / 2 * 2].tokens)
        }
        // Each group equals generating its prompt alone.
        let alone = sampler.generate(prompts: [prompts[1]], completionsPerPrompt: 1,
                                     settings: SamplingSettings(temperature: 0, maxNewTokens: 8), random: &random)
        XCTAssertEqual(alone[0].tokens, greedy[2].tokens)
        let topK = sampler.generate(prompts: prompts, completionsPerPrompt: 2,
                                    settings: SamplingSettings(temperature: 1.3, topK: 1, maxNewTokens: 8), random: &random)
        XCTAssertEqual(topK.map(\.tokens), greedy.map(\.tokens))
        let topP = sampler.generate(prompts: prompts, completionsPerPrompt: 2,
                                    settings: SamplingSettings(temperature: 1.3, topP: 1e-4, maxNewTokens: 8), random: &random)
        XCTAssertEqual(topP.map(\.tokens), greedy.map(\.tokens))
    }

    func testSameSeedSameOutputDifferentSeedDifferentOutput() {
        let sampler = makeSampler(seed: 3)
        let settings = SamplingSettings(temperature: 1.5, maxNewTokens: 10)
        var first = RandomGenerator(seed: 42), second = RandomGenerator(seed: 42), third = RandomGenerator(seed: 43)
        let a = sampler.generate(prompts: prompts, completionsPerPrompt: 4, settings: settings, random: &first)
        let b = sampler.generate(prompts: prompts, completionsPerPrompt: 4, settings: settings, random: &second)
        let c = sampler.generate(prompts: prompts, completionsPerPrompt: 4, settings: settings, random: &third)
        XCTAssertEqual(a, b)
        XCTAssertEqual(first, second, "the generator state advances identically")
        XCTAssertNotEqual(a.map(\.tokens), c.map(\.tokens))
        // Members of one group are sampled independently.
        XCTAssertFalse(a[0..<4].allSatisfy { $0.tokens == a[0].tokens })
    }

    func testStopSequencesMaxNewTokensAndContextLimit() {
        // End-of-text outside the vocabulary: completions can only end by stop sequence or length.
        let sampler = Sampler(model: Transformer(config: Self.config, vocabularySize: Self.vocabulary, seed: 4), endOfText: 99)
        var random = RandomGenerator(seed: 5)
        let free = sampler.generate(prompts: [prompts[0]], completionsPerPrompt: 1,
                                    settings: SamplingSettings(temperature: 0, maxNewTokens: 10), random: &random)[0]
        XCTAssertEqual(free.tokens.count, 10)
        XCTAssertEqual(free.finish, .length)
        let stop = Array(free.tokens[3..<5])
        // The completion ends right after the first occurrence of the stop sequence.
        var expectedEnd = 0
        for end in 2...free.tokens.count where Array(free.tokens[(end - 2)..<end]) == stop {
            expectedEnd = end
            break
        }
        let stopped = sampler.generate(prompts: [prompts[0]], completionsPerPrompt: 1,
                                       settings: SamplingSettings(temperature: 0, maxNewTokens: 10, stopSequences: [[0, 0, 0, 0], stop]),
                                       random: &random)[0]
        XCTAssertEqual(stopped.finish, .stopSequence)
        XCTAssertEqual(stopped.tokens, Array(free.tokens[0..<expectedEnd]))
        let short = sampler.generate(prompts: [prompts[0]], completionsPerPrompt: 2,
                                     settings: SamplingSettings(temperature: 0, maxNewTokens: 3), random: &random)
        XCTAssertEqual(short.map(\.tokens.count), [3, 3])
        // A prompt two tokens short of the context can only get two more.
        let nearlyFull = [Int32](repeating: 2, count: Self.config.context - 2)
        let clipped = sampler.generate(prompts: [nearlyFull, [1]], completionsPerPrompt: 2,
                                       settings: SamplingSettings(temperature: 1, maxNewTokens: 10), random: &random)
        for completion in clipped[0..<2] {
            XCTAssertEqual(completion.tokens.count, 2)
            XCTAssertEqual(completion.finish, .length)
        }
        let full = sampler.generate(prompts: [[Int32](repeating: 1, count: Self.config.context)], completionsPerPrompt: 1,
                                    settings: SamplingSettings(), random: &random)
        XCTAssertEqual(full[0].tokens, [])
        XCTAssertEqual(full[0].finish, .length)
    }

    func testEndOfTextFinishesAndIsIncluded() {
        // Bias the LM head so end-of-text dominates: its token-embedding row, scaled up along
        // the final norm's direction, makes it the argmax everywhere.
        let sampler = makeSampler(seed: 6)
        let model = sampler.model
        let C = Self.config.dim
        let row = model.parameters["token_embedding"] + Int(Self.endOfText) * C
        let norm = model.parameters["final_norm.bias"]
        for c in 0..<C {
            norm[c] = c % 2 == 0 ? 3 : -3
            row[c] = norm[c] * 5
        }
        var random = RandomGenerator(seed: 9)
        let completions = sampler.generate(prompts: prompts, completionsPerPrompt: 2,
                                           settings: SamplingSettings(temperature: 0, maxNewTokens: 6), random: &random)
        for completion in completions {
            XCTAssertEqual(completion.tokens, [Self.endOfText])
            XCTAssertEqual(completion.finish, .endOfText)
        }
    }
}
