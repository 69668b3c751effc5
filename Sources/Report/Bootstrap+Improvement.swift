extension Bootstrap {
    /// The interval of `RobustAggregates.probabilityOfImprovement(x, over: y)`, X and Y resampled
    /// independently within each stratum (rliable's `StratifiedIndependentBootstrap`). Strata
    /// with an empty side are left out; nil when none is left or a value is not finite.
    ///
    /// A resample's statistic is the mean over strata of U_s / (n_s m_s), with U_s the
    /// Mann–Whitney count of its drawn X over its drawn Y (ties ½): an integer 2 U_s per stratum
    /// (`twiceU`). With one stratum (a main-table cell) the statistic grows with 2U alone, which
    /// takes at most 2 n m + 1 values, so the distribution is a histogram of 2U.
    func improvementInterval(_ x: [[Double]], over y: [[Double]]) -> ConfidenceInterval? {
        var strata: [(x: [Double], y: [Double])] = []
        for (xs, ys) in zip(x, y) where !xs.isEmpty && !ys.isEmpty {
            guard xs.allSatisfy(\.isFinite), ys.allSatisfy(\.isFinite) else { return nil }
            strata.append((xs, ys))
        }
        guard !strata.isEmpty else { return nil }
        if strata.count == 1 {
            let pairs = 2 * strata[0].x.count * strata[0].y.count
            var histogram = [Int](repeating: 0, count: pairs + 1)
            for u in twiceUOneStratum(strata[0].x, strata[0].y) { histogram[Int(u)] += 1 }
            // The statistic as the general case computes it: (0 + 2U / (2 n m)) / 1.
            return percentileInterval(BootstrapDistribution(ascending: histogram.enumerated().lazy.map { u, count in
                (Double(u) / Double(pairs), count)
            }))
        }
        let twiceU = twiceUByPrefixSums(strata)
        var thetas = [Double](repeating: 0, count: resamples)
        for b in 0..<resamples {
            var total = 0.0
            for (s, stratum) in strata.enumerated() {
                total += Double(twiceU[b * strata.count + s]) / Double(2 * stratum.x.count * stratum.y.count)
            }
            thetas[b] = total / Double(strata.count)
        }
        return percentileInterval(&thetas)
    }

    /// 2U of each resample of one stratum. When X's draws fall into few multisets
    /// (`ResampleClasses`), 2U is summed per class over X first: a resample then costs one
    /// lookup per drawn Y.
    private func twiceUOneStratum(_ x: [Double], _ y: [Double]) -> [Int32] {
        let n = x.count, m = y.count
        // Larger samples draw almost every multiset once: classes would not pay.
        guard n <= Self.sortedResampleLimit else { return twiceUByPrefixSums([(x, y)]) }
        let classes = indices.classes(segments: [n, m], pooled: false, firstSegmentOnly: true)
        guard classes.count * 2 <= resamples else { return twiceUByPrefixSums([(x, y)]) }
        let draws = indices.draws(segments: [n, m], pooled: false)
        // score[i · m + j] = 2 [x_i > y_j] + [x_i = y_j], compared once.
        var score = [Int32](repeating: 0, count: n * m)
        for i in 0..<n {
            for j in 0..<m { score[i * m + j] = x[i] > y[j] ? 2 : x[i] == y[j] ? 1 : 0 }
        }
        // byClass[c · m + j]: Σ of score[i · m + j] over the x_i that class c draws (with repeats).
        var byClass = [Int32](repeating: 0, count: classes.count * m)
        byClass.withUnsafeMutableBufferPointer { byClass in
            score.withUnsafeBufferPointer { score in
                draws.withUnsafeBufferPointer { draws in
                    for (c, b) in classes.representative.enumerated() {
                        for a in (b * (n + m))..<(b * (n + m) + n) {
                            let scores = Int(draws[a]) * m
                            for j in 0..<m { byClass[c * m + j] &+= score[scores + j] }
                        }
                    }
                }
            }
        }
        var twiceU = [Int32](repeating: 0, count: resamples)
        byClass.withUnsafeBufferPointer { byClass in
            classes.laterDrawLookups.withUnsafeBufferPointer { lookups in
                twiceU.withUnsafeMutableBufferPointer { twiceU in
                    for b in 0..<resamples {
                        var u: Int32 = 0
                        for k in (b * m)..<(b * m + m) { u &+= byClass[Int(lookups[k])] }
                        twiceU[b] = u
                    }
                }
            }
        }
        return twiceU
    }

    /// 2U of each resample and stratum (resample by resample, strata in order). Per stratum, in
    /// flat arrays: each y_j's position in Y sorted, and for each x_i the number of y below it
    /// and at most equal to it, so a resample's 2U is a sum over X's draws of prefix sums of Y's
    /// draw counts by sorted position.
    private func twiceUByPrefixSums(_ strata: [(x: [Double], y: [Double])]) -> [Int32] {
        var xSizes: [Int] = [], ySizes: [Int] = []
        var below: [Int] = [], atMost: [Int] = [], yPosition: [Int] = []
        for (xs, ys) in strata {
            let rankedY = RankedSample(ys)
            xSizes.append(xs.count)
            ySizes.append(ys.count)
            below += xs.map { value in rankedY.sorted.partitioningIndex { $0 >= value } }
            atMost += xs.map { value in rankedY.sorted.partitioningIndex { $0 > value } }
            yPosition += rankedY.rankOf
        }
        // Segments alternate X and Y of each stratum; a drawn index is within its own sample's
        // pooled array (X's or Y's).
        let draws = indices.draws(segments: zip(xSizes, ySizes).flatMap { [$0, $1] }, pooled: false)
        var prefix = [Int](repeating: 0, count: ySizes.max()! + 1)
        var twiceU = [Int32](repeating: 0, count: resamples * strata.count)
        below.withUnsafeBufferPointer { below in
            atMost.withUnsafeBufferPointer { atMost in
                yPosition.withUnsafeBufferPointer { yPosition in
                    prefix.withUnsafeMutableBufferPointer { prefix in
                        draws.withUnsafeBufferPointer { draws in
                            var next = 0, out = 0
                            for _ in 0..<resamples {
                                var xStart = 0, yStart = 0
                                for (n, m) in zip(xSizes, ySizes) {
                                    let xDraws = next
                                    next += n
                                    for k in 0...m { prefix[k] = 0 }
                                    for _ in 0..<m {
                                        prefix[yPosition[yStart + Int(draws[next])] + 1] += 1
                                        next += 1
                                    }
                                    for k in 0..<m { prefix[k + 1] += prefix[k] }
                                    // 2·#(y < x) + #(y = x) per drawn x.
                                    var u = 0
                                    for a in xDraws..<(xDraws + n) {
                                        let i = xStart + Int(draws[a])
                                        u += prefix[below[i]] + prefix[atMost[i]]
                                    }
                                    twiceU[out] = Int32(u)
                                    out += 1
                                    xStart += n
                                    yStart += m
                                }
                            }
                        }
                    }
                }
            }
        }
        return twiceU
    }
}
