import XCTest
@testable import Basics
@testable import Model

/// The critic: gradients of every view (trunk and value head) against finite differences, a
/// trunk started from a policy, and files that round-trip.
final class ValueModelTests: XCTestCase {
    static let config = ModelConfig(dim: 8, layers: 2, heads: 2, mlpDim: 16, context: 8, initStd: 0.3)
    static let vocabulary = 12

    func testGradientForEveryView() {
        let critic = ValueModel(config: Self.config, vocabularySize: Self.vocabulary, seed: 31)
        var random = RandomGenerator(seed: 32)
        for i in 0..<critic.parameterCount where critic.parameters.pointer[i] == 0 || critic.parameters.pointer[i] == 1 {
            critic.parameters.pointer[i] += Float(random.nextNormal(standardDeviation: 0.2))
        }
        let B = 2, T = 5
        let tokens: [Int32] = (0..<(B * T)).map { _ in Int32(random.nextInt(below: Self.vocabulary)) }
        // loss = Σ weights·V + ½ Σ V², so the check also sees the values themselves.
        let weights = FloatStorage(random: B * T, generator: &random)
        func loss(_ values: UnsafePointer<Float>) -> Double {
            (0..<(B * T)).reduce(0.0) { $0 + Double(weights.pointer[$1]) * Double(values[$1]) + 0.5 * Double(values[$1] * values[$1]) }
        }
        let values = critic.forward(tokens: tokens, batchSize: B, sequenceLength: T)
        let dValues = FloatStorage(B * T)
        for n in 0..<(B * T) { dValues.pointer[n] = weights.pointer[n] + values[n] }
        critic.zeroGradients()
        critic.backward(valueGradients: dValues.pointer)
        let analytic = Array(UnsafeBufferPointer(start: critic.gradients.pointer, count: critic.parameterCount))
        XCTAssertEqual(critic.parameters.views.suffix(2).map(\.name), ["value_head.weight", "value_head.bias"])
        var checked = 0
        for view in critic.parameters.views {
            let indices = sampleIndices(view.count, limit: 5, generator: &random).map { $0 + view.offset }
            checkGradient(view.name, input: critic.parameters.pointer, analytic: analytic, indices: indices,
                          epsilon: 1e-2, relativeTolerance: 3e-2, absoluteTolerance: 2e-3) {
                loss(critic.forward(tokens: tokens, batchSize: B, sequenceLength: T))
            }
            checked += 1
        }
        XCTAssertEqual(checked, critic.parameters.views.count)
    }

    func testTrunkStartsFromThePolicyAndFilesRoundTrip() throws {
        let policy = Transformer(config: Self.config, vocabularySize: Self.vocabulary, seed: 5)
        let critic = ValueModel(startingFrom: policy, seed: 6)
        XCTAssertEqual(Array(UnsafeBufferPointer(start: critic.parameters.pointer, count: policy.parameterCount)),
                       Array(UnsafeBufferPointer(start: policy.parameters.pointer, count: policy.parameterCount)))
        XCTAssertEqual(critic.parameterCount, policy.parameterCount + Self.config.dim + 1)
        // The trunk's hidden states are the policy's: the same forward up to the LM head.
        let tokens: [Int32] = [1, 2, 3, 4]
        let hidden = Array(UnsafeBufferPointer(start: critic.trunk.forwardHidden(tokens: tokens, batchSize: 1, sequenceLength: 4), count: 4 * 8))
        let policyHidden = Array(UnsafeBufferPointer(start: policy.forwardHidden(tokens: tokens, batchSize: 1, sequenceLength: 4), count: 4 * 8))
        XCTAssertEqual(hidden, policyHidden)

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ablate-critic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try critic.save(to: directory)
        let loaded = try ValueModel.load(from: directory)
        let before = Array(UnsafeBufferPointer(start: critic.forward(tokens: tokens, batchSize: 1, sequenceLength: 4), count: 4))
        let after = Array(UnsafeBufferPointer(start: loaded.forward(tokens: tokens, batchSize: 1, sequenceLength: 4), count: 4))
        XCTAssertEqual(before, after)
        // A policy's files are not a critic's.
        try policy.save(to: directory)
        XCTAssertThrowsError(try ValueModel.load(from: directory))
    }
}
