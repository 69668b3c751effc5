/// Percentile bootstrap intervals, stratified and reproducible.
///
/// A resample draws, within each stratum, as many values as the stratum has, uniformly with
/// replacement (rliable's stratified bootstrap, where strata are its tasks; in a main table a row
/// is one stratum, its seeds; in a marginal table each combination of the other axes is one). The
/// statistic of B resamples gives the bootstrap distribution θ*_1 … θ*_B, and the 95 % interval is
/// its 2.5 % and 97.5 % quantiles with linear interpolation (SciPy's `bootstrap(method=
/// "percentile")`): for level q, h = (B − 1) q, θ*_(⌊h⌋) + (h − ⌊h⌋)(θ*_(⌊h⌋+1) − θ*_(⌊h⌋)) on the
/// sorted distribution (0-based).
///
/// Indices come from SplitMix64 seeded with `seed` (fixed, so a report is reproducible): the
/// index below n is the high 64 bits of the 64-bit draw times n. Resample by resample, stratum by
/// stratum, a stratum's draws are consecutive; for two samples (X, Y) each stratum draws X's
/// indices, then Y's. `Tests/ReportTests/Fixtures/statistics-reference.py` repeats this
/// generator to check the intervals against SciPy on the same resamples.
///
/// The indices depend only on the seed and the strata sizes, so every cell of the same shape
/// (all rows of 10 seeds, say) gets the same resamples: they are drawn once per shape and kept
/// (`ResampleIndices`), which makes a report over thousands of cells affordable. The interquartile
/// mean (`Bootstrap+InterquartileMean`) and P(better) (`Bootstrap+Improvement`) of small samples
/// take few distinct values over the resamples and are computed per value (`ResampleClasses`,
/// `BootstrapDistribution`), with the same results.
public struct Bootstrap: Equatable, Sendable {
    static let defaultSeed: UInt64 = 0xAB1A7E
    public static let defaultResamples = 2000

    public let resamples: Int
    public let seed: UInt64
    let confidence: Double
    let indices: ResampleIndices

    init(resamples: Int = Bootstrap.defaultResamples, seed: UInt64 = Bootstrap.defaultSeed, confidence: Double = 0.95) {
        precondition(resamples >= 2, "a percentile interval needs at least two resamples")
        self.resamples = resamples
        self.seed = seed
        self.confidence = confidence
        indices = ResampleIndices(seed: seed, resamples: resamples)
    }

    public static func == (a: Bootstrap, b: Bootstrap) -> Bool {
        (a.resamples, a.seed, a.confidence) == (b.resamples, b.seed, b.confidence)
    }

    public enum Statistic: Sendable {
        case mean
        /// `RobustAggregates.interquartileMean` of the pooled resample.
        case interquartileMean
    }

    /// The interval of a statistic of the pooled values of all strata; nil when there are no
    /// values or some value is not finite.
    public func interval(_ statistic: Statistic, strata: [[Double]]) -> ConfidenceInterval? {
        let pooled = strata.flatMap { $0 }
        guard !pooled.isEmpty, pooled.allSatisfy(\.isFinite) else { return nil }
        // Every resample of a constant sample is that constant (exactly, without rounding).
        if pooled.allSatisfy({ $0 == pooled[0] }) { return ConfidenceInterval(low: pooled[0], high: pooled[0]) }
        let segments = strata.map(\.count).filter { $0 > 0 }
        let cut = statistic == .interquartileMean ? RobustAggregates.trimmedCount(pooled.count) : 0
        // The interquartile mean of fewer than four values trims nothing: it is the mean.
        if cut > 0 { return interquartileMeanInterval(pooled, segments: segments, cut: cut) }
        var thetas = resampledMeans(pooled, draws: indices.draws(segments: segments))
        return percentileInterval(&thetas)
    }

    /// The mean of each resample.
    private func resampledMeans(_ values: [Double], draws: [Int32]) -> [Double] {
        let n = values.count
        var thetas = [Double](repeating: 0, count: resamples)
        values.withUnsafeBufferPointer { values in
            draws.withUnsafeBufferPointer { draws in
                for b in 0..<resamples {
                    var sum = 0.0
                    for k in (b * n)..<(b * n + n) { sum += values[Int(draws[k])] }
                    thetas[b] = sum / Double(n)
                }
            }
        }
        return thetas
    }

    /// The two-sided percentile interval of a bootstrap distribution (reordered in place).
    func percentileInterval(_ thetas: inout [Double]) -> ConfidenceInterval {
        let alpha = (1 - confidence) / 2
        let last = Double(thetas.count - 1)
        return thetas.withUnsafeMutableBufferPointer { values in
            let low = quantile(values, at: last * alpha)
            // Selecting the lower quantile left every larger value above its position, so the
            // upper one is selected among those alone.
            let skip = Int((last * alpha).rounded(.down))
            let high = quantile(UnsafeMutableBufferPointer(rebasing: values[skip...]), at: last * (1 - alpha) - Double(skip))
            return ConfidenceInterval(low: low, high: high)
        }
    }

    /// The q-quantile with linear interpolation (NumPy's and SciPy's default), by selection.
    func quantile(_ values: inout [Double], _ q: Double) -> Double {
        let h = Double(values.count - 1) * q
        return values.withUnsafeMutableBufferPointer { quantile($0, at: h) }
    }

    /// The value at fractional position h of the sorted values: v_(⌊h⌋) + (h − ⌊h⌋)(v_(⌊h⌋+1) − v_(⌊h⌋)).
    func quantile(_ values: UnsafeMutableBufferPointer<Double>, at h: Double) -> Double {
        let lower = Int(h.rounded(.down))
        let fraction = h - Double(lower)
        let a = select(values, lower)
        guard fraction > 0, lower + 1 < values.count else { return a }
        return Self.interpolate(a, values[(lower + 1)...].min()!, fraction)
    }

    /// a + fraction (b − a) as NumPy's lerp computes it: from the nearer end, so that a fraction
    /// of 1 gives b exactly.
    static func interpolate(_ a: Double, _ b: Double, _ fraction: Double) -> Double {
        fraction < 0.5 ? a + (b - a) * fraction : b - (b - a) * (1 - fraction)
    }
}

/// The k-th smallest value (0-based); afterwards values[..<k] ≤ values[k] ≤ values[(k+1)...].
/// Quickselect with a median-of-three pivot. Its partitions move values without branching on
/// them (on resampled statistics a branch per comparison is mispredicted half the time); a
/// range that barely shrinks, many values being equal to the pivot, goes to the partition that
/// splits ties evenly.
func select(_ values: UnsafeMutableBufferPointer<Double>, _ k: Int) -> Double {
    var low = 0, high = values.count - 1
    while high - low > 16 {
        let middle = low + (high - low) / 2
        if values[middle] < values[low] { values.swapAt(middle, low) }
        if values[high] < values[low] { values.swapAt(high, low) }
        if values[middle] < values[high] { values.swapAt(high, middle) }
        // The median of the three is at `high`: values below it are gathered at the front.
        let pivot = values[high]
        var store = low
        for i in low..<high {
            let value = values[i]
            values[i] = values[store]
            values[store] = value
            store += value < pivot ? 1 : 0
        }
        values.swapAt(store, high)
        if store == k { return pivot }
        let before = high - low
        if k < store { high = store - 1 } else { low = store + 1 }
        if high - low > before - before / 8 { break }
    }
    return selectSplittingTies(values, k, low: low, high: high)
}

/// `select` within values[low...high] (k among them), every value outside already on its side:
/// Hoare's partition, which stops on values equal to the pivot from both ends.
private func selectSplittingTies(_ values: UnsafeMutableBufferPointer<Double>, _ k: Int, low: Int, high: Int) -> Double {
    var low = low, high = high
    while low < high {
        let middle = low + (high - low) / 2
        if values[middle] < values[low] { values.swapAt(middle, low) }
        if values[high] < values[low] { values.swapAt(high, low) }
        if values[high] < values[middle] { values.swapAt(high, middle) }
        let pivot = values[middle]
        var i = low, j = high
        while i <= j {
            while values[i] < pivot { i += 1 }
            while values[j] > pivot { j -= 1 }
            if i <= j {
                values.swapAt(i, j)
                i += 1
                j -= 1
            }
        }
        if k <= j { high = j } else if k >= i { low = i } else { break }
    }
    return values[k]
}

extension Array {
    /// The first index whose element satisfies `predicate`, for an array partitioned so that the
    /// elements that do come after those that do not (binary search).
    func partitioningIndex(where predicate: (Element) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if predicate(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
