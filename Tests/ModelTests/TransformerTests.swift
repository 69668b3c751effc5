import XCTest
@testable import Basics
@testable import Model

/// The whole model: gradients against finite differences for every named view, batching and
/// padding, and the inference path.
final class TransformerTests: XCTestCase {
    static let tinyConfig = ModelConfig(dim: 8, layers: 2, heads: 2, mlpDim: 16, context: 8, initStd: 0.3)
    static let vocabulary = 20

    func testModelGradientForEveryView() {
        let model = Transformer(config: Self.tinyConfig, vocabularySize: Self.vocabulary, seed: 11)
        var random = RandomGenerator(seed: 12)
        // Non-zero biases and norm parameters so every view's gradient is exercised in general position.
        for i in 0..<model.parameters.count where model.parameters.pointer[i] == 0 || model.parameters.pointer[i] == 1 {
            model.parameters.pointer[i] += Float(random.nextNormal(standardDeviation: 0.2))
        }
        let B = 2, T = 6, V = Self.vocabulary
        let tokens: [Int32] = (0..<(B * T)).map { _ in Int32(random.nextInt(below: V)) }
        let targets: [Int32] = (0..<(B * T)).map { _ in Int32(random.nextInt(below: V)) }
        let temperature: Float = 0.9
        let logProbs = FloatStorage(B * T), entropies = FloatStorage(B * T)
        let logProbWeights = FloatStorage(random: B * T, generator: &random)
        let entropyWeights = FloatStorage(random: B * T, scale: 0.5, generator: &random)
        func loss(_ logits: UnsafePointer<Float>) -> Double {
            TokenLogProbs.forward(logProbs: logProbs.pointer, entropies: entropies.pointer, logits: logits, targets: targets,
                                  temperature: temperature, rows: B * T, vocabularySize: V)
            return weightedSum(logProbs.pointer, logProbWeights.pointer, B * T)
                + weightedSum(entropies.pointer, entropyWeights.pointer, B * T)
        }
        let logits = model.forward(tokens: tokens, batchSize: B, sequenceLength: T)
        _ = loss(logits)
        let dLogits = FloatStorage(B * T * V)
        TokenLogProbs.backward(logitGradients: dLogits.pointer, logProbGradients: logProbWeights.pointer,
                               entropyGradients: entropyWeights.pointer, logits: logits, targets: targets,
                               temperature: temperature, rows: B * T, vocabularySize: V)
        model.zeroGradients()
        model.backward(logitGradients: dLogits.pointer)
        for view in model.parameters.views {
            let indices = sampleIndices(view.count, limit: 6, generator: &random).map { $0 + view.offset }
            checkGradient(view.name, input: model.parameters.pointer, analytic: model.gradients.pointer, indices: indices,
                          epsilon: 1e-2, relativeTolerance: 3e-2, absoluteTolerance: 2e-3) {
                // The inference path, so the stored activations of the checked forward stay intact.
                loss(model.inferenceForward(tokens: tokens, batchSize: B, sequenceLength: T))
            }
        }
        // Unused positions of the position table get no gradient (T 6 < context 8).
        let positions = model.gradients["position_embedding"]
        XCTAssertEqual(positions[7 * Self.tinyConfig.dim], 0)
    }

    func testBatchedForwardEqualsPerSequenceAndPaddingIsHarmless() {
        let model = Transformer(config: Self.tinyConfig, vocabularySize: Self.vocabulary, seed: 21)
        let V = Self.vocabulary, T = 7
        let first: [Int32] = [1, 5, 9, 2, 2, 7, 3]
        let second: [Int32] = [4, 4, 0, 19, 11]           // length 5, right-padded
        let padded = second + [0, 0]
        let batched = Array(UnsafeBufferPointer(start: model.forward(tokens: first + padded, batchSize: 2, sequenceLength: T), count: 2 * T * V))
        let alone1 = Array(UnsafeBufferPointer(start: model.forward(tokens: first, batchSize: 1, sequenceLength: T), count: T * V))
        let alone2 = Array(UnsafeBufferPointer(start: model.forward(tokens: second, batchSize: 1, sequenceLength: 5), count: 5 * V))
        for i in 0..<(T * V) { XCTAssertEqual(batched[i], alone1[i], accuracy: 1e-5) }
        for i in 0..<(5 * V) { XCTAssertEqual(batched[T * V + i], alone2[i], accuracy: 1e-5) }
        // Different padding tokens leave the valid positions unchanged.
        let otherPadding = Array(UnsafeBufferPointer(start: model.forward(tokens: first + second + [13, 6], batchSize: 2, sequenceLength: T), count: 2 * T * V))
        for i in 0..<(5 * V) { XCTAssertEqual(otherPadding[T * V + i], batched[T * V + i], accuracy: 1e-6) }
        XCTAssertNotEqual(otherPadding[T * V + 6 * V], batched[T * V + 6 * V], "padding positions do change")
    }

    func testInferenceForwardMatchesTrainingForwardAndKeepsActivations() {
        let model = Transformer(config: Self.tinyConfig, vocabularySize: Self.vocabulary, seed: 31)
        let tokens: [Int32] = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8]
        let count = 12 * Self.vocabulary
        let training = Array(UnsafeBufferPointer(start: model.forward(tokens: tokens, batchSize: 2, sequenceLength: 6), count: count))
        let inference = Array(UnsafeBufferPointer(start: model.inferenceForward(tokens: tokens, batchSize: 2, sequenceLength: 6), count: count))
        for i in 0..<count { XCTAssertEqual(training[i], inference[i], accuracy: 1e-5) }
        // A larger shape grows the buffers; results for the old shape are unchanged afterwards.
        _ = model.forward(tokens: tokens + tokens, batchSize: 4, sequenceLength: 6)
        let again = Array(UnsafeBufferPointer(start: model.forward(tokens: tokens, batchSize: 2, sequenceLength: 6), count: count))
        XCTAssertEqual(again, training)
    }

    func testSeedDeterminesInitialisationAndCopyIsIndependent() {
        let a = Transformer(config: Self.tinyConfig, vocabularySize: Self.vocabulary, seed: 5)
        let b = Transformer(config: Self.tinyConfig, vocabularySize: Self.vocabulary, seed: 5)
        let c = Transformer(config: Self.tinyConfig, vocabularySize: Self.vocabulary, seed: 6)
        XCTAssertEqual(Array(a.parameters.buffer), Array(b.parameters.buffer))
        XCTAssertNotEqual(Array(a.parameters.buffer), Array(c.parameters.buffer))
        XCTAssertEqual(a.parameters["layers.0.ln1.weight"][0], 1)
        XCTAssertEqual(a.parameters["layers.1.mlp.fc.bias"][0], 0)
        let copy = a.copy()
        XCTAssertEqual(Array(copy.parameters.buffer), Array(a.parameters.buffer))
        a.parameters.pointer[0] += 1
        XCTAssertNotEqual(copy.parameters.pointer[0], a.parameters.pointer[0])
        // Residual projections are initialised with a smaller spread than the other matrices.
        func spread(_ name: String) -> Double {
            let view = a.parameters.view(named: name)!
            let p = a.parameters[name]
            return (0..<view.count).map { Double(p[$0] * p[$0]) }.reduce(0, +) / Double(view.count)
        }
        XCTAssertLessThan(spread("layers.0.mlp.proj.weight"), spread("layers.0.mlp.fc.weight"))
    }
}
