import XCTest
@testable import Report

/// Reference values computed on this machine with SciPy 1.17.1 / NumPy:
///   st.ttest_ind(a, b, equal_var=False) → statistic, pvalue, df
///   st.t.interval(0.95, n-1, loc=mean, scale=std(ddof=1)/sqrt(n))
final class StatisticsTests: XCTestCase {
    func testSummaryMatchesSciPyInterval() throws {
        let values = [0.52, 0.55, 0.49, 0.58, 0.51]
        let s = try XCTUnwrap(SeedSummary(values))
        XCTAssertEqual(s.n, 5)
        XCTAssertEqual(s.mean, 0.53, accuracy: 1e-15)
        XCTAssertEqual(try XCTUnwrap(s.standardDeviation), 0.03535533905932737, accuracy: 1e-15)
        XCTAssertEqual(try XCTUnwrap(s.ciLow), 0.4861005483457459, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(s.ciHigh), 0.5738994516542542, accuracy: 1e-12)
    }

    func testSummaryOfOneValueHasNoInterval() throws {
        let s = try XCTUnwrap(SeedSummary([0.7]))
        XCTAssertEqual(s.mean, 0.7)
        XCTAssertNil(s.standardDeviation)
        XCTAssertNil(s.halfWidth)
        XCTAssertNil(SeedSummary([]))
    }

    func testWelchMatchesSciPy() throws {
        // (a, b, statistic, pvalue, df)
        let cases: [([Double], [Double], Double, Double, Double)] = [
            ([0.52, 0.55, 0.49, 0.58, 0.51], [0.44, 0.47, 0.41, 0.50], 3.0000000000000027, 0.02284392750862955, 6.249999999999999),
            ([1, 2, 3], [1.5, 2.5, 3.5, 4.5, 5.5], -1.6431676725154984, 0.15244255151927696, 5.882352941176469),
            ([0.30, 0.31, 0.29], [0.40, 0.42, 0.41], -13.472193585307485, 0.0001756353826164643, 4.000000000000001),
        ]
        for (a, b, t, p, df) in cases {
            let test = try XCTUnwrap(WelchTest(a, b))
            XCTAssertEqual(test.t, t, accuracy: 1e-10 * abs(t))
            XCTAssertEqual(test.degreesOfFreedom, df, accuracy: 1e-10 * df)
            XCTAssertEqual(test.pValue, p, accuracy: 1e-9 * p)
        }
    }

    func testWelchUndefinedCases() {
        XCTAssertNil(WelchTest([0.5], [0.4, 0.6]), "n = 1 has no variance")
        XCTAssertNil(WelchTest([0.5, 0.5], [0.4, 0.4]), "zero variance on both sides")
    }

    func testSignificanceMarkers() {
        XCTAssertEqual(significanceMarker(0.0001756), "**")
        XCTAssertEqual(significanceMarker(0.0228), "*")
        XCTAssertEqual(significanceMarker(0.152), "")
        XCTAssertEqual(significanceMarker(nil), "")
    }
}
