import Basics
import Foundation
import RunStore
import Sweep

/// JSON with everything: settings, every table cell's statistics and values, every run's state
/// and reduced values, the curves, the warnings. Non-finite numbers are written as null.
enum JSONFormat {
    static func render(_ report: SweepReport) -> String {
        let w = JSONTextWriter()
        w.object {
            w.key("sweep"); w.string(report.sweep)
            w.key("settings"); w.object {
                let settings = report.settings
                w.key("metric"); w.string(settings.metric.description)
                w.key("metrics"); w.array(settings.metrics) { w.string($0.description) }
                w.key("reduce"); w.string(settings.reduce.description)
                w.key("baseline"); w.object {
                    for key in settings.baseline.keys.sorted() { w.key(key); w.string(settings.baseline[key]!) }
                }
                w.key("interval"); w.string(settings.interval.rawValue)
                w.key("correction"); w.string(settings.correction.rawValue)
                w.key("test"); w.string(settings.test.rawValue)
                w.key("resamples"); w.number(Double(settings.bootstrap.resamples))
                w.key("bootstrap_seed"); w.number(Double(settings.bootstrap.seed))
                w.key("confidence"); w.number(settings.bootstrap.confidence)
            }
            w.key("axes"); w.array(report.axes) { w.string($0) }
            w.key("states"); w.object {
                for state in RunStatus.shownStates {
                    w.key(RunStatus.name(state)); w.number(Double(report.stateCounts[state] ?? 0))
                }
            }
            w.key("tables"); w.array(report.sections.flatMap { [$0.main] + $0.marginals }) { table in writeTable(table, w) }
            w.key("seed_views"); w.array(report.sections.flatMap { section in section.seedViews.map { (section.main.metricName, $0) } }) {
                metric, view in writeSeedView(view, metric: metric, w)
            }
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
                        for (column, value) in zip(report.runColumns, run.values) {
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
            w.key("metric"); w.string(table.metricName)
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
                        writeCell(cell, column: column, inMarginal: table.axis != nil, w)
                    }
                }
            }
        }
    }

    static func writeCell(_ cell: Cell, column: MetricPath, inMarginal: Bool, _ w: JSONTextWriter) {
        w.object {
            w.key("column"); w.string(column.description)
            w.key("n"); w.number(Double(cell.summary?.n ?? 0))
            w.key("expected_n"); w.number(Double(cell.expected))
            w.key("mean"); w.optionalNumber(cell.summary?.mean)
            w.key("std"); w.optionalNumber(cell.summary?.standardDeviation)
            w.key("ci_low"); w.optionalNumber(cell.interval?.low)
            w.key("ci_high"); w.optionalNumber(cell.interval?.high)
            w.key("iqm"); writeEstimate(cell.interquartileMean, w)
            w.key("delta"); w.optionalNumber(cell.delta)
            w.key("comparison")
            if let c = cell.comparison { writeComparison(c, w) } else { w.null() }
            w.key("best"); w.bool(cell.isBest)
            w.key("missing"); w.object {
                w.key("failed"); w.number(Double(cell.missing.failed))
                w.key("running"); w.number(Double(cell.missing.running))
                w.key("pending"); w.number(Double(cell.missing.pending))
                w.key("unreadable"); w.number(Double(cell.missing.unreadable))
                w.key("no_value"); w.number(Double(cell.missing.noValue))
            }
            w.key("values"); w.array(cell.values) { w.number($0) }
            w.key("seeds"); w.array(cell.keys) { w.number(Double($0.seed)) }
            if inMarginal { w.key("strata"); w.array(cell.keys) { w.number(Double($0.stratum)) } }
        }
    }

    static func writeComparison(_ c: Comparison, _ w: JSONTextWriter) {
        w.object {
            w.key("test"); w.string(c.test.rawValue)
            w.key("p_value"); w.optionalNumber(c.pValue)
            w.key("p_adjusted"); w.optionalNumber(c.adjustedPValue)
            w.key("welch")
            if let welch = c.welch {
                w.object {
                    w.key("t"); w.number(welch.t)
                    w.key("df"); w.number(welch.degreesOfFreedom)
                    w.key("p_value"); w.number(welch.pValue)
                }
            } else { w.null() }
            w.key("paired")
            if let paired = c.paired {
                w.object {
                    w.key("n"); w.number(Double(paired.differences.n))
                    w.key("mean_difference"); w.number(paired.differences.mean)
                    w.key("std"); w.optionalNumber(paired.differences.standardDeviation)
                    w.key("ci_low"); w.optionalNumber(paired.interval?.low)
                    w.key("ci_high"); w.optionalNumber(paired.interval?.high)
                    w.key("better"); w.number(Double(paired.better))
                    w.key("equal"); w.number(Double(paired.equal))
                    w.key("worse"); w.number(Double(paired.worse))
                    w.key("t_test")
                    if let t = paired.t {
                        w.object {
                            w.key("t"); w.number(t.t)
                            w.key("df"); w.number(Double(t.degreesOfFreedom))
                            w.key("p_value"); w.number(t.pValue)
                        }
                    } else { w.null() }
                    w.key("wilcoxon")
                    if let wilcoxon = paired.wilcoxon {
                        w.object {
                            w.key("statistic"); w.number(wilcoxon.statistic)
                            w.key("p_value"); w.number(wilcoxon.pValue)
                            w.key("method"); w.string(wilcoxon.method.rawValue)
                        }
                    } else { w.null() }
                    w.key("sign_test")
                    if let sign = paired.sign {
                        w.object {
                            w.key("positive"); w.number(Double(sign.positive))
                            w.key("negative"); w.number(Double(sign.negative))
                            w.key("p_value"); w.number(sign.pValue)
                        }
                    } else { w.null() }
                }
            } else { w.null() }
            w.key("improvement"); writeEstimate(c.improvement, w)
        }
    }

    static func writeEstimate(_ estimate: Estimate?, _ w: JSONTextWriter) {
        guard let estimate else { return w.null() }
        w.object {
            w.key("value"); w.number(estimate.value)
            w.key("ci_low"); w.optionalNumber(estimate.interval?.low)
            w.key("ci_high"); w.optionalNumber(estimate.interval?.high)
        }
    }

    static func writeSeedView(_ view: SeedView, metric: String, _ w: JSONTextWriter) {
        w.object {
            w.key("metric"); w.string(metric)
            w.key("column"); w.string(view.column.description)
            w.key("seeds"); w.array(view.seeds) { w.number(Double($0)) }
            w.key("rows"); w.array(view.rows) { row in
                w.object {
                    w.key("name"); w.string(row.name)
                    w.key("is_baseline"); w.bool(row.isBaseline)
                    w.key("baseline_row"); w.optionalString(row.baselineRow)
                    w.key("values"); w.array(row.values) { w.optionalNumber($0) }
                    w.key("differences"); w.array(row.differences) { w.optionalNumber($0) }
                }
            }
        }
    }
}
