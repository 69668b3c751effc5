import XCTest
@testable import Training

/// RLOO, REINFORCE++, REINFORCE++-baseline and GDPO on hand-computed cases.
final class AdvantageEstimatorTests: XCTestCase {
    /// Rewards [1, 0, 0, 0]: each against the mean of the other three.
    func testRLOOIsLeaveOneOut() {
        let advantages = GroupAdvantages.leaveOneOut(rewards: [1, 0, 0, 0], groupSize: 4)
        XCTAssertEqual(advantages, [1, -1.0 / 3, -1.0 / 3, -1.0 / 3], accuracy: 1e-12)
        let pairs = GroupAdvantages.leaveOneOut(rewards: [2, 4, 1, 1], groupSize: 2)
        XCTAssertEqual(pairs, [-2, 2, 0, 0], accuracy: 1e-12)
        XCTAssertEqual(GroupAdvantages.leaveOneOut(rewards: [3, 5], groupSize: 1), [0, 0])
    }

    /// Broadcast over each completion's tokens; the KL in the reward is summed into R first.
    func testRLOOThroughTheEstimatorSubtractsTheKL() {
        // Two completions of one group, lengths 2 and 1, width 2; penalties β·KL_t.
        let batch = BatchRewards(scores: [1, 1], groupSize: 2, lengths: [2, 1], klPenalties: [0.1, 0.2, 0.3, 0],
                                 mask: [1, 1, 1, 0], width: 2)
        XCTAssertEqual(batch.sequenceRewards, [0.7, 0.7], accuracy: 1e-12)
        let (advantages, zeroStd) = AdvantageEstimator.rloo.advantages(batch, scaling: .group, ddof: 1, epsilon: 1e-4, gamma: 1)
        XCTAssertEqual(advantages, [0, 0, 0, 0], accuracy: 1e-12)
        XCTAssertEqual(zeroStd, 1)
        var unequal = batch
        unequal.klPenalties = [0.1, 0.2, 0.5, 0]
        let (moved, _) = AdvantageEstimator.rloo.advantages(unequal, scaling: .group, ddof: 1, epsilon: 1e-4, gamma: 1)
        // R = [0.7, 0.5]: 0.7 − 0.5 and 0.5 − 0.7, on every token of the row.
        XCTAssertEqual(moved, [0.2, 0.2, -0.2, -0.2], accuracy: 1e-12)
    }

    /// REINFORCE++: token rewards −β·KL_t, the score added on the last token; γ = 1 returns
    /// seq 0: [−0.1 − 0.2 + 1, −0.2 + 1] = [0.7, 0.8], seq 1: [−0.3]; whitened over the three
    /// tokens with mean 0.4 and sample variance (0.09 + 0.16 + 0.49)/2 = 0.37.
    func testReinforcePlusPlusWhitensDiscountedTokenReturns() {
        let batch = BatchRewards(scores: [1, 0], groupSize: 1, lengths: [2, 1], klPenalties: [0.1, 0.2, 0.3, 9],
                                 mask: [1, 1, 1, 0], width: 2)
        let (advantages, _) = AdvantageEstimator.reinforcePlusPlus.advantages(batch, scaling: .group, ddof: 1, epsilon: 1e-4, gamma: 1)
        let scale = (0.37 + 1e-8).squareRoot()
        XCTAssertEqual(advantages, [0.3 / scale, 0.4 / scale, -0.7 / scale, 0], accuracy: 1e-9)
        // γ = 0.5: seq 0 returns [−0.1 + 0.5·0.8, 0.8] = [0.3, 0.8].
        let (discounted, _) = AdvantageEstimator.reinforcePlusPlus.advantages(batch, scaling: .group, ddof: 1, epsilon: 1e-4, gamma: 0.5)
        let returns = [0.3, 0.8, -0.3]
        let mean = returns.reduce(0, +) / 3
        let variance = returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 2
        XCTAssertEqual(discounted[0], (0.3 - mean) / (variance + 1e-8).squareRoot(), accuracy: 1e-9)
        XCTAssertEqual(discounted[1], (0.8 - mean) / (variance + 1e-8).squareRoot(), accuracy: 1e-9)
    }

    /// REINFORCE++-baseline: group means first ([1, 0] → ±0.5, [1, 1] → 0), broadcast over the
    /// tokens (lengths 2, 1, 1, 2), then whitened over those 6 tokens.
    func testReinforcePlusPlusBaselineCentresInGroupsThenWhitensTheBatch() {
        let batch = BatchRewards(scores: [1, 0, 1, 1], groupSize: 2, lengths: [2, 1, 1, 2], klPenalties: nil,
                                 mask: [1, 1, 1, 0, 1, 0, 1, 1], width: 2)
        let (advantages, zeroStd) = AdvantageEstimator.reinforcePlusPlusBaseline.advantages(batch, scaling: .group, ddof: 1,
                                                                                          epsilon: 1e-4, gamma: 1)
        let tokens = [0.5, 0.5, -0.5, 0, 0, 0]
        let mean = tokens.reduce(0, +) / 6
        let scale = (tokens.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 5 + 1e-8).squareRoot()
        XCTAssertEqual(advantages, [(0.5 - mean) / scale, (0.5 - mean) / scale, (-0.5 - mean) / scale, 0,
                                    -mean / scale, 0, -mean / scale, -mean / scale], accuracy: 1e-9)
        XCTAssertEqual(zeroStd, 0.5)
        // A group of one keeps its reward (veRL): whitening the raw rewards [1, 0].
        let single = BatchRewards(scores: [1, 0], groupSize: 1, lengths: [1, 1], klPenalties: nil, mask: [1, 1], width: 1)
        let (raw, _) = AdvantageEstimator.reinforcePlusPlusBaseline.advantages(single, scaling: .group, ddof: 1, epsilon: 1e-4, gamma: 1)
        XCTAssertEqual(raw, [0.5 / (0.5 + 1e-8).squareRoot(), -0.5 / (0.5 + 1e-8).squareRoot()], accuracy: 1e-9)
    }

    /// GDPO: components [[1, 0], [0, 0] | [1, 1], [1, 0]] with weights [1, 2] in groups of 2.
    /// Group 1 normalises only the first component (±1/√2), group 2 only the second (±√2 after
    /// its weight); the batch normalisation divides by √(5/3). Summing first would give both
    /// groups the same ±0.707: normalising first keeps the weight-2 component's larger say.
    func testNormalizeThenSumNormalisesEachComponentInItsGroup() {
        let components: [[Double]] = [[1, 0], [0, 0], [1, 1], [1, 0]]
        let advantages = GroupAdvantages.normalizeThenSum(components: components, weights: [1, 2], groupSize: 2,
                                                          ddof: 1, epsilon: 0)
        let scale = (5.0 / 3).squareRoot()
        let half = 0.5.squareRoot()
        XCTAssertEqual(advantages, [half / scale, -half / scale, 2 * half / scale, -2 * half / scale], accuracy: 1e-9)
        let summed = GroupAdvantages.compute(rewards: [1, 0, 3, 1], groupSize: 2, scaling: .group, ddof: 1, epsilon: 0)
        XCTAssertEqual(summed.advantages, [half, -half, half, -half], accuracy: 1e-9)
        // Every component constant in its group: no signal.
        XCTAssertEqual(GroupAdvantages.normalizeThenSum(components: [[1, 2], [1, 2]], weights: [1, 1], groupSize: 2,
                                                        ddof: 1, epsilon: 1e-4), [0, 0])
    }

    func testWhiteningHasZeroMeanAndUnitSampleVarianceOverTheMask() {
        let values: [Double] = [3, 1, 4, 1, 5, 9, 2, 6]
        let mask: [Float] = [1, 1, 0, 1, 1, 1, 0, 1]
        let whitened = TokenAdvantages.whiten(values, mask: mask)
        let kept = zip(whitened, mask).filter { $0.1 != 0 }.map(\.0)
        let mean = kept.reduce(0, +) / Double(kept.count)
        let variance = kept.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(kept.count - 1)
        XCTAssertEqual(mean, 0, accuracy: 1e-12)
        XCTAssertEqual(variance, 1, accuracy: 1e-6)
        XCTAssertEqual(whitened[2], 0)
        XCTAssertEqual(whitened[6], 0)
        XCTAssertEqual(TokenAdvantages.whiten([5], mask: [1]), [0])
    }
}

func XCTAssertEqual(_ a: [Double], _ b: [Double], accuracy: Double, _ message: String = "",
                    file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, "sizes differ: \(a) vs \(b) \(message)", file: file, line: line)
    for (x, y) in zip(a, b) where abs(x - y) > accuracy {
        XCTFail("\(a) is not \(b) within \(accuracy) \(message)", file: file, line: line)
        return
    }
}
