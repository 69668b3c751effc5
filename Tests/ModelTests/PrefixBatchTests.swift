import XCTest
@testable import Basics
@testable import Model

/// Running each prompt once for its group (`PrefixBatch`) gives the logits and the parameter
/// gradients of running every prompt + completion sequence on its own, for prompts of different
/// lengths and completions of different lengths (empty and one-token ones included).
final class PrefixBatchTests: XCTestCase {
    let config = ModelConfig(dim: 16, layers: 2, heads: 2, mlpDim: 32, context: 24)
    let V = 11, G = 3

    func example() -> (prompts: [[Int32]], completions: [[Int32]]) {
        var random = RandomGenerator(seed: 3)
        let prompts: [[Int32]] = [5, 9].map { length in (0..<length).map { _ in Int32(random.nextInt(below: V)) } }
        let completions: [[Int32]] = [6, 4, 1, 6, 0, 5].map { length in (0..<length).map { _ in Int32(random.nextInt(below: V)) } }
        return (prompts, completions)
    }

    func testLayout() {
        let (prompts, completions) = example()
        let batch = PrefixBatch(prompts: prompts, completions: completions, groupSize: G)
        XCTAssertEqual(batch.rowCount, 5 + 9 + 5 + 3 + 0 + 5 + 0 + 4)
        XCTAssertEqual(batch.logitRowCount, completions.reduce(0) { $0 + $1.count })
        XCTAssertEqual(batch.groups.map(\.promptStart), [0, 5 + 5 + 3 + 0])
        // Completion 0's first logit row is its prompt's last row, then its own rows.
        XCTAssertEqual(Array(batch.logitRows.prefix(6)), [4, 5, 6, 7, 8, 9])
        XCTAssertEqual(Array(batch.positions[5..<10]), [5, 6, 7, 8, 9])
        XCTAssertEqual(batch.completionRows, [5, 3, 0, 5, 0, 4])
    }

    func testLogitsMatchEachSequenceOnItsOwn() {
        let (prompts, completions) = example()
        let model = Transformer(config: config, vocabularySize: V, seed: 7)
        let batch = PrefixBatch(prompts: prompts, completions: completions, groupSize: G)
        let R = batch.logitRowCount
        for _ in 0..<2 {   // the second call reuses the buffers
            let inference = Array(UnsafeBufferPointer(start: model.inferenceForward(batch), count: R * V))
            let training = Array(UnsafeBufferPointer(start: model.forward(batch), count: R * V))
            var row = 0, largest: Float = 0
            for (s, completion) in completions.enumerated() {
                let sequence = prompts[s / G] + completion
                let full = sequence.withUnsafeBufferPointer { model.inferenceForward(tokens: $0.baseAddress!, batchSize: 1,
                                                                                     sequenceLength: sequence.count) }
                let first = prompts[s / G].count - 1
                for j in 0..<completion.count {
                    for v in 0..<V {
                        let expected = full[(first + j) * V + v]
                        largest = max(largest, abs(expected - inference[(row + j) * V + v]))
                        XCTAssertEqual(inference[(row + j) * V + v], expected, accuracy: 1e-4, "sequence \(s), token \(j), logit \(v)")
                        XCTAssertEqual(training[(row + j) * V + v], expected, accuracy: 1e-4, "training, sequence \(s), token \(j)")
                    }
                }
                row += completion.count
            }
            print("prefix-batch forward: largest difference \(largest)")
        }
    }

    /// Σ over sequences of (weights · logits) has the same parameter gradient whether the
    /// prompts are shared (their gradient summed over the group) or each sequence runs alone.
    func testGradientsEqualTheSumOverSequences() {
        let (prompts, completions) = example()
        let model = Transformer(config: config, vocabularySize: V, seed: 8)
        let batch = PrefixBatch(prompts: prompts, completions: completions, groupSize: G)
        var random = RandomGenerator(seed: 5)
        let weights = (0..<(batch.logitRowCount * V)).map { _ in Float(random.nextNormal()) }
        model.zeroGradients()
        _ = model.forward(batch)
        model.backward(logitGradients: weights)
        let shared = Array(model.gradients.buffer)

        model.zeroGradients()
        var row = 0
        for (s, completion) in completions.enumerated() where !completion.isEmpty {
            let sequence = prompts[s / G] + completion.dropLast()
            let T = sequence.count, first = prompts[s / G].count - 1
            _ = sequence.withUnsafeBufferPointer { model.forward(tokens: $0.baseAddress!, batchSize: 1, sequenceLength: T) }
            var dLogits = [Float](repeating: 0, count: T * V)
            for j in 0..<completion.count {
                for v in 0..<V { dLogits[(first + j) * V + v] = weights[(row + j) * V + v] }
            }
            model.backward(logitGradients: dLogits)
            row += completion.count
        }
        let alone = Array(model.gradients.buffer)
        for view in model.gradients.views {
            let range = view.offset..<(view.offset + view.count)
            let difference = zip(shared[range], alone[range]).map { Double($0 - $1) * Double($0 - $1) }.reduce(0, +).squareRoot()
            let norm = alone[range].map { Double($0) * Double($0) }.reduce(0, +).squareRoot()
            XCTAssertLessThan(difference, 1e-4 * max(norm, 1e-6), "\(view.name): relative error \(difference / max(norm, 1e-12))")
        }
    }

    /// One completion per prompt is a plain sequence of Lp + Lc − 1 rows, except that the LM
    /// head runs on the Lc logit rows only; a group of G counts its prompt once.
    func testFLOPsCountThePromptOncePerGroup() {
        let V = 11, lmHead = 2 * Double(config.dim) * Double(V)
        let single = PrefixBatch(prompts: [[1, 2, 3, 4, 5]], completions: [[1, 2, 3]], groupSize: 1)
        let plain = FLOPCounter.forward(config: config, vocabularySize: V, batchSize: 1, sequenceLength: 7)
        XCTAssertEqual(FLOPCounter.forward(config: config, vocabularySize: V, batch: single), plain - 4 * lmHead, accuracy: 1e-6 * plain)
        let group = PrefixBatch(prompts: [[1, 2, 3, 4, 5]], completions: [[1, 2, 3], [4, 5, 6]], groupSize: 2)
        let twice = FLOPCounter.forward(config: config, vocabularySize: V, batch: single) * 2
        let promptOnce = FLOPCounter.forward(config: config, vocabularySize: V, batch: group)
        let prompt = FLOPCounter.forward(config: config, vocabularySize: V, batchSize: 1, sequenceLength: 5) - 5 * lmHead
        XCTAssertEqual(promptOnce, twice - prompt, accuracy: 1e-6 * twice)
        XCTAssertEqual(FLOPCounter.forwardBackward(config: config, vocabularySize: V, batch: single),
                       FLOPCounter.forwardBackward(config: config, vocabularySize: V, batchSize: 1, sequenceLength: 7) - 3 * 4 * lmHead,
                       accuracy: 1e-6 * plain)
    }
}
