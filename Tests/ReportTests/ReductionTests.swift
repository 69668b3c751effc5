import XCTest
@testable import Report
@testable import Sweep

final class ReductionTests: XCTestCase {
    let values = [0.1, 0.5, 0.3, 0.4, 0.2, 0.35]

    func testLastBestMeanLastK() throws {
        XCTAssertEqual(Reduction.last.apply(values), 0.35)
        XCTAssertEqual(Reduction.best.apply(values), 0.5)
        XCTAssertEqual(Reduction.best.apply(values, higherIsBetter: false), 0.1)
        XCTAssertEqual(try XCTUnwrap(Reduction.meanLastK(3).apply(values)), (0.4 + 0.2 + 0.35) / 3, accuracy: 1e-15)
        XCTAssertEqual(try XCTUnwrap(Reduction.meanLastK(10).apply(values)), values.reduce(0, +) / 6, accuracy: 1e-15,
                       "k larger than the series uses every point")
        XCTAssertNil(Reduction.last.apply([Double]()))
    }

    func testNaNIsNeverHiddenByBest() throws {
        XCTAssertTrue(try XCTUnwrap(Reduction.best.apply([0.2, .nan, 0.9])).isNaN)
    }

    func testNames() throws {
        XCTAssertEqual(try Reduction(name: "last", k: 5), .last)
        XCTAssertEqual(try Reduction(name: "best", k: 5), .best)
        XCTAssertEqual(try Reduction(name: "mean-last-k", k: 7), .meanLastK(7))
        XCTAssertEqual(Reduction.meanLastK(7).description, "mean-last-7")
        XCTAssertThrowsError(try Reduction(name: "mean-last-3", k: 5), "only the spec's names are accepted")
        XCTAssertThrowsError(try Reduction(name: "mean-last-k", k: 0))
        XCTAssertThrowsError(try Reduction(name: "median", k: 5))
    }

    func testMetricPaths() throws {
        XCTAssertEqual(try MetricPath(parsing: "eval.unseen.accuracy"), .eval(split: "unseen", metric: "accuracy"))
        XCTAssertEqual(try MetricPath(parsing: "eval.overall.reward/total"), .eval(split: "overall", metric: "reward/total"))
        XCTAssertEqual(try MetricPath(parsing: "train.rewards/format/mean"), .train(name: "rewards/format/mean"))
        XCTAssertThrowsError(try MetricPath(parsing: "unseen.accuracy")) { error in
            XCTAssertTrue("\(error)".contains("eval.<split>.<metric>"))
        }
        XCTAssertFalse(MetricPath.train(name: "loss").higherIsBetter)
        XCTAssertTrue(MetricPath.train(name: "reward").higherIsBetter)
        XCTAssertTrue(MetricPath.eval(split: "seen", metric: "accuracy").higherIsBetter)
        XCTAssertFalse(MetricPath.eval(split: "multi", metric: "errors.wrong_count").higherIsBetter,
                       "fewer failing completions is better")
    }
}
