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
public struct Bootstrap: Equatable, Sendable {
    public static let defaultSeed: UInt64 = 0xAB1A7E
    public static let defaultResamples = 2000

    public var resamples: Int
    public var seed: UInt64
    public var confidence: Double

    public init(resamples: Int = Bootstrap.defaultResamples, seed: UInt64 = Bootstrap.defaultSeed, confidence: Double = 0.95) {
        precondition(resamples >= 2, "a percentile interval needs at least two resamples")
        self.resamples = resamples
        self.seed = seed
        self.confidence = confidence
    }

    public enum Statistic: Sendable {
        case mean
        /// `RobustAggregates.interquartileMean` of the pooled resample.
        case interquartileMean
    }

    /// The interval of a statistic of the pooled values of all strata; nil when there are no
    /// values or some value is not finite.
    public func interval(_ statistic: Statistic, strata: [[Double]]) -> (low: Double, high: Double)? {
        let total = strata.reduce(0) { $0 + $1.count }
        guard total > 0, strata.allSatisfy({ $0.allSatisfy(\.isFinite) }) else { return nil }
        var indices = IndexStream(seed: seed)
        var thetas = [Double](repeating: 0, count: resamples)
        switch statistic {
        case .mean:
            for b in 0..<resamples {
                var sum = 0.0
                for stratum in strata {
                    for _ in stratum.indices { sum += stratum[indices.next(below: stratum.count)] }
                }
                thetas[b] = sum / Double(total)
            }
        case .interquartileMean:
            // Each value's position in the pooled sorted order; a resample is then a count per
            // position, and its trimmed sum is read off the counts from both ends (no sorting).
            let pooled = strata.flatMap { $0 }
            let order = pooled.indices.sorted { pooled[$0] < pooled[$1] }
            let sorted = order.map { pooled[$0] }
            var position = [Int](repeating: 0, count: total)
            for (rank, index) in order.enumerated() { position[index] = rank }
            var offsets: [Int] = []
            var offset = 0
            for stratum in strata { offsets.append(offset); offset += stratum.count }
            let cut = RobustAggregates.trimmedCount(total)
            var counts = [Int](repeating: 0, count: total)
            for b in 0..<resamples {
                for k in counts.indices { counts[k] = 0 }
                var sum = 0.0
                for (stratum, start) in zip(strata, offsets) {
                    for _ in stratum.indices {
                        let rank = position[start + indices.next(below: stratum.count)]
                        counts[rank] += 1
                        sum += sorted[rank]
                    }
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
        return percentileInterval(&thetas)
    }

    /// The interval of `RobustAggregates.probabilityOfImprovement(x, over: y)`, X and Y resampled
    /// independently within each stratum (rliable's `StratifiedIndependentBootstrap`). Strata
    /// with an empty side are left out; nil when none is left or a value is not finite.
    public func improvementInterval(_ x: [[Double]], over y: [[Double]]) -> (low: Double, high: Double)? {
        // Per stratum: each y_j's position in Y sorted, and for each x_i the number of y below it
        // and at most equal to it, so a resample's U statistic is a sum over X's draws of prefix
        // sums of Y's draw counts by sorted position.
        struct Stratum {
            var xCount: Int
            var below: [Int]
            var atMost: [Int]
            var yCount: Int
            var yPosition: [Int]
        }
        var strata: [Stratum] = []
        for (xs, ys) in zip(x, y) where !xs.isEmpty && !ys.isEmpty {
            guard xs.allSatisfy(\.isFinite), ys.allSatisfy(\.isFinite) else { return nil }
            let order = ys.indices.sorted { ys[$0] < ys[$1] }
            let sortedY = order.map { ys[$0] }
            var yPosition = [Int](repeating: 0, count: ys.count)
            for (position, index) in order.enumerated() { yPosition[index] = position }
            strata.append(Stratum(xCount: xs.count,
                                  below: xs.map { value in sortedY.partitioningIndex { $0 >= value } },
                                  atMost: xs.map { value in sortedY.partitioningIndex { $0 > value } },
                                  yCount: ys.count, yPosition: yPosition))
        }
        guard !strata.isEmpty else { return nil }
        let largestX = strata.map(\.xCount).max()!, largestY = strata.map(\.yCount).max()!
        var xDraws = [Int](repeating: 0, count: largestX)
        var prefix = [Int](repeating: 0, count: largestY + 1)
        var indices = IndexStream(seed: seed)
        var thetas = [Double](repeating: 0, count: resamples)
        for b in 0..<resamples {
            var total = 0.0
            for stratum in strata {
                for a in 0..<stratum.xCount { xDraws[a] = indices.next(below: stratum.xCount) }
                for k in 0...stratum.yCount { prefix[k] = 0 }
                for _ in 0..<stratum.yCount { prefix[stratum.yPosition[indices.next(below: stratum.yCount)] + 1] += 1 }
                for k in 0..<stratum.yCount { prefix[k + 1] += prefix[k] }
                // Twice U: 2·#(y < x) + #(y = x) per drawn x.
                var twiceU = 0
                for a in 0..<stratum.xCount {
                    let i = xDraws[a]
                    twiceU += prefix[stratum.below[i]] + prefix[stratum.atMost[i]]
                }
                total += Double(twiceU) / Double(2 * stratum.xCount * stratum.yCount)
            }
            thetas[b] = total / Double(strata.count)
        }
        return percentileInterval(&thetas)
    }

    /// The two-sided percentile interval of a bootstrap distribution (reordered in place).
    func percentileInterval(_ thetas: inout [Double]) -> (low: Double, high: Double) {
        let alpha = (1 - confidence) / 2
        return (quantile(&thetas, alpha), quantile(&thetas, 1 - alpha))
    }

    /// The q-quantile with linear interpolation (NumPy's and SciPy's default), by selection.
    func quantile(_ values: inout [Double], _ q: Double) -> Double {
        let h = Double(values.count - 1) * q
        let lower = Int(h.rounded(.down))
        let fraction = h - Double(lower)
        let a = select(&values, lower)
        guard fraction > 0, lower + 1 < values.count else { return a }
        let b = values[(lower + 1)...].min()!
        // NumPy's lerp: from the nearer end, so that q = 1 gives b exactly.
        return fraction < 0.5 ? a + (b - a) * fraction : b - (b - a) * (1 - fraction)
    }
}

/// The k-th smallest value (0-based); afterwards values[..<k] ≤ values[k] ≤ values[(k+1)...].
/// Quickselect with a median-of-three pivot.
func select(_ values: inout [Double], _ k: Int) -> Double {
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

/// Uniform indices from SplitMix64.
struct IndexStream {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    /// An index in 0..<n: the high 64 bits of a 64-bit draw times n (bias below n / 2^64).
    mutating func next(below n: Int) -> Int {
        let draw = mix(state)
        state &+= 0x9E37_79B9_7F4A_7C15
        return Int(draw.multipliedFullWidth(by: UInt64(n)).high)
    }
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
