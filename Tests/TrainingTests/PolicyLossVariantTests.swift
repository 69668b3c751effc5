import Basics
import XCTest
@testable import Training

/// GSPO, GSPO-token, dual-clip PPO, CISPO and the k2 estimator: hand-computed cases, and every
/// combination against central differences with per-token advantages.
final class PolicyLossVariantTests: XCTestCase {
    /// One sequence of two tokens, log-ratios [0.5, −0.3], A = 1, ε = 0.2.
    func oneSequence(advantage: Float) -> TokenBatch {
        TokenBatch(sequences: 1, width: 2, logProbs: [-0.5, -1.3], oldLogProbs: [-1, -1], referenceLogProbs: [-1, -1],
                   entropies: [0, 0], mask: [1, 1], advantages: [advantage])
    }

    /// GSPO clips once per sequence: s = exp(0.1) = 1.10517 is inside [0.8, 1.2] although the first
    /// token's own ratio e^0.5 = 1.6487 is not. loss = −s·A; each token's gradient −A·s/|o|.
    func testSequenceRatioIsTheGeometricMeanClippedOncePerSequence() {
        let s = exp(0.1)
        let (sequenceStats, sequenceGradients, _) = oneSequence(advantage: 1).evaluate(lossSettings(.grpo, level: .sequence))
        XCTAssertEqual(sequenceStats.loss, -s, accuracy: 1e-6)
        XCTAssertEqual(sequenceStats.clipRegion, 0)
        for g in sequenceGradients { XCTAssertEqual(Double(g), -s / 2, accuracy: 1e-6) }
        // The token-level loss on the same data clips the first token: ½(−1.2 − e^−0.3).
        let (tokenStats, tokenGradients, _) = oneSequence(advantage: 1).evaluate(lossSettings(.grpo))
        XCTAssertEqual(tokenStats.loss, 0.5 * (-1.2 - exp(-0.3)), accuracy: 1e-6)
        XCTAssertEqual(tokenStats.clipHigh, 0.5)
        XCTAssertEqual(tokenGradients[0], 0)
        XCTAssertEqual(Double(tokenGradients[1]), -0.5 * exp(-0.3), accuracy: 1e-6)
        // A = −1: loss = −min(−s, −clip(s)) = s.
        XCTAssertEqual(oneSequence(advantage: -1).evaluate(lossSettings(.grpo, level: .sequence)).0.loss, s, accuracy: 1e-6)
        // A sequence ratio beyond the bound clips every token: log-ratios [0.5, 0.3], s = e^0.4.
        var far = oneSequence(advantage: 1)
        far.logProbs = [-0.5, -0.7]
        let (farStats, farGradients, _) = far.evaluate(lossSettings(.grpo, level: .sequence))
        XCTAssertEqual(farStats.loss, -1.2, accuracy: 1e-6)
        XCTAssertEqual(farStats.clipHigh, 1)
        XCTAssertEqual(farGradients, [0, 0])
    }

    /// GSPO-token has GSPO's value but each token's gradient through its own log-prob only:
    /// with per-token advantages [2, −1], d loss/d l_t = −A_t·s·w.
    func testSequenceTokenRatioKeepsPerTokenAdvantages() {
        var batch = oneSequence(advantage: 0)
        batch.advantages = [2, -1]
        let s = exp(0.1)
        let (stats, gradients, _) = batch.evaluate(lossSettings(.grpo, level: .sequenceToken))
        XCTAssertEqual(stats.loss, 0.5 * (-2 * s + s), accuracy: 1e-6)
        XCTAssertEqual(Double(gradients[0]), -2 * s / 2, accuracy: 1e-6)
        XCTAssertEqual(Double(gradients[1]), s / 2, accuracy: 1e-6)
        // GSPO on the same data shares the sum out: both tokens get (−2s + s)/2 / 2.
        let (_, sequenceGradients, _) = batch.evaluate(lossSettings(.grpo, level: .sequence))
        for g in sequenceGradients { XCTAssertEqual(Double(g), (-2 * s + s) / 4, accuracy: 1e-6) }
    }

    /// Dual clip c = 3 with A = −2: ratio e^1.5 = 4.48 would cost 8.96 and is bounded at c·|A| = 6
    /// with no gradient; ratio 2 costs 4 (below the bound, gradient −A·r); ratio 0.5 is the
    /// ordinary low clip (−clip(0.5)·A = 1.6, no gradient). bnpo over 3 tokens.
    func testDualClipBoundsNegativeAdvantageLosses() {
        let batch = TokenBatch(sequences: 1, width: 3, logProbs: [1.5, log(2), log(0.5)], oldLogProbs: [0, 0, 0],
                               referenceLogProbs: [0, 0, 0], entropies: [0, 0, 0], mask: [1, 1, 1], advantages: [-2])
        let (stats, gradients, _) = batch.evaluate(lossSettings(.bnpo, dualClip: 3))
        XCTAssertEqual(stats.loss, (6 + 4 + 1.6) / 3, accuracy: 1e-5)
        XCTAssertEqual(stats.clipDual, 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(stats.clipLow, 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(gradients[0], 0)
        XCTAssertEqual(gradients[1], 4.0 / 3, accuracy: 1e-6)
        XCTAssertEqual(gradients[2], 0)
        // Without the dual clip the first token costs e^1.5·2.
        let (plain, plainGradients, _) = batch.evaluate(lossSettings(.bnpo))
        XCTAssertEqual(plain.loss, (2 * exp(1.5) + 4 + 1.6) / 3, accuracy: 1e-5)
        XCTAssertEqual(Double(plainGradients[0]), 2 * exp(1.5) / 3, accuracy: 1e-5)
        XCTAssertEqual(plain.clipDual, 0)
        // Positive advantages are never dual-clipped.
        var positive = batch
        positive.advantages = [2]
        XCTAssertEqual(positive.evaluate(lossSettings(.bnpo, dualClip: 3)).0.clipDual, 0)
    }

    /// CISPO: ℓ = −sg(min(r, 1 + ε_high))·A·l. A capped ratio keeps its gradient −(1 + ε_high)·A,
    /// and a token PPO would drop (A < 0, r below 1 − ε) keeps −r·A.
    func testCISPOClipsTheWeightNotTheGradient() {
        let batch = TokenBatch(sequences: 2, width: 1, logProbs: [-0.5, -1.5], oldLogProbs: [-1, -1],
                               referenceLogProbs: [-1, -1], entropies: [0, 0], mask: [1, 1], advantages: [1, -1])
        let (stats, gradients, _) = batch.evaluate(lossSettings(.cispo, epsilonHigh: 0.28))
        let lowRatio = exp(-0.5)
        // Token mean over 2 tokens: (−1.28·1·(−0.5) + e^−0.5·(−1.5)) / 2.
        XCTAssertEqual(stats.loss, (1.28 * 0.5 - lowRatio * 1.5) / 2, accuracy: 1e-6)
        XCTAssertEqual(gradients[0], -1.28 / 2, accuracy: 1e-6)
        XCTAssertEqual(Double(gradients[1]), lowRatio / 2, accuracy: 1e-6)
        XCTAssertEqual(stats.clipHigh, 0.5)
        XCTAssertEqual(stats.clipLow, 0)
        // The clipped surrogate zeroes both tokens' policy gradients on the same data.
        let (_, ppoGradients, _) = batch.evaluate(lossSettings(.bnpo, epsilonHigh: 0.28))
        XCTAssertEqual(ppoGradients, [0, 0])
    }

    func testK2IsHalfTheSquaredLogRatio() {
        XCTAssertEqual(KLDivergence.value(.k2, logProb: -1, referenceLogProb: -3), 2)
        XCTAssertEqual(KLDivergence.derivative(.k2, logProb: -1, referenceLogProb: -3), 2)
        XCTAssertEqual(KLDivergence.value(.k2, logProb: -2, referenceLogProb: -2), 0)
        // In the loss: β·k2 per token, gradient β·(l − l_ref)·w.
        let batch = TokenBatch(sequences: 1, width: 2, logProbs: [-1, -2], oldLogProbs: [-1, -2], referenceLogProbs: [-3, -2],
                               entropies: [0, 0], mask: [1, 1], advantages: [0])
        let (stats, gradients, _) = batch.evaluate(lossSettings(.bnpo, beta: 0.5, estimator: .k2))
        XCTAssertEqual(stats.loss, 0.5 * 2 / 2, accuracy: 1e-9)
        XCTAssertEqual(stats.kl, 1, accuracy: 1e-9)
        XCTAssertEqual(gradients, [0.5, 0])
    }

    /// Every importance-sampling level × dual clip × loss type × estimator against central
    /// differences, off-policy with per-token advantages of both signs.
    func testEveryVariantMatchesFiniteDifferences() {
        var generator = SplitMix64(seed: 19)
        let sequences = 3, width = 4, count = sequences * width
        func uniform(_ low: Float, _ high: Float) -> Float { low + (high - low) * Float(generator.nextUnit()) }
        let old = (0..<count).map { _ in uniform(-3, -0.2) }
        var current = old.map { $0 + uniform(-1.3, 1.3) }
        var advantages = (0..<count).map { _ in uniform(-1.5, 1.5) }
        // Token 1: ratio e^0.9 ≈ 2.46 with A < 0, beyond the dual clip 1.5.
        current[1] = old[1] + 0.9
        advantages[1] = -0.8
        let batch = TokenBatch(
            sequences: sequences, width: width, logProbs: current, oldLogProbs: old,
            referenceLogProbs: old.map { $0 + uniform(-0.5, 0.5) }, entropies: (0..<count).map { _ in uniform(0.5, 2) },
            mask: [1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 0], advantages: advantages)
        var combinations: [PolicyLoss.Settings] = []
        for level in ImportanceSampling.allCases {
            for dualClip: Float? in [nil, 1.5] {
                for type in LossType.allCases where !(type == .cispo && (level != .token || dualClip != nil)) {
                    for estimator in KLEstimator.allCases {
                        combinations.append(lossSettings(type, beta: 0.3, estimator: estimator, entropy: 0.05,
                                                         epsilonLow: 0.2, epsilonHigh: 0.28, level: level, dualClip: dualClip))
                    }
                }
            }
        }
        // GSPO-token detaches s, so its value is not a function whose derivative is its gradient:
        // it equals the token-level loss where every token's ratio is s (old log-probs moved to
        // l − log s), which the finite differences below check.
        var atSequenceRatio = batch
        for i in 0..<sequences {
            let row = (i * width)..<((i + 1) * width)
            let tokens = row.filter { batch.mask[$0] != 0 }
            let meanLogRatio = tokens.reduce(Float(0)) { $0 + batch.logProbs[$1] - batch.oldLogProbs[$1] } / Float(tokens.count)
            for index in row { atSequenceRatio.oldLogProbs[index] = batch.logProbs[index] - meanLogRatio }
        }
        var dualSeen = false
        for settings in combinations {
            let (stats, gradients, _) = batch.evaluate(settings)
            if settings.dualClip != nil && stats.clipDual > 0 { dualSeen = true }
            let label = "\(settings.lossType) \(settings.importanceSampling) dual \(String(describing: settings.dualClip)) \(settings.klEstimator)"
            if settings.importanceSampling == .sequenceToken {
                var token = settings
                token.importanceSampling = .token
                let (tokenStats, tokenGradients, _) = atSequenceRatio.evaluate(token)
                XCTAssertEqual(stats.loss, tokenStats.loss, accuracy: 1e-6, label)
                for index in 0..<count { XCTAssertEqual(gradients[index], tokenGradients[index], accuracy: 1e-6, "\(label) token \(index)") }
                continue
            }
            for index in 0..<count {
                let numeric = batch.numericDerivative(settings, at: index)
                XCTAssertEqual(Double(gradients[index]), numeric, accuracy: 3e-3, "\(label) token \(index)")
            }
            if settings.importanceSampling == .token {
                for index in 0..<count {
                    let numeric = atSequenceRatio.numericDerivative(settings, at: index)
                    XCTAssertEqual(Double(atSequenceRatio.evaluate(settings).1[index]), numeric, accuracy: 3e-3, "\(label) at s, token \(index)")
                }
            }
        }
        XCTAssertTrue(dualSeen, "the data must exercise the dual clip")
    }
}
