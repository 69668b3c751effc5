import Foundation

/// Mean, spread and a 95 % Student-t confidence interval of one cell's per-seed values.
public struct SeedSummary: Equatable, Sendable {
    public var n: Int
    public var mean: Double
    /// Sample standard deviation (divisor n − 1); nil when n < 2.
    public var standardDeviation: Double?
    /// Half-width of the 95 % interval, t_{0.975, n−1} · sd / √n; nil when n < 2.
    var halfWidth: Double?

    var ciLow: Double? { halfWidth.map { mean - $0 } }
    var ciHigh: Double? { halfWidth.map { mean + $0 } }

    /// nil when `values` is empty.
    init?(_ values: [Double]) {
        guard !values.isEmpty else { return nil }
        n = values.count
        mean = values.reduce(0, +) / Double(n)
        if n >= 2 {
            var squares = 0.0
            for v in values { squares += (v - mean) * (v - mean) }
            let sd = (squares / Double(n - 1)).squareRoot()
            standardDeviation = sd
            halfWidth = StudentT.quantile975(degreesOfFreedom: n - 1) * sd / Double(n).squareRoot()
        } else {
            standardDeviation = nil
            halfWidth = nil
        }
    }
}

/// Welch's unequal-variance t-test of two independent samples.
public struct WelchTest: Equatable, Sendable {
    /// (mean a − mean b) / √(s_a²/n_a + s_b²/n_b)
    public var t: Double
    /// Welch–Satterthwaite: (s_a²/n_a + s_b²/n_b)² / ((s_a²/n_a)²/(n_a−1) + (s_b²/n_b)²/(n_b−1))
    var degreesOfFreedom: Double
    /// Two-sided.
    var pValue: Double

    /// nil when either sample has fewer than two values or both have zero variance (the test is
    /// undefined there; scipy returns NaN).
    init?(_ a: SeedSummary, _ b: SeedSummary) {
        guard a.n >= 2, b.n >= 2, let sa = a.standardDeviation, let sb = b.standardDeviation else { return nil }
        let va = sa * sa / Double(a.n), vb = sb * sb / Double(b.n)
        let se2 = va + vb
        guard se2 > 0, se2.isFinite else { return nil }
        t = (a.mean - b.mean) / se2.squareRoot()
        degreesOfFreedom = se2 * se2 / (va * va / Double(a.n - 1) + vb * vb / Double(b.n - 1))
        pValue = StudentT.twoSidedPValue(t, degreesOfFreedom: degreesOfFreedom)
    }

    init?(_ a: [Double], _ b: [Double]) {
        guard let sa = SeedSummary(a), let sb = SeedSummary(b) else { return nil }
        self.init(sa, sb)
    }
}

/// `*` for p < 0.05, `**` for p < 0.01, empty otherwise.
func significanceMarker(_ p: Double?) -> String {
    guard let p, p.isFinite else { return "" }
    return p < 0.01 ? "**" : p < 0.05 ? "*" : ""
}
