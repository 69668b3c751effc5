extension Bootstrap {
    /// Up to this many values a resample's ranks are sorted (and its kept values summed in
    /// ascending order); beyond, they are counted.
    static let sortedResampleLimit = 32

    /// The percentile interval of the interquartile mean of `values` (the strata's values
    /// pooled; `segments` their sizes), dropping `cut` values at each end. A small sample goes by
    /// the classes of multisets its resamples draw (`ResampleClasses`): its resamples'
    /// statistics are those of far fewer distinct multisets.
    func interquartileMeanInterval(_ values: [Double], segments: [Int], cut: Int) -> ConfidenceInterval {
        let sample = RankedSample(values)
        let draws = indices.draws(segments: segments)
        if values.count <= Self.sortedResampleLimit {
            let classes = indices.classes(segments: segments)
            if classes.count * 2 <= resamples {
                return percentileInterval(interquartileMeansByClass(sample, draws: draws, classes: classes, cut: cut))
            }
        }
        var thetas = resampledInterquartileMeans(sample, draws: draws, cut: cut)
        return percentileInterval(&thetas)
    }

    /// The interquartile mean of each class of resamples, computed on the class's first
    /// resample as `resampledInterquartileMeans` computes it for every resample.
    private func interquartileMeansByClass(_ sample: RankedSample, draws: [Int32], classes: ResampleClasses,
                                           cut: Int) -> BootstrapDistribution {
        let n = sample.sorted.count
        var thetas: [(Double, Int)] = []
        thetas.reserveCapacity(classes.count)
        var ranks = [Int](repeating: 0, count: n)
        var scratch = [Int](repeating: 0, count: n)
        sample.sorted.withUnsafeBufferPointer { sorted in
            ranks.withUnsafeMutableBufferPointer { ranks in
                scratch.withUnsafeMutableBufferPointer { scratch in
                    for (b, multiplicity) in zip(classes.representative, classes.multiplicity) {
                        for k in 0..<n { ranks[k] = sample.rankOf[Int(draws[b * n + k])] }
                        let kept = middleSumBySorting(UnsafeBufferPointer(ranks), sorted, cut: cut, scratch: scratch)
                        thetas.append((kept / Double(n - 2 * cut), multiplicity))
                    }
                }
            }
        }
        return BootstrapDistribution(unsorted: thetas)
    }

    /// The interquartile mean of each resample. With the values sorted once, a resample is a
    /// multiset of ranks whose `cut` smallest and largest are dropped.
    private func resampledInterquartileMeans(_ sample: RankedSample, draws: [Int32], cut: Int) -> [Double] {
        let n = sample.sorted.count, sorted = sample.sorted, rankOf = sample.rankOf
        let rankDraws = draws.map { rankOf[Int($0)] }
        var thetas = [Double](repeating: 0, count: resamples)
        var scratch = [Int](repeating: 0, count: n)
        sorted.withUnsafeBufferPointer { sorted in
            rankDraws.withUnsafeBufferPointer { rankDraws in
                scratch.withUnsafeMutableBufferPointer { scratch in
                    for b in 0..<resamples {
                        let ranks = UnsafeBufferPointer(rebasing: rankDraws[(b * n)..<(b * n + n)])
                        let kept = n <= Self.sortedResampleLimit ? middleSumBySorting(ranks, sorted, cut: cut, scratch: scratch)
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
}

/// A sample sorted once: each value's rank, and the values in rank order (ties in index order).
struct RankedSample {
    let sorted: [Double]
    let rankOf: [Int]

    init(_ values: [Double]) {
        let order = values.indices.sorted { values[$0] < values[$1] }
        sorted = order.map { values[$0] }
        var rankOf = [Int](repeating: 0, count: values.count)
        for (rank, index) in order.enumerated() { rankOf[index] = rank }
        self.rankOf = rankOf
    }
}
