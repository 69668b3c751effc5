/// A cell against the same column of its baseline row: Welch's test of the two samples, the
/// paired statistics when the rows share seeds, the probability of improvement, and the test
/// behind the cell's stars with its corrected p-value.

import Sweep

public struct Comparison: Sendable {
    /// The test whose p-value marks the cell.
    public enum Test: String, Sendable {
        case welch
        case pairedT = "paired-t"
        case wilcoxon
        case sign
    }

    /// Welch's t-test of the two samples as independent (shown for every compared cell).
    var welch: WelchTest?
    /// Seed-by-seed statistics; nil when the rows do not share seeds (or no seed is done in both).
    public var paired: PairedComparison?
    /// P(a random seed of the row beats a random seed of the baseline), ties ½, per stratum and
    /// averaged over strata; "beats" follows the column's direction (lower loss beats higher).
    var improvement: Estimate?
    public var test: Test
    /// The raw p-value of `test`; nil when it is undefined (too few values, no spread).
    var pValue: Double?
    /// `pValue` after `report.correction` over the column's comparisons (equal to it with `none`).
    var adjustedPValue: Double?
}

/// Seed-by-seed comparison of a row with its baseline over the seeds done in both.
public struct PairedComparison: Sendable {
    /// The differences row − baseline: n pairs, the mean difference, its spread and t-interval.
    var differences: SeedSummary
    /// The mean difference's interval as `report.interval` asks; nil for fewer than two pairs.
    public var interval: ConfidenceInterval?
    /// Seeds where the row is better / equal / worse than the baseline (in the column's direction).
    public var better: Int
    public var equal: Int
    var worse: Int
    public var t: PairedTTest?
    public var wilcoxon: WilcoxonSignedRank?
    public var sign: SignTest?
}

extension Comparison {
    /// Compares `cell` with `baseline` (same column). `sharesSeeds` says whether the two rows planned
    /// the same seeds (and strata); `higherIsBetter` orients "better" and the improvement, which
    /// is computed when `robust` (main tables).
    init(_ cell: Cell, against baseline: Cell, sharesSeeds: Bool, higherIsBetter: Bool, settings: ReportSettings,
         robust: Bool) {
        let bootstrap = settings.bootstrap
        welch = cell.summary.flatMap { mine in baseline.summary.flatMap { WelchTest(mine, $0) } }

        if sharesSeeds {
            var baselineValue: [SeedKey: Double] = [:]
            for (value, key) in zip(baseline.values, baseline.keys) { baselineValue[key] = value }
            var differences: [Double] = []
            var strata: [Int] = []
            for (value, key) in zip(cell.values, cell.keys) {
                guard let other = baselineValue[key] else { continue }
                differences.append(value - other)
                strata.append(key.stratum)
            }
            if let summary = SeedSummary(differences) {
                let interval = settings.meanInterval(summary, strata: stratified(differences, by: strata))
                let positive = differences.filter { $0 > 0 }.count, negative = differences.filter { $0 < 0 }.count
                paired = PairedComparison(
                    differences: summary, interval: interval,
                    better: higherIsBetter ? positive : negative, equal: differences.count - positive - negative,
                    worse: higherIsBetter ? negative : positive,
                    t: PairedTTest(differences: summary), wilcoxon: WilcoxonSignedRank(differences: differences),
                    sign: SignTest(differences: differences))
            }
        }

        if robust { improvement = Self.probabilityOfImprovement(cell, over: baseline, higherIsBetter: higherIsBetter, bootstrap: bootstrap) }

        if sharesSeeds {
            switch settings.test {
            case .t: test = .pairedT; pValue = self.paired?.t?.pValue
            case .wilcoxon: test = .wilcoxon; pValue = self.paired?.wilcoxon?.pValue
            case .sign: test = .sign; pValue = self.paired?.sign?.pValue
            }
        } else {
            test = .welch
            pValue = welch?.pValue
        }
        adjustedPValue = pValue
    }
}

extension Comparison {
    /// P(row better than baseline), oriented so that larger is better, then P(X > Y) with X the
    /// row and Y the baseline, stratum by stratum; with its bootstrap interval when both sides
    /// have two values or more.
    static func probabilityOfImprovement(_ cell: Cell, over baseline: Cell, higherIsBetter: Bool, bootstrap: Bootstrap) -> Estimate? {
        let sign = higherIsBetter ? 1.0 : -1.0
        let x = valuesByStratum(cell.values.map { sign * $0 }, by: cell.keys.map(\.stratum))
        let y = valuesByStratum(baseline.values.map { sign * $0 }, by: baseline.keys.map(\.stratum))
        let ids = Set(cell.keys.map(\.stratum)).union(baseline.keys.map(\.stratum)).sorted()
        let xStrata = ids.map { x[$0] ?? [] }, yStrata = ids.map { y[$0] ?? [] }
        guard let value = RobustAggregates.probabilityOfImprovement(xStrata, over: yStrata) else { return nil }
        let interval = cell.values.count >= 2 && baseline.values.count >= 2
            ? bootstrap.improvementInterval(xStrata, over: yStrata)
            : nil
        return Estimate(value: value, interval: interval)
    }
}

/// Values grouped by stratum id, strata in the order of their ids.
func stratified(_ values: [Double], by strata: [Int]) -> [[Double]] {
    let byStratum = valuesByStratum(values, by: strata)
    return byStratum.keys.sorted().map { byStratum[$0]! }
}

/// Values grouped by stratum id.
func valuesByStratum(_ values: [Double], by strata: [Int]) -> [Int: [Double]] {
    // One stratum (every main-table cell): the values as they are, not grouped one by one.
    if let first = strata.first, strata.allSatisfy({ $0 == first }) { return [first: values] }
    var byStratum: [Int: [Double]] = [:]
    for (value, stratum) in zip(values, strata) { byStratum[stratum, default: []].append(value) }
    return byStratum
}
