import XCTest
@testable import Report

/// Reference values computed on this machine with SciPy 1.17.1:
///   python3 -c 'import scipy.stats as st; print(repr(st.t.ppf(0.975, df)), repr(st.t.cdf(1.5, df)))'
final class StudentTTests: XCTestCase {
    func testQuantilesMatchSciPy() {
        // (ν, t.ppf(0.975, ν), t.ppf(0.995, ν))
        let table: [(Double, Double, Double)] = [
            (1, 12.706204736174694, 63.656741162871526),
            (2, 4.302652729749462, 9.924843200918287),
            (3, 3.1824463052837078, 5.840909309733355),
            (4, 2.7764451051977934, 4.604094871349992),
            (5, 2.5705818356363146, 4.032142983555228),
            (9, 2.262157162798205, 3.249835541592126),
            (10, 2.228138851986274, 3.16927267261695),
            (30, 2.0422724563012378, 2.7499956535672254),
            (100, 1.9839715185235518, 2.6258905214380173),
        ]
        for (nu, q975, q995) in table {
            XCTAssertEqual(StudentT.quantile(0.975, degreesOfFreedom: nu), q975, accuracy: 1e-9 * q975, "ν = \(nu)")
            XCTAssertEqual(StudentT.quantile(0.995, degreesOfFreedom: nu), q995, accuracy: 1e-9 * q995, "ν = \(nu)")
            XCTAssertEqual(StudentT.quantile(0.025, degreesOfFreedom: nu), -q975, accuracy: 1e-9 * q975)
            XCTAssertEqual(StudentT.quantile975(degreesOfFreedom: Int(nu)), q975, accuracy: 1e-9 * q975)
        }
        // Non-integer ν (Welch): st.t.ppf(0.975, 2.5)
        XCTAssertEqual(StudentT.quantile(0.975, degreesOfFreedom: 2.5), 3.5746548420036817, accuracy: 1e-9)
        XCTAssertEqual(StudentT.quantile(0.5, degreesOfFreedom: 7), 0)
    }

    func testCDFMatchesSciPy() {
        let cdfAt1_5: [(Double, Double)] = [
            (1, 0.8128329581890011), (2, 0.8638034375544994), (3, 0.8847080673775886), (4, 0.896),
            (5, 0.9030481598787634), (10, 0.9177463367772799), (30, 0.927967035435677), (100, 0.9316174709376556),
        ]
        for (nu, expected) in cdfAt1_5 {
            XCTAssertEqual(StudentT.cdf(1.5, degreesOfFreedom: nu), expected, accuracy: 1e-12, "ν = \(nu)")
            XCTAssertEqual(StudentT.cdf(-1.5, degreesOfFreedom: nu), 1 - expected, accuracy: 1e-12)
        }
        // st.t.cdf(-2.0, 7.3)
        XCTAssertEqual(StudentT.cdf(-2.0, degreesOfFreedom: 7.3), 0.041970519667051565, accuracy: 1e-12)
        XCTAssertEqual(StudentT.cdf(0, degreesOfFreedom: 3), 0.5, accuracy: 1e-15)
        XCTAssertEqual(StudentT.cdf(.infinity, degreesOfFreedom: 3), 1)
        // ν = 1 is the Cauchy distribution: F(t) = 1/2 + atan(t)/π.
        for t in [-7.0, -0.3, 0.8, 25] {
            XCTAssertEqual(StudentT.cdf(t, degreesOfFreedom: 1), 0.5 + atan(t) / .pi, accuracy: 1e-13)
        }
    }

    func testIncompleteBetaClosedForms() {
        for x in [0.0, 0.05, 0.3, 0.5, 0.77, 0.999, 1.0] {
            // I_x(1, 1) = x; I_x(a, 1) = x^a; I_x(1, b) = 1 − (1 − x)^b
            XCTAssertEqual(StudentT.regularizedIncompleteBeta(x: x, a: 1, b: 1), x, accuracy: 1e-14)
            XCTAssertEqual(StudentT.regularizedIncompleteBeta(x: x, a: 3.5, b: 1), pow(x, 3.5), accuracy: 1e-13)
            XCTAssertEqual(StudentT.regularizedIncompleteBeta(x: x, a: 1, b: 4), 1 - pow(1 - x, 4), accuracy: 1e-13)
        }
        // Symmetry: I_{1/2}(a, a) = 1/2, and I_x(a, b) = 1 − I_{1−x}(b, a).
        XCTAssertEqual(StudentT.regularizedIncompleteBeta(x: 0.5, a: 40, b: 40), 0.5, accuracy: 1e-12)
        XCTAssertEqual(StudentT.regularizedIncompleteBeta(x: 0.3, a: 2.5, b: 7),
                       1 - StudentT.regularizedIncompleteBeta(x: 0.7, a: 7, b: 2.5), accuracy: 1e-14)
    }

    func testTwoSidedPValueIsTwiceTheTail() {
        for nu in [1.0, 3.3, 12] {
            for t in [0.2, 1.7, -2.9, 6] {
                let tail = StudentT.cdf(-abs(t), degreesOfFreedom: nu)
                XCTAssertEqual(StudentT.twoSidedPValue(t, degreesOfFreedom: nu), 2 * tail, accuracy: 1e-13)
            }
        }
    }
}
