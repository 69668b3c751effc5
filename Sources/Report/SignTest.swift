/// The sign test of paired differences: under the null hypothesis a non-zero difference is
/// positive with probability ½, so with k positive among m non-zero differences
///
///   p = min(1, 2 · P(B ≤ min(k, m − k))),  B ~ Binomial(m, ½),
///
/// SciPy's `scipy.stats.binomtest(k, m, 0.5)` two-sided p-value. Zero differences are dropped.
/// P(B ≤ j) = I_{½}(m − j, j + 1), the regularised incomplete beta function (`StudentT`).
public struct SignTest: Equatable, Sendable {
    /// Differences > 0.
    public var positive: Int
    /// Differences < 0.
    public var negative: Int
    var pValue: Double

    /// nil when no difference is non-zero (the test has nothing to count).
    init?(differences d: [Double]) {
        var positive = 0, negative = 0
        for x in d {
            if x > 0 { positive += 1 } else if x < 0 { negative += 1 }
        }
        self.init(positive: positive, negative: negative)
    }

    init?(positive: Int, negative: Int) {
        let m = positive + negative
        guard m > 0 else { return nil }
        self.positive = positive
        self.negative = negative
        let smaller = min(positive, negative)
        if 2 * smaller == m {
            pValue = 1
        } else {
            let tail = StudentT.regularizedIncompleteBeta(x: 0.5, a: Double(m - smaller), b: Double(smaller + 1))
            pValue = min(1, 2 * tail)
        }
    }
}
