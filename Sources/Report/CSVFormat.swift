/// CSV (RFC 4180): one line per table × row × column with the full statistics, then one line per
/// per-seed view × row × seed. `metric` is the section's metric name; `table` is `main`,
/// `marginal:<axis>` or `seeds` (then `seed` is set, `mean` is that seed's value and `delta` the
/// difference to the baseline row at that seed). Empty fields are unknown or not applicable.
enum CSVFormat {
    static let header = ["metric", "table", "row", "column", "seed", "mean", "std", "n", "expected_n",
                         "ci_low", "ci_high", "interval", "iqm", "iqm_ci_low", "iqm_ci_high",
                         "delta", "test", "p_value", "p_adjusted", "significance",
                         "paired_n", "paired_delta", "paired_ci_low", "paired_ci_high", "better", "equal", "worse",
                         "paired_t", "paired_t_p", "wilcoxon_statistic", "wilcoxon_p", "wilcoxon_method", "sign_p",
                         "welch_t", "welch_df", "welch_p",
                         "improvement", "improvement_ci_low", "improvement_ci_high", "best", "baseline", "missing"]

    static func render(_ report: SweepReport) -> String {
        var out = header.joined(separator: ",") + "\r\n"
        func line(_ fields: [String]) {
            for (index, field) in fields.enumerated() {
                if index > 0 { out += "," }
                out += quote(field)
            }
            out += "\r\n"
        }
        let intervalName = report.settings.interval.rawValue
        for section in report.sections {
            let metric = section.main.metricName
            for table in [section.main] + section.marginals {
                let name = table.axis.map { "marginal:" + $0 } ?? "main"
                for row in table.rows {
                    for (cell, column) in zip(row.cells, table.columns) {
                        let s = cell.summary, c = cell.comparison, paired = c?.paired
                        line([
                            metric, name, row.name, column.description, "",
                            number(s?.mean), number(s?.standardDeviation), String(s?.n ?? 0), String(cell.expected),
                            number(cell.interval?.low), number(cell.interval?.high), cell.interval == nil ? "" : intervalName,
                            number(cell.interquartileMean?.value), number(cell.interquartileMean?.interval?.low),
                            number(cell.interquartileMean?.interval?.high),
                            number(cell.delta), c?.test.rawValue ?? "", number(c?.pValue), number(c?.adjustedPValue),
                            significanceMarker(c?.adjustedPValue),
                            paired.map { String($0.differences.n) } ?? "", number(paired?.differences.mean),
                            number(paired?.interval?.low), number(paired?.interval?.high),
                            paired.map { String($0.better) } ?? "", paired.map { String($0.equal) } ?? "",
                            paired.map { String($0.worse) } ?? "",
                            number(paired?.t?.t), number(paired?.t?.pValue), number(paired?.wilcoxon?.statistic),
                            number(paired?.wilcoxon?.pValue), paired?.wilcoxon?.method.rawValue ?? "", number(paired?.sign?.pValue),
                            number(c?.welch?.t), number(c?.welch?.degreesOfFreedom), number(c?.welch?.pValue),
                            number(c?.improvement?.value), number(c?.improvement?.interval?.low),
                            number(c?.improvement?.interval?.high),
                            cell.isBest ? "1" : "0", row.isBaseline ? "self" : (row.baselineRow ?? ""), cell.missing.description,
                        ])
                    }
                }
            }
            for view in section.seedViews {
                for row in view.rows {
                    for (seed, (value, difference)) in zip(view.seeds, zip(row.values, row.differences)) where value != nil {
                        var fields = [String](repeating: "", count: header.count)
                        for (name, field) in [("metric", metric), ("table", "seeds"), ("row", row.name),
                                              ("column", view.column.description), ("seed", String(seed)),
                                              ("mean", number(value)), ("n", "1"), ("delta", number(difference)),
                                              ("baseline", row.isBaseline ? "self" : (row.baselineRow ?? ""))] {
                            fields[headerIndex[name]!] = field
                        }
                        line(fields)
                    }
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

    /// Each header name's column.
    static let headerIndex = Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) })

    static func quote(_ field: String) -> String {
        // Bytes, not Characters: "\r\n" is one Character in Swift, equal to neither "\r" nor "\n".
        guard field.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return field }
        var bytes: [UInt8] = [0x22]
        for byte in field.utf8 {
            if byte == 0x22 { bytes.append(0x22) }   // a quote is written twice
            bytes.append(byte)
        }
        bytes.append(0x22)
        return String(decoding: bytes, as: UTF8.self)
    }
}
