// Benchmarks: what `ablate bench` measures, each defined once. Timing lives here, never in tests.
//
// Reading order:
// 1. `W1` — the GRPO step every policy benchmark is shaped by.
// 2. `ModelBenchmark` — cblas_sgemm (the physical anchor) and the model's W1 phases.
// 3. `PolicyBenchmark` — one W1 GRPO step per phase.
// 4. `ScoreBenchmark` — reward scoring throughput.
// 5. `ReportBenchmark` over a `SyntheticLedger` — a full report of thousands of runs.
