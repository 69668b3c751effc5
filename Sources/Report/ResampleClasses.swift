/// The bootstrap's resamples grouped by the multiset of indices they draw, for statistics that
/// depend on that multiset alone and not on the order of the draws (the interquartile mean sums
/// its kept values in sorted order; U counts pairs). A small sample has few multisets: n = 5
/// values have C(9, 5) = 126 against B = 2,000 resamples, so such a statistic is computed once per
/// class and weighted by the class's size (`BootstrapDistribution`).
///
/// Classes are made once per shape (`ResampleIndices.classes`) and numbered in the order of their
/// first resample.
struct ResampleClasses: Sendable {
    /// Indices a classified resample draws from: 0..<size.
    let size: Int
    /// counts[c · size + i]: how often each resample of class c draws index i.
    let counts: [Int32]
    /// Resamples in each class.
    let multiplicity: [Int]
    /// Each resample's class.
    let classOf: [Int32]

    var count: Int { multiplicity.count }

    /// Classifies, for each of `resamples` resamples of `stride` draws, the resample's first
    /// `size` draws, which must lie in 0..<size.
    init(draws: [Int32], resamples: Int, stride: Int, size: Int) {
        self.size = size
        var counts: [Int32] = []
        var multiplicity: [Int] = []
        var classOf = [Int32](repeating: 0, count: resamples)
        var classByCounts: [[Int32]: Int] = [:]
        var resampleCounts = [Int32](repeating: 0, count: size)
        for b in 0..<resamples {
            for i in resampleCounts.indices { resampleCounts[i] = 0 }
            for k in (b * stride)..<(b * stride + size) { resampleCounts[Int(draws[k])] += 1 }
            if let known = classByCounts[resampleCounts] {
                multiplicity[known] += 1
                classOf[b] = Int32(known)
            } else {
                classByCounts[resampleCounts] = multiplicity.count
                classOf[b] = Int32(multiplicity.count)
                multiplicity.append(1)
                counts += resampleCounts
            }
        }
        self.counts = counts
        self.multiplicity = multiplicity
        self.classOf = classOf
    }
}
