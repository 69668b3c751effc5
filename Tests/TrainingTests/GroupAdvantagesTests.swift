import XCTest
@testable import Model
@testable import Training

final class GroupAdvantagesTests: XCTestCase {
    /// A worked example: rewards [1, 0, 0, 0] in one group.
    func testWorkedExampleSampleStd() {
        let result = GroupAdvantages.compute(rewards: [1, 0, 0, 0], groupSize: 4, scaling: .group, ddof: 1, epsilon: 1e-4)
        XCTAssertEqual(result.advantages[0], 0.75 / 0.5001, accuracy: 1e-12)
        XCTAssertEqual(result.advantages[0], 1.4997, accuracy: 1e-4)
        for i in 1..<4 { XCTAssertEqual(result.advantages[i], -0.4999, accuracy: 1e-4) }
        XCTAssertEqual(result.fractionZeroStd, 0)
    }

    func testWorkedExamplePopulationStd() {
        let result = GroupAdvantages.compute(rewards: [1, 0, 0, 0], groupSize: 4, scaling: .group, ddof: 0, epsilon: 1e-4)
        XCTAssertEqual(result.advantages[0], 1.732, accuracy: 1e-3)
        XCTAssertEqual(result.advantages[1], -0.577, accuracy: 1e-3)
    }

    func testSingletonGroupsAreFinite() {
        for ddof in [0, 1] {
            let result = GroupAdvantages.compute(rewards: [3, -1, 7], groupSize: 1, scaling: .group, ddof: ddof, epsilon: 1e-4)
            XCTAssertEqual(result.advantages, [0, 0, 0])
            XCTAssertEqual(result.fractionZeroStd, 1)
        }
    }

    func testZeroStdGroupGetsZeroAdvantageAndIsCounted() {
        let result = GroupAdvantages.compute(rewards: [0.1, 0.1, 0.1, 1, 0, 1], groupSize: 3, scaling: .group, ddof: 1, epsilon: 1e-4)
        XCTAssertEqual(Array(result.advantages[0..<3]), [0, 0, 0])
        XCTAssertNotEqual(result.advantages[3], 0)
        XCTAssertEqual(result.fractionZeroStd, 0.5, accuracy: 1e-12)
    }

    func testBatchScalingUsesGroupMeanAndBatchStd() {
        let rewards: [Double] = [1, 0, 0, 0, 1, 1, 0, 0]
        let result = GroupAdvantages.compute(rewards: rewards, groupSize: 4, scaling: .batch, ddof: 1, epsilon: 0)
        // Batch mean 0.375; sample variance = (3·0.625² + 5·0.375²)/7.
        let batchStd = ((3 * 0.625 * 0.625 + 5 * 0.375 * 0.375) / 7).squareRoot()
        XCTAssertEqual(result.advantages[0], 0.75 / batchStd, accuracy: 1e-12)
        XCTAssertEqual(result.advantages[4], 0.5 / batchStd, accuracy: 1e-12)
        XCTAssertEqual(result.advantages[7], -0.5 / batchStd, accuracy: 1e-12)
    }

    func testNoScalingIsCentredReward() {
        let result = GroupAdvantages.compute(rewards: [2, 0, 5, 1], groupSize: 2, scaling: .none, ddof: 1, epsilon: 1e-4)
        XCTAssertEqual(result.advantages, [1, -1, 2, -2])
    }

    /// Shift and positive scale leave std-scaled advantages unchanged (TRL #2832).
    func testInvariance() {
        let a = GroupAdvantages.compute(rewards: [1, 0], groupSize: 2, scaling: .group, ddof: 1, epsilon: 1e-9)
        let b = GroupAdvantages.compute(rewards: [1, -1], groupSize: 2, scaling: .group, ddof: 1, epsilon: 1e-9)
        XCTAssertEqual(a.advantages[0], b.advantages[0], accuracy: 1e-6)
        XCTAssertEqual(a.advantages[1], b.advantages[1], accuracy: 1e-6)
    }

    /// KL in the reward: each completion loses β·Σ_t KL_t (sampler log-probs against the
    /// reference) before advantages are formed.
    func testKLInRewardIsSubtractedBeforeAdvantages() {
        // Completion 0: two tokens with l_old − l_ref = 0.5 each; completion 1: one token at 0.
        let completions = [SampledCompletion(tokens: [1, 2], logProbs: [-1, -1], finish: .endOfText),
                           SampledCompletion(tokens: [3], logProbs: [-2], finish: .endOfText)]
        let reference: [Float] = [-1.5, -1.5, -2, 0]
        let kl = RewardKL(coefficient: 0.1, estimator: .k1, completions: completions, lengths: [2, 1], reference: reference, width: 2)
        XCTAssertEqual(kl.penalties, [0.05, 0.05, 0, 0], accuracy: 1e-7)
        XCTAssertEqual(kl.meanKL, 0.25, accuracy: 1e-7)
        let batch = BatchRewards(scores: [1, 1], groupSize: 2, lengths: [2, 1], klPenalties: kl.penalties, mask: [1, 1, 1, 0], width: 2)
        XCTAssertEqual(batch.sequenceRewards, [0.9, 1], accuracy: 1e-7)
        let (advantages, _) = AdvantageEstimator.grpo.advantages(batch, scaling: .none, ddof: 1, epsilon: 1e-4, gamma: 1)
        XCTAssertEqual(advantages, [-0.05, -0.05, 0.05, 0.05], accuracy: 1e-7)
    }
}
