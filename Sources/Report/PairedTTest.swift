/// The paired t-test: a one-sample t-test of the differences d_i = x_i − y_i, two-sided, as
/// SciPy's `scipy.stats.ttest_rel(x, y)`. Legend: n pairs, d̄ the mean difference, s_d the sample
/// standard deviation of the differences (divisor n − 1).
///
///   t = d̄ / (s_d / √n),  ν = n − 1,  p = P(|T_ν| ≥ |t|).
///
/// The 95 % interval of the mean difference, d̄ ± t_{0.975, ν} · s_d / √n, is the differences'
/// `SeedSummary` interval.
public struct PairedTTest: Equatable, Sendable {
    /// ±∞ when every difference is the same non-zero number (SciPy gives ±inf and p = 0 there).
    public var t: Double
    var degreesOfFreedom: Int
    var pValue: Double

    /// nil for fewer than two pairs, and when every difference is zero (t = 0/0; SciPy gives NaN).
    init?(differences: SeedSummary) {
        guard differences.n >= 2, let sd = differences.standardDeviation, differences.mean.isFinite, sd.isFinite,
              sd > 0 || differences.mean != 0 else { return nil }
        let n = differences.n
        degreesOfFreedom = n - 1
        t = sd > 0 ? differences.mean / (sd / Double(n).squareRoot()) : (differences.mean > 0 ? .infinity : -.infinity)
        pValue = StudentT.twoSidedPValue(t, degreesOfFreedom: Double(n - 1))
    }

    init?(differences: [Double]) {
        guard let summary = SeedSummary(differences) else { return nil }
        self.init(differences: summary)
    }
}
