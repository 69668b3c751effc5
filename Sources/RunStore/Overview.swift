// RunStore: the ledger on disk. It owns the layout of the runs directory and every file a run
// writes, each with one type holding its reader and writer, so trainers, the scheduler and
// reports (and, later, external trainers) agree on one format. A malformed file is reported here,
// with its path and, where known, line, column and field (`RunFileError`).
//
// Reading order:
// 1. `Ledger` — `<root>/store/<id>/` and `<root>/<sweep>/`; `RunDirectory` — the files of a run.
// 2. `StateFile` and `RunState` — `state.json`, the one name for pending/running/done/failed.
// 3. `ConfigFile` — `config.json`, the resolved config.
// 4. `MetricsLog` (writer), `MetricsLine`, `MetricsReader` (the fast reader reports use, with
//    `MetricsLineLayout`) — `metrics.jsonl`; `JSONNode`/`JSONScanner` — the byte-level JSON reader under them.
// 5. `EvalFile`, `RunResult`, `RunLog` — `eval.json`, `result.json`, `log.txt`.
// 6. `CheckpointDirectory` — `checkpoint/`; `RunClaim` — the `claim` lock.
// 7. `RunFileError` — how a malformed file is reported.
