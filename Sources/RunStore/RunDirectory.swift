/// The files of one run directory (`runs/store/<id>/`, or `ablate train --out DIR`), each owned
/// by one type of this module (docs/architecture.md, "Files a run writes"):
///
/// | file | type | written by |
/// |---|---|---|
/// | `config.json` | `ConfigFile` | planner, `ablate train` |
/// | `state.json` | `StateFile` | scheduler |
/// | `metrics.jsonl` | `MetricsLog` (writer), `MetricsReader`, `MetricsLine` (readers) | trainer |
/// | `eval.json` | `EvalFile` | trainer |
/// | `completions.jsonl` | (lines from `Training`'s evaluation, written whole with `AtomicFile`) | trainer |
/// | `result.json` | `RunResult` | worker |
/// | `log.txt` | `RunLog` | worker |
/// | `checkpoint/` | `CheckpointDirectory` | trainer |
/// | `claim` | `RunClaim` | scheduler |
/// | `worker.out` | (the worker's captured output) | scheduler |
public struct RunDirectory: Sendable {
    public let path: String

    public init(_ path: String) { self.path = path }

    public var config: String { path + "/config.json" }
    public var state: String { path + "/state.json" }
    public var metrics: String { path + "/metrics.jsonl" }
    public var eval: String { path + "/eval.json" }
    public var completions: String { path + "/completions.jsonl" }
    public var result: String { path + "/result.json" }
    public var log: String { path + "/log.txt" }
    public var checkpoints: String { path + "/checkpoint" }
    public var claim: String { path + "/claim" }
    public var workerOutput: String { path + "/worker.out" }
}
