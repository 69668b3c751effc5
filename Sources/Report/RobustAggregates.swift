/// Aggregates over seeds that a few outlying or failed-to-learn seeds cannot drag far, as rliable
/// defines them (Agarwal et al., 2021, "Deep RL at the Edge of the Statistical Precipice").
enum RobustAggregates {
    /// How many values the interquartile mean drops at each end: ⌊n/4⌋.
    static func trimmedCount(_ n: Int) -> Int { n / 4 }

    /// The interquartile mean: sort, drop ⌊n/4⌋ values at each end, average the rest, as
    /// `scipy.stats.trim_mean(x, 0.25)` (rliable's `aggregate_iqm`). nil for no values.
    static func interquartileMean(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let cut = trimmedCount(values.count)
        let middle = sorted[cut..<(values.count - cut)]
        return middle.reduce(0, +) / Double(middle.count)
    }

    /// The probability of improvement of X over Y: for one stratum
    ///
    ///   P(X > Y) = 1/(n m) Σ_i Σ_j ([x_i > y_j] + ½ [x_i = y_j]),
    ///
    /// the Mann–Whitney U statistic of X over n m (ties count ½); with several strata (rliable's
    /// tasks) the mean of the strata's values. Strata where either side is empty are skipped;
    /// nil when none is left.
    static func probabilityOfImprovement(_ x: [[Double]], over y: [[Double]]) -> Double? {
        var total = 0.0
        var strata = 0
        for (xs, ys) in zip(x, y) where !xs.isEmpty && !ys.isEmpty {
            var u = 0.0
            for a in xs {
                for b in ys { u += a > b ? 1 : a == b ? 0.5 : 0 }
            }
            total += u / Double(xs.count * ys.count)
            strata += 1
        }
        return strata == 0 ? nil : total / Double(strata)
    }
}
