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
/// (`ResampleIndices`), which makes a report over thousands of cells affordable.
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
        let draws = indices.draws(segments: strata.map(\.count).filter { $0 > 0 })
        let cut = statistic == .interquartileMean ? RobustAggregates.trimmedCount(pooled.count) : 0
        // The interquartile mean of fewer than four values trims nothing: it is the mean.
        var thetas = cut == 0 ? resampledMeans(pooled, draws: draws)
            : resampledInterquartileMeans(pooled, draws: draws, cut: cut)
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

    /// The interquartile mean of each resample. With the values sorted once, a resample is a
    /// multiset of ranks whose `cut` smallest and largest are dropped.
    private func resampledInterquartileMeans(_ values: [Double], draws: [Int32], cut: Int) -> [Double] {
        let n = values.count
        let order = values.indices.sorted { values[$0] < values[$1] }
        let sorted = order.map { values[$0] }
        var rankOf = [Int](repeating: 0, count: n)
        for (rank, index) in order.enumerated() { rankOf[index] = rank }
        let rankDraws = draws.map { rankOf[Int($0)] }
        var thetas = [Double](repeating: 0, count: resamples)
        var scratch = [Int](repeating: 0, count: n)
        sorted.withUnsafeBufferPointer { sorted in
            rankDraws.withUnsafeBufferPointer { rankDraws in
                scratch.withUnsafeMutableBufferPointer { scratch in
                    for b in 0..<resamples {
                        let ranks = UnsafeBufferPointer(rebasing: rankDraws[(b * n)..<(b * n + n)])
                        let kept = n <= 32 ? middleSumBySorting(ranks, sorted, cut: cut, scratch: scratch)
                            : middleSumByCounting(ranks, sorted, cut: cut, counts: scratch)
                        thetas[b] = kept / Double(n - 2 * cut)
                    }
                }
            }
        }
        return thetas
    }

    /// For few values: sort the resample's ranks and sum the middle. The sort is an insertion
    /// sort by compare-exchange without early exit (min and max, no branches): random ranks
    /// would mispredict a branching one on almost every step.
    private func middleSumBySorting(_ ranks: UnsafeBufferPointer<Int>, _ sorted: UnsafeBufferPointer<Double>, cut: Int,
                                    scratch: UnsafeMutableBufferPointer<Int>) -> Double {
        for (i, rank) in ranks.enumerated() {
            scratch[i] = rank
            var j = i
            while j > 0 {
                let a = scratch[j - 1], b = scratch[j]
                scratch[j - 1] = min(a, b)
                scratch[j] = max(a, b)
                j -= 1
            }
        }
        var sum = 0.0
        for i in cut..<(ranks.count - cut) { sum += sorted[scratch[i]] }
        return sum
    }

    /// For many values: count the resample's ranks, then drop the `cut` smallest and largest
    /// by walking the counts from both ends.
    private func middleSumByCounting(_ ranks: UnsafeBufferPointer<Int>, _ sorted: UnsafeBufferPointer<Double>, cut: Int,
                                     counts: UnsafeMutableBufferPointer<Int>) -> Double {
        counts.update(repeating: 0)
        var sum = 0.0
        for rank in ranks {
            counts[rank] += 1
            sum += sorted[rank]
        }
        func drop(from start: Int, step: Int) {
            var left = cut, rank = start
            while left > 0 {
                let take = min(left, counts[rank])
                sum -= Double(take) * sorted[rank]
                left -= take
                rank += step
            }
        }
        drop(from: 0, step: 1)
        drop(from: ranks.count - 1, step: -1)
        return sum
    }

    /// The interval of `RobustAggregates.probabilityOfImprovement(x, over: y)`, X and Y resampled
    /// independently within each stratum (rliable's `StratifiedIndependentBootstrap`). Strata
    /// with an empty side are left out; nil when none is left or a value is not finite.
    func improvementInterval(_ x: [[Double]], over y: [[Double]]) -> ConfidenceInterval? {
        // Per stratum, in flat arrays: each y_j's position in Y sorted, and for each x_i the
        // number of y below it and at most equal to it, so a resample's U statistic is a sum over
        // X's draws of prefix sums of Y's draw counts by sorted position.
        var xSizes: [Int] = [], ySizes: [Int] = []
        var below: [Int] = [], atMost: [Int] = [], yPosition: [Int] = []
        for (xs, ys) in zip(x, y) where !xs.isEmpty && !ys.isEmpty {
            guard xs.allSatisfy(\.isFinite), ys.allSatisfy(\.isFinite) else { return nil }
            let order = ys.indices.sorted { ys[$0] < ys[$1] }
            let sortedY = order.map { ys[$0] }
            var positions = [Int](repeating: 0, count: ys.count)
            for (position, index) in order.enumerated() { positions[index] = position }
            xSizes.append(xs.count)
            ySizes.append(ys.count)
            below += xs.map { value in sortedY.partitioningIndex { $0 >= value } }
            atMost += xs.map { value in sortedY.partitioningIndex { $0 > value } }
            yPosition += positions
        }
        guard !xSizes.isEmpty else { return nil }
        // Segments alternate X and Y of each stratum; a drawn index is within its own sample's
        // pooled array (X's or Y's).
        let draws = indices.draws(segments: zip(xSizes, ySizes).flatMap { [$0, $1] }, pooled: false)
        var prefix = [Int](repeating: 0, count: ySizes.max()! + 1)
        var thetas = [Double](repeating: 0, count: resamples)
        let strata = Double(xSizes.count)
        below.withUnsafeBufferPointer { below in
            atMost.withUnsafeBufferPointer { atMost in
                yPosition.withUnsafeBufferPointer { yPosition in
                    prefix.withUnsafeMutableBufferPointer { prefix in
                        draws.withUnsafeBufferPointer { draws in
                            var next = 0
                            for b in 0..<resamples {
                                var total = 0.0, xStart = 0, yStart = 0
                                for (n, m) in zip(xSizes, ySizes) {
                                    let xDraws = next
                                    next += n
                                    for k in 0...m { prefix[k] = 0 }
                                    for _ in 0..<m {
                                        prefix[yPosition[yStart + Int(draws[next])] + 1] += 1
                                        next += 1
                                    }
                                    for k in 0..<m { prefix[k + 1] += prefix[k] }
                                    // Twice U: 2·#(y < x) + #(y = x) per drawn x.
                                    var twiceU = 0
                                    for a in xDraws..<(xDraws + n) {
                                        let i = xStart + Int(draws[a])
                                        twiceU += prefix[below[i]] + prefix[atMost[i]]
                                    }
                                    total += Double(twiceU) / Double(2 * n * m)
                                    xStart += n
                                    yStart += m
                                }
                                thetas[b] = total / strata
                            }
                        }
                    }
                }
            }
        }
        return percentileInterval(&thetas)
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
        let b = values[(lower + 1)...].min()!
        // NumPy's lerp: from the nearer end, so that q = 1 gives b exactly.
        return fraction < 0.5 ? a + (b - a) * fraction : b - (b - a) * (1 - fraction)
    }
}

/// The k-th smallest value (0-based); afterwards values[..<k] ≤ values[k] ≤ values[(k+1)...].
/// Quickselect with a median-of-three pivot.
func select(_ values: UnsafeMutableBufferPointer<Double>, _ k: Int) -> Double {
    var low = 0, high = values.count - 1
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
