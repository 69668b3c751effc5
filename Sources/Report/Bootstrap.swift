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
    public static let defaultSeed: UInt64 = 0xAB1A7E
    public static let defaultResamples = 2000

    public let resamples: Int
    public let seed: UInt64
    public let confidence: Double
    let indices: ResampleIndices

    public init(resamples: Int = Bootstrap.defaultResamples, seed: UInt64 = Bootstrap.defaultSeed, confidence: Double = 0.95) {
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
    public func interval(_ statistic: Statistic, strata: [[Double]]) -> (low: Double, high: Double)? {
        let sizes = strata.map(\.count).filter { $0 > 0 }
        let pooled = strata.flatMap { $0 }
        guard !pooled.isEmpty, pooled.allSatisfy(\.isFinite) else { return nil }
        // Every resample of a constant sample is that constant (exactly, without rounding).
        if pooled.allSatisfy({ $0 == pooled[0] }) { return (pooled[0], pooled[0]) }
        let total = pooled.count
        let draws = indices.draws(segments: sizes)
        var thetas = [Double](repeating: 0, count: resamples)
        let cut = statistic == .interquartileMean ? RobustAggregates.trimmedCount(total) : 0
        if cut == 0 {
            // The mean (and the interquartile mean of fewer than four values, which trims nothing).
            pooled.withUnsafeBufferPointer { values in
                draws.withUnsafeBufferPointer { draws in
                    var next = 0
                    for b in 0..<resamples {
                        var sum = 0.0
                        for _ in 0..<total {
                            sum += values[Int(draws[next])]
                            next += 1
                        }
                        thetas[b] = sum / Double(total)
                    }
                }
            }
            return percentileInterval(&thetas)
        }
        // The interquartile mean: each value's position in the pooled sorted order; a resample is
        // a count per position, and its trimmed sum is read off the counts from both ends.
        let order = pooled.indices.sorted { pooled[$0] < pooled[$1] }
        let sorted = order.map { pooled[$0] }
        var position = [Int](repeating: 0, count: total)
        for (rank, index) in order.enumerated() { position[index] = rank }
        if total <= 32 {
            // Few values: sort each resample's positions (insertion sort) and sum the middle.
            var ranks = [Int](repeating: 0, count: total)
            sorted.withUnsafeBufferPointer { sorted in
                position.withUnsafeBufferPointer { position in
                    draws.withUnsafeBufferPointer { draws in
                        ranks.withUnsafeMutableBufferPointer { ranks in
                            var next = 0
                            for b in 0..<resamples {
                                for i in 0..<total {
                                    let rank = position[Int(draws[next])]
                                    next += 1
                                    var j = i
                                    while j > 0 && ranks[j - 1] > rank {
                                        ranks[j] = ranks[j - 1]
                                        j -= 1
                                    }
                                    ranks[j] = rank
                                }
                                var sum = 0.0
                                for i in cut..<(total - cut) { sum += sorted[ranks[i]] }
                                thetas[b] = sum / Double(total - 2 * cut)
                            }
                        }
                    }
                }
            }
            return percentileInterval(&thetas)
        }
        var counts = [Int](repeating: 0, count: total)
        sorted.withUnsafeBufferPointer { sorted in
            position.withUnsafeBufferPointer { position in
                counts.withUnsafeMutableBufferPointer { counts in
                    draws.withUnsafeBufferPointer { draws in
                    var next = 0
                    for b in 0..<resamples {
                        counts.update(repeating: 0)
                        var sum = 0.0
                        for _ in 0..<total {
                            let rank = position[Int(draws[next])]
                            next += 1
                            counts[rank] += 1
                            sum += sorted[rank]
                        }
                        var dropped = 0.0
                        var left = cut, rank = 0
                        while left > 0 {
                            let take = min(left, counts[rank])
                            dropped += Double(take) * sorted[rank]
                            left -= take
                            rank += 1
                        }
                        left = cut
                        rank = total - 1
                        while left > 0 {
                            let take = min(left, counts[rank])
                            dropped += Double(take) * sorted[rank]
                            left -= take
                            rank -= 1
                        }
                        thetas[b] = (sum - dropped) / Double(total - 2 * cut)
                    }
                    }
                }
            }
        }
        return percentileInterval(&thetas)
    }

    /// The interval of `RobustAggregates.probabilityOfImprovement(x, over: y)`, X and Y resampled
    /// independently within each stratum (rliable's `StratifiedIndependentBootstrap`). Strata
    /// with an empty side are left out; nil when none is left or a value is not finite.
    public func improvementInterval(_ x: [[Double]], over y: [[Double]]) -> (low: Double, high: Double)? {
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
    func percentileInterval(_ thetas: inout [Double]) -> (low: Double, high: Double) {
        let alpha = (1 - confidence) / 2
        let last = Double(thetas.count - 1)
        return thetas.withUnsafeMutableBufferPointer { values in
            let low = quantile(values, at: last * alpha)
            // Selecting the lower quantile left every larger value above its position, so the
            // upper one is selected among those alone.
            let skip = Int((last * alpha).rounded(.down))
            return (low, quantile(UnsafeMutableBufferPointer(rebasing: values[skip...]), at: last * (1 - alpha) - Double(skip)))
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
