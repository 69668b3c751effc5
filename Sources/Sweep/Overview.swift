// Sweep: a spec (format v1, docs/spec.md) becomes planned runs. It knows nothing of training: an
// axis is a dotted key into a config tree, resolved by the `ConfigResolver` it is handed.
//
// Reading order:
// 1. `SweepSpec` — the parsed spec; `SweepSpec+Loading`, `SpecInheritance` (`extends`),
//    `SpecParser` (every section, every problem at its location).
// 2. `ReportSettings` with `MetricPath` and `Reduction` — the `report:` section, one validator.
// 3. `SweepPlanner` — expansion, stages, identity; `SweepPlan` — the result.
// 4. `PlanFile` — plan.json; `Ledger+Plan` — recording a plan in the store.
