/// The bootstrap's resamples grouped by the multiset of indices they draw, for statistics that
/// depend on that multiset alone and not on the order of the draws (the interquartile mean sums
/// its kept values in sorted order; U counts pairs). A small sample has few multisets: n = 5
/// values have C(9, 5) = 126 against B = 2,000 resamples, so such a statistic is computed once per
/// class, on the class's first resample, and weighted by the class's size
/// (`BootstrapDistribution`).
///
/// Classes are made once per shape (`ResampleIndices.classes`) and numbered in the order of their
/// first resample.
struct ResampleClasses: Sendable {
    /// Each class's first resample.
    let representative: [Int]
    /// Resamples in each class.
    let multiplicity: [Int]
    /// Each resample's class.
    let classOf: [Int32]
    /// For each resample, each of its draws after the first segment (`stride − size` of them)
    /// as an entry of a table with one row of `stride − size` entries per class:
    /// classOf[b] · (stride − size) + draw. A statistic tabulated per class and later draw
    /// (P(better)'s 2U, X's class against each y) is then a sum of lookups per resample.
    let laterDrawLookups: [Int32]

    var count: Int { multiplicity.count }

    /// Classifies, for each of `resamples` resamples of `stride` draws, the resample's first
    /// `size` draws, which must lie in 0..<size.
    init(draws: [Int32], resamples: Int, stride: Int, size: Int) {
        var representative: [Int] = []
        var multiplicity: [Int] = []
        var classOf = [Int32](repeating: 0, count: resamples)
        var classByCounts: [[Int32]: Int] = [:]
        var counts = [Int32](repeating: 0, count: size)
        for b in 0..<resamples {
            for i in counts.indices { counts[i] = 0 }
            for k in (b * stride)..<(b * stride + size) { counts[Int(draws[k])] += 1 }
            if let known = classByCounts[counts] {
                multiplicity[known] += 1
                classOf[b] = Int32(known)
            } else {
                classByCounts[counts] = multiplicity.count
                classOf[b] = Int32(multiplicity.count)
                representative.append(b)
                multiplicity.append(1)
            }
        }
        self.representative = representative
        self.multiplicity = multiplicity
        self.classOf = classOf
        let later = stride - size
        var lookups = [Int32](repeating: 0, count: resamples * later)
        for b in 0..<resamples {
            for k in 0..<later { lookups[b * later + k] = classOf[b] * Int32(later) + draws[b * stride + size + k] }
        }
        laterDrawLookups = lookups
    }
}
