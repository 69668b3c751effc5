/// A bootstrap distribution held as its distinct values, ascending, each with the number of
/// resamples that gave it: the B thetas without writing out the repeats.
///
/// Two statistics take few distinct values over many resamples. The interquartile mean of a small
/// sample depends only on the multiset a resample draws (its kept values are summed in sorted
/// order), and n values have only C(2n − 1, n) multisets (126 for n = 5) against B = 2,000
/// resamples (`ResampleClasses`). The probability of improvement of one stratum is U / (n m)
/// with U a half-integer, so it has at most 2 n m + 1 values. Sorting those few values replaces
/// selecting among all B, and the percentile interval reads the same order statistics, so it is
/// bit-identical to `Bootstrap.percentileInterval` on the written-out thetas (no theta is −0,
/// every sum starting from +0, so equal values are the same bits).
struct BootstrapDistribution {
    /// Distinct values, ascending.
    private(set) var values: [Double] = []
    /// Resamples per value (parallel to `values`).
    private(set) var counts: [Int] = []
    private(set) var total = 0

    /// From (value, resamples) pairs in any order; a pair with no resamples is left out.
    init(unsorted pairs: [(Double, Int)]) {
        self.init(ascending: pairs.sorted(by: { $0.0 < $1.0 }))
    }

    /// From (value, resamples) pairs in ascending order of value.
    init<Pairs: Sequence>(ascending pairs: Pairs) where Pairs.Element == (Double, Int) {
        for (value, count) in pairs where count > 0 {
            if let last = values.last, last == value {
                counts[counts.count - 1] += count
            } else {
                values.append(value)
                counts.append(count)
            }
            total += count
        }
    }

    /// The k-th smallest of the B thetas (0-based).
    func orderStatistic(_ k: Int) -> Double {
        var seen = 0
        for (value, count) in zip(values, counts) {
            seen += count
            if k < seen { return value }
        }
        return values[values.count - 1]
    }
}

extension Bootstrap {
    /// The two-sided percentile interval of a distribution held as distinct values: the same
    /// positions, interpolation and arithmetic as `percentileInterval(_:)` on the written-out
    /// thetas, order statistics read from the counts instead of selected.
    func percentileInterval(_ distribution: BootstrapDistribution) -> ConfidenceInterval {
        let alpha = (1 - confidence) / 2
        let last = Double(distribution.total - 1)
        // Mirrors `quantile(_:at:)` on values[offset...]: position h within that slice.
        func quantile(at h: Double, offset: Int) -> Double {
            let lower = Int(h.rounded(.down))
            let fraction = h - Double(lower)
            let a = distribution.orderStatistic(offset + lower)
            guard fraction > 0, offset + lower + 1 < distribution.total else { return a }
            return Self.interpolate(a, distribution.orderStatistic(offset + lower + 1), fraction)
        }
        let skip = Int((last * alpha).rounded(.down))
        return ConfidenceInterval(low: quantile(at: last * alpha, offset: 0),
                                  high: quantile(at: last * (1 - alpha) - Double(skip), offset: skip))
    }
}
