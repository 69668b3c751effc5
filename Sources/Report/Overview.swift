// Report: a sweep's ablation report. Runs are read from the ledger (`RunStore`), reduced to one
// number per metric, aggregated over seeds, tested against the baseline row and written as
// Markdown, CSV, LaTeX, HTML+SVG and JSON (docs/reports.md).
//
// Reading order:
// 1. `RunLedger` — one run's status and series (`LedgerReader`, on all cores).
// 2. `SweepReport+Aggregation` — tables (with `Reduction+Apply`, `MetricPath+Presentation`);
//    `Statistics`, `StudentT`; `Bootstrap` (with `ResampleIndices`, `ResampleClasses`,
//    `BootstrapDistribution`); `SweepReport+Curves`.
// 3. `ReportModel` — what the formats print; `CellText`.
// 4. The formats: `MarkdownFormat`, `CSVFormat`, `LaTeXFormat`, `HTMLFormat` (`SVGChart`),
//    `JSONFormat`; `ReportWriter` — writing them.

import Sweep
