import XCTest
@testable import Basics
@testable import Model

/// Running each prompt once for its group gives the same logits as the full forward of every
/// prompt + completion row, for prompts of different lengths and completions of different widths.
final class SharedPromptForwardTests: XCTestCase {
    func testMatchesFullForwardAtCompletionPositions() {
        let config = ModelConfig(dim: 16, layers: 2, heads: 2, mlpDim: 32, context: 24)
        let V = 11, G = 3
        let model = Transformer(config: config, vocabularySize: V, seed: 7)
        var random = RandomGenerator(seed: 3)
        let prompts: [[Int32]] = [5, 9].map { length in (0..<length).map { _ in Int32(random.nextInt(below: V)) } }
        let completionLengths = [6, 4, 1, 6, 2, 5]
        let completions: [[Int32]] = completionLengths.map { length in (0..<length).map { _ in Int32(random.nextInt(below: V)) } }
        let Tp = 9, W = 5   // W = longest completion − 1: the last token is never an input
        var promptTokens = [Int32](repeating: 0, count: prompts.count * Tp)
        for (p, prompt) in prompts.enumerated() { for (t, token) in prompt.enumerated() { promptTokens[p * Tp + t] = token } }
        var completionTokens = [Int32](repeating: 0, count: completions.count * W)
        for (s, completion) in completions.enumerated() {
            for (j, token) in completion.prefix(W).enumerated() { completionTokens[s * W + j] = token }
        }
        let shared = SharedPromptForward(model: model)
        for _ in 0..<2 {   // the second call reuses the buffers
            let logits = shared.logits(prompts: promptTokens, promptLengths: prompts.map(\.count), paddedPromptLength: Tp,
                                       completions: completionTokens, completionWidth: W, groupSize: G)
            var largest: Float = 0
            for (s, completion) in completions.enumerated() {
                let sequence = prompts[s / G] + completion
                let full = sequence.withUnsafeBufferPointer { model.inferenceForward(tokens: $0.baseAddress!, batchSize: 1,
                                                                                     sequenceLength: sequence.count) }
                let first = prompts[s / G].count - 1
                for j in 0..<completion.count {
                    for v in 0..<V {
                        let expected = full[(first + j) * V + v], actual = logits[(s * (W + 1) + j) * V + v]
                        largest = max(largest, abs(expected - actual))
                        XCTAssertEqual(actual, expected, accuracy: 1e-4, "sequence \(s), completion token \(j), logit \(v)")
                    }
                }
            }
            print("shared-prompt forward: largest difference \(largest)")
        }
    }
}
