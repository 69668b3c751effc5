/// CSV (RFC 4180): one line per table × row × column with the full statistics. The main table's
/// `table` field is `main`; marginal tables are `marginal:<axis>`. Empty fields are unknown.
enum CSVFormat {
    static let header = ["table", "row", "column", "mean", "std", "n", "expected_n", "ci_low", "ci_high",
                         "delta", "p_value", "significance", "best", "baseline", "missing"]

    static func render(_ report: SweepReport) -> String {
        var out = header.joined(separator: ",") + "\r\n"
        for table in [report.main] + report.marginals {
            let name = table.axis.map { "marginal:" + $0 } ?? "main"
            for row in table.rows {
                for (cell, column) in zip(row.cells, table.columns) {
                    let s = cell.summary
                    let fields: [String] = [
                        name, row.name, column.description,
                        number(s?.mean), number(s?.standardDeviation), String(s?.n ?? 0), String(cell.expected),
                        number(s?.ciLow), number(s?.ciHigh), number(cell.delta), number(cell.test?.pValue),
                        significanceMarker(cell.test?.pValue), cell.isBest ? "1" : "0",
                        row.isBaseline ? "self" : (row.baselineRow ?? ""), cell.missing.description,
                    ]
                    out += fields.map(quote).joined(separator: ",") + "\r\n"
                }
            }
        }
        return out
    }

    /// Full precision (shortest round-tripping form); empty when unknown.
    static func number(_ x: Double?) -> String {
        guard let x else { return "" }
        return x.isNaN ? "NaN" : "\(x)"
    }

    static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
