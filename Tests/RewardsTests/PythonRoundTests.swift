import XCTest
@testable import Rewards

final class PythonRoundTests: XCTestCase {
    /// Expected values printed by CPython's `round(x, 2)`.
    func testMatchesPythonRoundOnTiesAndNearTies() {
        let cases: [(Double, Double)] = [
            (64.0 / 512, 0.12), (320.0 / 512, 0.62), (0.375, 0.38), (2.675, 2.67), (1.005, 1.0),
            (0.285, 0.28), (0.145, 0.14), (0.015, 0.01), (0.025, 0.03), (0.035, 0.04), (0.045, 0.04),
            (1.0 / 3, 0.33), (2.0 / 3, 0.67), (300.0 / 384, 0.78), (0.005, 0.01), (1e-9, 0.0),
            (7.125, 7.12), (100.0 / 256, 0.39), (0, 0), (1, 1), (-0.125, -0.12),
        ]
        for (value, expected) in cases {
            XCTAssertEqual(PythonRound.twoDecimals(value), expected, "round(\(value), 2)")
        }
    }
}
