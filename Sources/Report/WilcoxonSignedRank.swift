import Foundation

/// The Wilcoxon signed-rank test of paired differences d_i = x_i − y_i, two-sided, with SciPy
/// 1.17's conventions for `scipy.stats.wilcoxon(x, y)` at its defaults (`zero_method="wilcox"`,
/// `correction=False`, `method="auto"`):
///
/// - zero differences are dropped before ranking (Wilcoxon's own rule, `zero_method="wilcox"`);
///   the m non-zero |d_i| get ranks 1…m, ties the average of their ranks;
/// - R⁺ = Σ ranks of positive differences; the reported statistic is min(R⁺, R⁻);
/// - the p-value is P(R⁺ as or more extreme) under random signs, computed
///   - `exact`: by counting all 2^m sign patterns, when n ≤ 50 and there are no ties and no zeros;
///   - `permutation`: the same count with the tied (average) ranks, when there are ties or zeros
///     and n ≤ 13 (SciPy then runs an exhaustive permutation test, which is this count);
///   - `normal`: z = (R⁺ − m(m+1)/4) / σ with the tie-corrected
///     σ² = (m(m+1)(2m+1) − ½ Σ_groups (t³ − t)) / 24 and p = 2(1 − Φ(|z|)), no continuity
///     correction, otherwise (n > 50, or ties or zeros with n > 13).
///   n counts every pair, zeros included, as SciPy's method choice does.
public struct WilcoxonSignedRank: Equatable, Sendable {
    public enum Method: String, Sendable { case exact, permutation, normal }

    /// min(R⁺, R⁻), SciPy's two-sided statistic.
    public var statistic: Double
    /// R⁺, the rank sum of the positive differences.
    var positiveRankSum: Double
    var pValue: Double
    public var method: Method

    /// nil for no pairs, a NaN difference, or a normal approximation with no non-zero difference
    /// (σ = 0; SciPy returns NaN there).
    init?(differences d: [Double]) {
        guard !d.isEmpty, !d.contains(where: \.isNaN) else { return nil }
        let nonzero = d.filter { $0 != 0 }
        let m = nonzero.count
        let hasZeros = m < d.count

        // Twice the average ranks (integers), and the tie groups' Σ (t³ − t).
        let order = nonzero.indices.sorted { abs(nonzero[$0]) < abs(nonzero[$1]) }
        var doubledRanks = [Int](repeating: 0, count: m)
        var tieSum = 0.0
        var start = 0
        while start < m {
            var end = start + 1
            while end < m && abs(nonzero[order[end]]) == abs(nonzero[order[start]]) { end += 1 }
            for k in start..<end { doubledRanks[order[k]] = start + 1 + end }  // ranks start+1 … end
            let t = Double(end - start)
            tieSum += t * t * t - t
            start = end
        }
        let hasTies = tieSum > 0
        var doubledPositive = 0
        for (x, r) in zip(nonzero, doubledRanks) where x > 0 { doubledPositive += r }
        let doubledTotal = m * (m + 1)
        positiveRankSum = Double(doubledPositive) / 2
        statistic = Double(min(doubledPositive, doubledTotal - doubledPositive)) / 2

        if d.count > 50 || ((hasTies || hasZeros) && d.count > 13) {
            method = .normal
            let n = Double(m)
            let variance = (n * (n + 1) * (2 * n + 1) - tieSum / 2) / 24
            guard variance > 0 else { return nil }
            let z = (positiveRankSum - n * (n + 1) / 4) / variance.squareRoot()
            pValue = erfc(abs(z) / 2.0.squareRoot())
        } else {
            method = hasTies || hasZeros ? .permutation : .exact
            // Sign patterns by doubled R⁺: counts[s] = number of subsets of ranks summing to s
            // (exact in Double: at most 2^50).
            var counts = [Double](repeating: 0, count: doubledTotal + 1)
            counts[0] = 1
            var reach = 0
            for r in doubledRanks {
                for s in stride(from: reach, through: 0, by: -1) where counts[s] > 0 { counts[s + r] += counts[s] }
                reach += r
            }
            var atMost = 0.0, atLeast = 0.0
            for (s, c) in counts.enumerated() {
                if s <= doubledPositive { atMost += c }
                if s >= doubledPositive { atLeast += c }
            }
            pValue = min(1, 2 * min(atMost, atLeast) / pow(2, Double(m)))
        }
    }
}
