import RunStore
import XCTest
@testable import Training

/// `pass_at_k` and `sampled_accuracy` from per-sample verdicts, worked out by hand.
final class SampledVerdictsTests: XCTestCase {
    func testPassAtKCountsItemsWithARightSampleAndSampledAccuracyCountsSamples() {
        let items = [SampledVerdicts(exact: [true, false, false]),   // passes
                     SampledVerdicts(exact: [false, false, false]),  // fails
                     SampledVerdicts(exact: [false, true, true]),    // passes
                     SampledVerdicts(exact: [false, false, false])]  // fails
        let metrics = SampledVerdicts.metrics(items)
        XCTAssertEqual(metrics.map(\.0), ["pass_at_k", "sampled_accuracy"])
        XCTAssertEqual(metrics[0].1, .number(2.0 / 4))
        XCTAssertEqual(metrics[1].1, .number(3.0 / 12))
        XCTAssertTrue(SampledVerdicts.metrics([]).isEmpty)
    }
}
