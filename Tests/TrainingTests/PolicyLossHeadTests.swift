import XCTest
@testable import Basics
@testable import Training

/// The whole GRPO loss as a function of the logits (TokenLogProbs → PolicyLoss → TokenLogProbs
/// backward), against central differences: every loss type, off-policy (as in a μ > 1 pass) so
/// that clipping is active, KL in the loss, entropy bonus on.
final class PolicyLossHeadTests: XCTestCase {
    func testLogitGradientsMatchFiniteDifferences() {
        var generator = SplitMix64(seed: 11)
        let V = 5, L = 3
        // Two completions of 3 and 2 tokens: logits [5, V], packed completion by completion.
        let layout = CompletionLayout(maxNewTokens: L, completionLengths: [3, 2])
        let completions: [[Int32]] = [[1, 4, 0], [3, 2]]
        var logits = (0..<(5 * V)).map { _ in Float(generator.nextUnit() * 4 - 2) }
        let head = PolicyLossHead()
        head.setTargets(completions, layout: layout)
        let temperature: Float = 0.8
        // Old and reference log-probs: the current ones shifted, so ratios leave [1 − ε, 1 + ε] (the
        // first sequence's mean log-ratio 0.3 too, so its sequence ratio clips).
        var current = [Float](repeating: 0, count: 2 * L)
        head.gather(logits: logits, layout: layout, range: 0..<2, vocabularySize: V, temperature: temperature, into: &current, entropies: nil)
        let shifts: [Float] = [0.5, -0.1, 0.5, -0.5, 0.45, 0]
        let old = zip(current, shifts).map { $0 - $1 }
        let reference = zip(current, shifts).map { $0 + 0.3 * $1 - 0.1 }
        let mask: [Float] = [1, 1, 1, 1, 1, 0]
        // Per token: the first sequence's tokens have their own advantages (as GAE gives).
        let advantages: [Float] = [0.9, 0.7, 1.1, -1.3, -1.3, -1.3]
        let cases = LossType.allCases.map { ($0, ImportanceSampling.token) }
            + [(.grpo, .sequence), (.grpo, .sequenceToken)]

        for (type, level) in cases {
            let settings = lossSettings(type, beta: 0.2, estimator: .k3, entropy: 0.1, epsilonLow: 0.2, epsilonHigh: 0.28,
                                        maxLength: L, level: level)
            func loss(_ values: [Float]) -> (PolicyLoss.Statistics, [Float]) {
                var gradients = [Float](repeating: 0, count: values.count)
                // CISPO detaches its weight: its gradient is the derivative with every ratio held
                // fixed, so the old log-probs follow the current ones.
                var old = old
                if type == .cispo {
                    var moved = [Float](repeating: 0, count: 2 * L)
                    head.gather(logits: values, layout: layout, range: 0..<2, vocabularySize: V, temperature: temperature,
                                into: &moved, entropies: nil)
                    old = zip(moved, shifts).map { $0 - $1 }
                }
                let stats = head.lossAndGradients(
                    logits: values, layout: layout, range: 0..<2, vocabularySize: V, temperature: temperature, oldLogProbs: old,
                    referenceLogProbs: reference, mask: mask, advantages: advantages, settings: settings,
                    normalisation: .init(sequences: 2, tokens: 5), logitGradients: &gradients)
                return (stats, gradients)
            }
            let (stats, analytic) = loss(logits)
            XCTAssertGreaterThan(stats.clipRegion, 0, "clipping must be active (\(type) \(level))")
            XCTAssertLessThan(stats.clipRegion, 1)
            var worst: Float = 0
            let h: Float = 1e-2
            for index in logits.indices {
                let saved = logits[index]
                logits[index] = saved + h
                let plus = loss(logits).0.loss
                logits[index] = saved - h
                let minus = loss(logits).0.loss
                logits[index] = saved
                let numeric = Float((plus - minus) / Double(2 * h))
                worst = max(worst, abs(numeric - analytic[index]))
                XCTAssertEqual(analytic[index], numeric, accuracy: 2e-3 + 2e-2 * abs(numeric), "\(type) \(level) logit \(index)")
            }
            // Every row predicts a loss-bearing token, so every row has a gradient.
            XCTAssertTrue((0..<5).allSatisfy { row in (0..<V).contains { analytic[row * V + $0] != 0 } })
            print("PolicyLossHead \(type) \(level): largest |analytic − numeric| = \(worst)")
        }
    }
}
