import XCTest
@testable import Basics
@testable import Training

/// A hand-built batch of per-token arrays [sequences, width] for `PolicyLoss.compute`.
struct TokenBatch {
    var sequences: Int
    var width: Int
    var logProbs: [Float]
    var oldLogProbs: [Float]
    var referenceLogProbs: [Float]
    var entropies: [Float]
    var mask: [Float]
    /// One per sequence (broadcast to its tokens) or one per token.
    var advantages: [Float]

    var tokenAdvantages: [Float] {
        advantages.count == sequences * width ? advantages : advantages.flatMap { [Float](repeating: $0, count: width) }
    }

    /// Central difference of the loss in token `index`'s log-prob. CISPO detaches its weight, so
    /// its gradient is the derivative with the ratio held fixed: l and l_old move together.
    func numericDerivative(_ settings: PolicyLoss.Settings, at index: Int, step h: Float = 1e-3) -> Double {
        func loss(_ delta: Float) -> Double {
            var shifted = logProbs, shiftedOld = oldLogProbs
            shifted[index] += delta
            if settings.lossType == .cispo { shiftedOld[index] += delta }
            return evaluate(settings, logProbs: shifted, oldLogProbs: shiftedOld).0.loss
        }
        return (loss(h) - loss(-h)) / Double(2 * h)
    }

    func evaluate(_ settings: PolicyLoss.Settings, logProbs override: [Float]? = nil, oldLogProbs oldOverride: [Float]? = nil,
                  entropies entropyOverride: [Float]? = nil) -> (PolicyLoss.Statistics, [Float], [Float]) {
        var logProbGradients = [Float](repeating: .nan, count: sequences * width)
        var entropyGradients = [Float](repeating: .nan, count: sequences * width)
        let stats = PolicyLoss.compute(
            logProbs: override ?? logProbs, oldLogProbs: oldOverride ?? oldLogProbs, referenceLogProbs: referenceLogProbs,
            entropies: entropyOverride ?? entropies, mask: mask, advantages: tokenAdvantages,
            sequences: sequences, width: width, settings: settings,
            logProbGradients: &logProbGradients, entropyGradients: &entropyGradients)
        return (stats, logProbGradients, entropyGradients)
    }
}

func lossSettings(_ type: LossType, beta: Float = 0, estimator: KLEstimator = .k3, entropy: Float = 0,
                  epsilonLow: Float = 0.2, epsilonHigh: Float = 0.2, maxLength: Int = 5,
                  level: ImportanceSampling = .token, dualClip: Float? = nil) -> PolicyLoss.Settings {
    PolicyLoss.Settings(lossType: type, epsilonLow: epsilonLow, epsilonHigh: epsilonHigh, klCoefficient: beta,
                        klEstimator: estimator, entropyCoefficient: entropy, maxCompletionLength: maxLength,
                        importanceSampling: level, dualClip: dualClip)
}

final class PolicyLossTests: XCTestCase {
    /// Two on-policy sequences of unequal length: 3 tokens with A = 1, 1 token with A = −2.
    /// Per-token losses −A: [−1, −1, −1] and [2].
    let unequal = TokenBatch(
        sequences: 2, width: 3,
        logProbs: [-1, -2, -0.5, -1.5, -3, -3], oldLogProbs: [-1, -2, -0.5, -1.5, -3, -3],
        referenceLogProbs: [-1, -2, -0.5, -1.5, -3, -3], entropies: [1, 1, 1, 1, 1, 1],
        mask: [1, 1, 1, 1, 0, 0], advantages: [1, -2])

    func testNormalisersOnUnequalLengths() {
        // grpo: ½(−3/3 + 2/1); bnpo, dapo: (−3 + 2)/4; dr_grpo: (−3 + 2)/(2·5).
        let expected: [LossType: Double] = [.grpo: 0.5, .bnpo: -0.25, .dapo: -0.25, .drGRPO: -0.1]
        for (type, value) in expected {
            let (stats, gradients, _) = unequal.evaluate(lossSettings(type))
            XCTAssertEqual(stats.loss, value, accuracy: 1e-9, "\(type)")
            XCTAssertEqual(stats.tokenCount, 4)
            XCTAssertEqual(gradients[4], 0, "padding gets no gradient (\(type))")
        }
        let (_, grpoGradients, _) = unequal.evaluate(lossSettings(.grpo))
        XCTAssertEqual(grpoGradients[0], -1.0 / 6, accuracy: 1e-7)
        XCTAssertEqual(grpoGradients[3], 1.0, accuracy: 1e-7)
        let (_, dapoGradients, _) = unequal.evaluate(lossSettings(.dapo))
        XCTAssertEqual(dapoGradients[0], -0.25, accuracy: 1e-7)
        XCTAssertEqual(dapoGradients[3], 0.5, accuracy: 1e-7)
    }

    /// Masking a whole (truncated) completion removes its tokens from the denominator too.
    func testDenominatorIsCountedAfterMasking() {
        var masked = unequal
        masked.mask = [1, 1, 1, 0, 0, 0]
        XCTAssertEqual(masked.evaluate(lossSettings(.dapo)).0.loss, -1, accuracy: 1e-9)
        XCTAssertEqual(masked.evaluate(lossSettings(.bnpo)).0.loss, -1, accuracy: 1e-9)
        XCTAssertEqual(masked.evaluate(lossSettings(.grpo)).0.loss, -0.5, accuracy: 1e-9)
        var empty = unequal
        empty.mask = [Float](repeating: 0, count: 6)
        let stats = empty.evaluate(lossSettings(.dapo)).0
        XCTAssertEqual(stats.loss, 0)
        XCTAssertFalse(stats.entropy.isNaN)
    }

    func testOnPolicyRatioIsOneAndNothingClips() {
        var batch = unequal
        batch.advantages = [5, -5]
        let (stats, gradients, _) = batch.evaluate(lossSettings(.bnpo, epsilonLow: 0.01, epsilonHigh: 0.01))
        XCTAssertEqual(stats.clipLow, 0)
        XCTAssertEqual(stats.clipHigh, 0)
        XCTAssertEqual(stats.clipRegion, 0)
        // d ℓ/d l = −A · r with r = 1, times the token weight 1/4.
        XCTAssertEqual(gradients[0], -5.0 / 4, accuracy: 1e-6)
        XCTAssertEqual(gradients[3], 5.0 / 4, accuracy: 1e-6)
    }

    func testClipMetricsFollowTheSignOfTheAdvantage() {
        // ratio e^{0.5} ≈ 1.65 on A > 0 (high clip) and e^{-0.5} ≈ 0.61 on A < 0 (low clip).
        let batch = TokenBatch(
            sequences: 2, width: 2, logProbs: [-0.5, -1, -1.5, -1], oldLogProbs: [-1, -1, -1, -1],
            referenceLogProbs: [-1, -1, -1, -1], entropies: [0, 0, 0, 0], mask: [1, 1, 1, 1], advantages: [1, -1])
        let (stats, gradients, _) = batch.evaluate(lossSettings(.bnpo))
        XCTAssertEqual(stats.clipHigh, 0.25)
        XCTAssertEqual(stats.clipLow, 0.25)
        XCTAssertEqual(stats.clipRegion, 0.5)
        XCTAssertEqual(gradients[0], 0, "a clipped token has no policy gradient")
        XCTAssertEqual(gradients[2], 0)
        XCTAssertEqual(gradients[1], -0.25, accuracy: 1e-7)
    }

    func testK3IsNonNegativeAndZeroAtEquality() {
        for policy in stride(from: Float(-6), through: 0, by: 0.5) {
            for reference in stride(from: Float(-6), through: 0, by: 0.5) {
                let k3 = KLDivergence.value(.k3, logProb: policy, referenceLogProb: reference)
                XCTAssertGreaterThanOrEqual(k3, 0)
                if policy == reference { XCTAssertEqual(k3, 0) }
            }
        }
        XCTAssertEqual(KLDivergence.value(.k1, logProb: -1, referenceLogProb: -3), 2)
        // Far from the reference the log-ratio is clamped: finite value, no gradient.
        let far = KLDivergence.value(.k3, logProb: -200, referenceLogProb: -1)
        XCTAssertTrue(far.isFinite)
        XCTAssertEqual(far, expf(20) - 21, accuracy: 1)
        XCTAssertEqual(KLDivergence.derivative(.k3, logProb: -200, referenceLogProb: -1), 0)
    }

    /// With every reward equal, advantages are zero, so only KL and entropy move the policy.
    func testZeroStdGroupGivesZeroPolicyGradient() {
        let advantages = GroupAdvantages.compute(rewards: [0.7, 0.7], groupSize: 2, scaling: .group, ddof: 1, epsilon: 1e-4)
        var batch = unequal
        batch.advantages = advantages.advantages.map(Float.init)
        batch.logProbs = [-0.9, -2.1, -0.4, -1.6, -3, -3]
        for type in LossType.allCases {
            let (stats, gradients, _) = batch.evaluate(lossSettings(type))
            XCTAssertEqual(stats.loss, 0, "\(type)")
            XCTAssertTrue(gradients.allSatisfy { $0 == 0 }, "\(type)")
        }
    }

    /// d loss / d l and d loss / d H against central differences, off-policy with clipping active,
    /// KL in the loss and an entropy bonus, for every loss type.
    func testGradientsMatchFiniteDifferences() {
        var generator = SplitMix64(seed: 7)
        let sequences = 3, width = 4
        let count = sequences * width
        func uniform(_ low: Float, _ high: Float) -> Float { low + (high - low) * Float(generator.nextUnit()) }
        let old = (0..<count).map { _ in uniform(-3, -0.2) }
        // Ratios spread over roughly [0.55, 1.8] so that both clip branches occur.
        let current = old.map { $0 + uniform(-0.6, 0.6) }
        let batch = TokenBatch(
            sequences: sequences, width: width, logProbs: current, oldLogProbs: old,
            referenceLogProbs: old.map { $0 + uniform(-0.5, 0.5) }, entropies: (0..<count).map { _ in uniform(0.5, 2) },
            mask: [1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 0], advantages: [1.2, -0.7, 0.4])
        for type in LossType.allCases {
            for estimator in KLEstimator.allCases {
                let settings = lossSettings(type, beta: 0.3, estimator: estimator, entropy: 0.05, epsilonLow: 0.2, epsilonHigh: 0.28)
                let (stats, logProbGradients, entropyGradients) = batch.evaluate(settings)
                XCTAssertGreaterThan(stats.clipRegion, 0, "the test must exercise clipping")
                let h: Float = 1e-3
                for index in 0..<count {
                    let numeric = batch.numericDerivative(settings, at: index, step: h)
                    XCTAssertEqual(Double(logProbGradients[index]), numeric, accuracy: 2e-3, "\(type) \(estimator) token \(index)")
                    var entropyPlus = batch.entropies, entropyMinus = batch.entropies
                    entropyPlus[index] += h
                    entropyMinus[index] -= h
                    let entropyNumeric = (batch.evaluate(settings, entropies: entropyPlus).0.loss - batch.evaluate(settings, entropies: entropyMinus).0.loss) / Double(2 * h)
                    XCTAssertEqual(Double(entropyGradients[index]), entropyNumeric, accuracy: 1e-4)
                }
            }
        }
    }
}

extension SplitMix64 {
    mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
