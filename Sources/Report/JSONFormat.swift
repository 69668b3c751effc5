import Basics
import Foundation
import RunStore

/// JSON with everything: settings, every table cell's statistics and values, every run's state
/// and reduced values, the curves, the warnings. Non-finite numbers are written as null.
enum JSONFormat {
    static func render(_ report: SweepReport) -> String {
        let w = JSONTextWriter()
        w.object {
            w.key("sweep"); w.string(report.sweep)
            w.key("settings"); w.object {
                w.key("metric"); w.string(report.settings.metric.description)
                w.key("reduce"); w.string(report.settings.reduce.description)
                w.key("baseline"); w.object {
                    for key in report.settings.baseline.keys.sorted() { w.key(key); w.string(report.settings.baseline[key]!) }
                }
                w.key("confidence"); w.number(0.95)
            }
            w.key("axes"); w.array(report.axes) { w.string($0) }
            w.key("states"); w.object {
                for state in RunStatus.shownStates {
                    w.key(RunStatus.name(state)); w.number(Double(report.stateCounts[state] ?? 0))
                }
            }
            w.key("tables"); w.array([report.main] + report.marginals) { table in writeTable(table, w) }
            w.key("runs"); w.array(report.runs) { run in
                w.object {
                    w.key("id"); w.string(run.id)
                    w.key("row"); w.string(run.row)
                    w.key("seed"); w.number(Double(run.seed))
                    w.key("state"); w.string(run.status.stateName)
                    w.key("error"); w.optionalString(run.status.error)
                    w.key("step"); w.optionalNumber(run.status.step.map(Double.init))
                    w.key("total_steps"); w.optionalNumber(run.status.totalSteps.map(Double.init))
                    w.key("values"); w.object {
                        for (column, value) in zip(report.main.columns, run.values) {
                            w.key(column.description); w.optionalNumber(value)
                        }
                    }
                }
            }
            w.key("charts"); w.array(report.charts) { chart in
                w.object {
                    w.key("title"); w.string(chart.title)
                    w.key("metric"); w.string(chart.metric)
                    w.key("omitted_rows"); w.number(Double(chart.omittedRows))
                    w.key("curves"); w.array(chart.curves) { curve in
                        w.object {
                            w.key("row"); w.string(curve.row)
                            w.key("runs"); w.number(Double(curve.runs))
                            w.key("steps"); w.array(curve.steps) { w.number($0) }
                            w.key("mean"); w.array(curve.mean) { w.number($0) }
                            w.key("low"); w.array(curve.low) { w.number($0) }
                            w.key("high"); w.array(curve.high) { w.number($0) }
                        }
                    }
                }
            }
            w.key("warnings"); w.array(report.warnings) { w.string($0) }
        }
        return w.text + "\n"
    }

    static func writeTable(_ table: ReportTable, _ w: JSONTextWriter) {
        w.object {
            w.key("title"); w.string(table.title)
            w.key("axis"); w.optionalString(table.axis)
            w.key("columns"); w.array(table.columns) { w.string($0.description) }
            w.key("rows"); w.array(table.rows) { row in
                w.object {
                    w.key("name"); w.string(row.name)
                    w.key("labels"); w.object {
                        for key in row.labels.keys.sorted() { w.key(key); w.string(row.labels[key]!) }
                    }
                    w.key("is_baseline"); w.bool(row.isBaseline)
                    w.key("baseline_row"); w.optionalString(row.baselineRow)
                    w.key("cells"); w.array(Array(zip(table.columns, row.cells))) { column, cell in
                        w.object {
                            w.key("column"); w.string(column.description)
                            w.key("n"); w.number(Double(cell.summary?.n ?? 0))
                            w.key("expected_n"); w.number(Double(cell.expected))
                            w.key("mean"); w.optionalNumber(cell.summary?.mean)
                            w.key("std"); w.optionalNumber(cell.summary?.standardDeviation)
                            w.key("ci_low"); w.optionalNumber(cell.summary?.ciLow)
                            w.key("ci_high"); w.optionalNumber(cell.summary?.ciHigh)
                            w.key("delta"); w.optionalNumber(cell.delta)
                            w.key("t"); w.optionalNumber(cell.test?.t)
                            w.key("df"); w.optionalNumber(cell.test?.degreesOfFreedom)
                            w.key("p_value"); w.optionalNumber(cell.test?.pValue)
                            w.key("best"); w.bool(cell.isBest)
                            w.key("missing"); w.object {
                                w.key("failed"); w.number(Double(cell.missing.failed))
                                w.key("running"); w.number(Double(cell.missing.running))
                                w.key("pending"); w.number(Double(cell.missing.pending))
                                w.key("unreadable"); w.number(Double(cell.missing.unreadable))
                                w.key("no_value"); w.number(Double(cell.missing.noValue))
                            }
                            w.key("values"); w.array(cell.values) { w.number($0) }
                        }
                    }
                }
            }
        }
    }
}
