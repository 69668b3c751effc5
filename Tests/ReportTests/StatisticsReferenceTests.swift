import Foundation
import XCTest
@testable import Report

/// Every statistic against SciPy 1.17.1's values in Fixtures/statistics-reference.json, written
/// once by Fixtures/statistics-reference.py (not run by `make test`; its docstring says how each
/// value was computed).
final class StatisticsReferenceTests: XCTestCase {
    static let reference: [String: Any] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/statistics-reference.json")
        guard let data = FileManager.default.contents(atPath: url.path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            fatalError("\(url.path) is missing or not JSON; it is committed with the tests")
        }
        return object
    }()

    func cases(_ section: String) -> [[String: Any]] {
        Self.reference[section] as? [[String: Any]] ?? []
    }

    /// A fixture number: a JSON number, "inf"/"-inf", or null (SciPy's NaN).
    func number(_ value: Any?) -> Double? {
        switch value {
        case let x as Double: return x
        case let text as String: return text == "inf" ? .infinity : text == "-inf" ? -.infinity : nil
        default: return nil
        }
    }

    func doubles(_ value: Any?) -> [Double] { (value as? [Any] ?? []).compactMap(number) }

    func differences(_ c: [String: Any]) -> [Double] {
        zip(doubles(c["x"]), doubles(c["y"])).map { $0 - $1 }
    }

    /// Within 1e-12 absolute or 1e-9 relative.
    func assertClose(_ actual: Double?, _ expected: Double?, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let expected else { return XCTAssertNil(actual, message, file: file, line: line) }
        guard let actual else { return XCTFail("nil, expected \(expected): \(message)", file: file, line: line) }
        if expected.isInfinite { return XCTAssertEqual(actual, expected, message, file: file, line: line) }
        XCTAssertEqual(actual, expected, accuracy: max(1e-12, 1e-9 * abs(expected)), message, file: file, line: line)
    }

    func testEnoughCasesOfEachKind() {
        for section in ["paired_t", "wilcoxon", "sign", "iqm", "improvement", "holm"] {
            XCTAssertGreaterThanOrEqual(cases(section).count, 10, section)
        }
        let bootstrap = Self.reference["bootstrap"] as? [String: Any]
        XCTAssertGreaterThanOrEqual((bootstrap?["cases"] as? [Any])?.count ?? 0, 10)
        XCTAssertEqual(Self.reference["scipy"] as? String, "1.17.1")
    }

    func testPairedTTestAndIntervalMatchTtestRel() {
        for c in cases("paired_t") {
            let name = c["name"] as! String
            let d = differences(c)
            let test = PairedTTest(differences: d)
            assertClose(test?.t, number(c["statistic"]), "t, \(name)")
            assertClose(test?.pValue, number(c["pvalue"]), "p, \(name)")
            if let test { XCTAssertEqual(Double(test.degreesOfFreedom), number(c["df"]), name) }
            // The interval of the mean difference is the differences' Student-t interval.
            let summary = SeedSummary(d)
            assertClose(summary?.ciLow, number(c["ci_low"]), "ci low, \(name)")
            assertClose(summary?.ciHigh, number(c["ci_high"]), "ci high, \(name)")
        }
    }

    func testWilcoxonMatchesSciPyWithItsMethodChoice() {
        var methods = Set<String>()
        for c in cases("wilcoxon") {
            let name = c["name"] as! String
            let test = WilcoxonSignedRank(differences: differences(c))
            assertClose(test?.statistic, number(c["statistic"]), "statistic, \(name)")
            assertClose(test?.pValue, number(c["pvalue"]), "p, \(name)")
            if let test {
                XCTAssertEqual(test.method.rawValue, c["method"] as? String, name)
                methods.insert(test.method.rawValue)
            }
        }
        XCTAssertEqual(methods, ["exact", "permutation", "normal"], "every branch of SciPy's method choice is covered")
    }

    func testSignTestMatchesBinomtest() {
        for c in cases("sign") {
            let name = c["name"] as! String
            let test = SignTest(differences: differences(c))
            XCTAssertEqual(test?.positive ?? 0, c["better"] as? Int, name)
            XCTAssertEqual(test?.negative ?? 0, c["worse"] as? Int, name)
            assertClose(test?.pValue, number(c["pvalue"]), "p, \(name)")
        }
    }

    func testInterquartileMeanMatchesTrimMean() {
        for c in cases("iqm") {
            assertClose(RobustAggregates.interquartileMean(doubles(c["x"])), number(c["value"]), c["name"] as! String)
        }
    }

    func testProbabilityOfImprovementMatchesMannWhitney() {
        for c in cases("improvement") {
            let value = RobustAggregates.probabilityOfImprovement([doubles(c["x"])], over: [doubles(c["y"])])
            assertClose(value, number(c["value"]), c["name"] as! String)
        }
    }

    func testHolmMatchesTheDefinition() {
        for c in cases("holm") {
            let adjusted = HolmBonferroni.adjust(doubles(c["p"]).map { $0 })
            for (a, e) in zip(adjusted, doubles(c["adjusted"])) { assertClose(a, e, "\(doubles(c["p"]))") }
        }
        XCTAssertEqual(HolmBonferroni.adjust([0.01, nil, 0.04]).map { $0 ?? -1 }, [0.02, -1, 0.04], "no test, not counted")
    }

    /// The same resamples as the script's copy of our generator, and SciPy's percentile method on
    /// them: agreement to rounding (1e-12), so this checks the resampling, the statistics on each
    /// resample and the interval rule, but not the generator's randomness (see the next test).
    func testBootstrapMatchesSciPyPercentileOnTheSameResamples() throws {
        let section = try XCTUnwrap(Self.reference["bootstrap"] as? [String: Any])
        let bootstrap = Bootstrap(resamples: section["resamples"] as! Int, seed: UInt64(section["seed"] as! Int),
                                  confidence: section["confidence"] as! Double)
        XCTAssertEqual(bootstrap, Bootstrap(), "the fixture uses the report's defaults")
        let first = try XCTUnwrap(section["first_indices"] as? [String: [Int]])
        var stream = IndexStream(seed: bootstrap.seed)
        XCTAssertEqual(first["n"]!.map { stream.next(below: $0) }, first["index"]!, "the script's generator is ours")

        var statistics = Set<String>()
        for c in try XCTUnwrap(section["cases"] as? [[String: Any]]) {
            let name = "\(c["statistic"]!) \(c["name"]!)"
            let strata = (c["strata"] as! [Any]).map(doubles)
            let interval: ConfidenceInterval?
            switch c["statistic"] as! String {
            case "mean", "paired_mean": interval = bootstrap.interval(.mean, strata: strata)
            case "iqm": interval = bootstrap.interval(.interquartileMean, strata: strata)
            default: interval = bootstrap.improvementInterval(strata, over: (c["y_strata"] as! [Any]).map(doubles))
            }
            assertClose(interval?.low, number(c["low"]), "low, \(name)")
            assertClose(interval?.high, number(c["high"]), "high, \(name)")
            statistics.insert(c["statistic"] as! String)
        }
        XCTAssertEqual(statistics, ["mean", "iqm", "paired_mean", "improvement"])
    }

    /// Against SciPy's own bootstrap (its generator, 2,000 resamples, percentile method): our
    /// endpoint and SciPy's differ by Monte Carlo error only. The script ran SciPy's bootstrap with
    /// 200 seeds; the expected value is the mean endpoint and the tolerance 4.5 standard
    /// deviations of a single 2,000-resample endpoint (our draw is one such endpoint; the mean of
    /// 200 adds √(1/200) of that spread), so a correct resampler fails with probability < 1e-5.
    func testBootstrapAgreesWithSciPyWithinMonteCarloError() {
        for c in cases("bootstrap_monte_carlo") {
            let name = "\(c["statistic"]!) \(c["name"]!)"
            let statistic: Bootstrap.Statistic = c["statistic"] as! String == "iqm" ? .interquartileMean : .mean
            let interval = Bootstrap().interval(statistic, strata: [doubles(c["x"])])
            XCTAssertEqual(interval?.low ?? .nan, number(c["low"])!, accuracy: number(c["tolerance_low"])!, name)
            XCTAssertEqual(interval?.high ?? .nan, number(c["high"])!, accuracy: number(c["tolerance_high"])!, name)
        }
    }

    func testQuantileSelectionAgreesWithSorting() {
        var stream = IndexStream(seed: 5)
        for count in [2, 3, 10, 2000, 2001] {
            var values = (0..<count).map { _ in Double(stream.next(below: 50)) / 7 }  // many ties
            let sorted = values.sorted()
            for q in [0.0, 0.025, 0.5, 0.975, 1.0] {
                let h = Double(count - 1) * q
                let lower = Int(h.rounded(.down))
                let expected = lower + 1 < count ? sorted[lower] + (sorted[lower + 1] - sorted[lower]) * (h - Double(lower)) : sorted[lower]
                XCTAssertEqual(Bootstrap().quantile(&values, q), expected, accuracy: 1e-12, "n = \(count), q = \(q)")
            }
        }
    }
}
