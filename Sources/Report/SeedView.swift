/// The per-seed view of one column of a main table: every seed's value per row, and for rows with
/// a baseline the difference to the baseline's value at that seed, with the paired statistics.

import Sweep

struct SeedView: Sendable {
    var column: MetricPath
    /// Every seed with a value in some row, ascending.
    var seeds: [Int]
    var rows: [SeedViewRow]
}

struct SeedViewRow: Sendable {
    public var name: String
    var isBaseline: Bool
    var baselineRow: String?
    /// Per seed of `SeedView.seeds`: the row's value (nil: no done value at that seed).
    public var values: [Double?]
    /// Per seed: value − the baseline row's value at that seed (nil without both).
    var differences: [Double?]
    public var comparison: Comparison?
}

extension ReportTable {
    /// The per-seed view of `column`; nil when the table has no such column or is a marginal table
    /// (whose values pool several runs per seed).
    func seedView(_ column: MetricPath) -> SeedView? {
        guard axis == nil, let c = columns.firstIndex(of: column) else { return nil }
        func bySeed(_ cell: Cell) -> [Int: Double] {
            var values: [Int: Double] = [:]
            for (value, key) in zip(cell.values, cell.keys) { values[key.seed] = value }
            return values
        }
        let seeds = Set(rows.flatMap { $0.cells[c].keys.map(\.seed) }).sorted()
        let rowIndex = Dictionary(rows.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        let viewRows = rows.map { row -> SeedViewRow in
            let mine = bySeed(row.cells[c])
            let base = row.baselineRow.flatMap { rowIndex[$0] }.map { bySeed(rows[$0].cells[c]) }
            return SeedViewRow(
                name: row.name, isBaseline: row.isBaseline, baselineRow: row.baselineRow,
                values: seeds.map { mine[$0] },
                differences: seeds.map { seed in base.flatMap { b in mine[seed].flatMap { x in b[seed].map { x - $0 } } } },
                comparison: row.cells[c].comparison)
        }
        return SeedView(column: column, seeds: seeds, rows: viewRows)
    }
}
