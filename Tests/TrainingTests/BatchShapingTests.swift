import XCTest
@testable import Training

/// The adaptive KL controller, DAPO's overlong penalty and its group filter.
final class BatchShapingTests: XCTestCase {
    /// veRL's AdaptiveKLController: KL 0.15 over target 0.1 is a +50 % error clipped to +20 %;
    /// with 8 completions and horizon 100 the coefficient grows by 1.6 %.
    func testAdaptiveKLControllerByHand() {
        var controller = KLController(coefficient: 0.05, control: .adaptive, target: 0.1, horizon: 100)
        controller.update(meanKL: 0.15, sequences: 8)
        XCTAssertEqual(controller.coefficient, 0.05 * (1 + 0.2 * 8 / 100), accuracy: 1e-15)
        controller.update(meanKL: 0.09, sequences: 8)
        XCTAssertEqual(controller.coefficient, 0.05 * 1.016 * (1 - 0.1 * 8 / 100), accuracy: 1e-15)
        var fixed = KLController(coefficient: 0.05, control: .fixed, target: 0.1, horizon: 100)
        fixed.update(meanKL: 5, sequences: 8)
        XCTAssertEqual(fixed.coefficient, 0.05)
    }

    /// L_max 10, buffer 4: no penalty up to 6 tokens, then −factor/4 per token to −factor at 10.
    func testOverlongPenaltyRampsOverTheBuffer() {
        let penalty = OverlongPenalty(buffer: 4, factor: 0.5)
        XCTAssertEqual((1...10).map { penalty.value(length: $0, maxLength: 10) },
                       [0, 0, 0, 0, 0, 0, -0.125, -0.25, -0.375, -0.5])
    }

    func testInformativeGroupsDropAgreeingGroups() {
        XCTAssertEqual(DynamicSampling.informativeGroups(rewards: [1, 1, 0, 1, 0, 0, 0.5, 0.5], groupSize: 2), [1])
        XCTAssertEqual(DynamicSampling.informativeGroups(rewards: [1, 1, 1], groupSize: 1), [0, 1, 2])
    }
}
