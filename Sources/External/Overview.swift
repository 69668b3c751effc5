// External: runs trained by an external program under Ablate's contract (docs/external.md).
//
// Reading order:
// 1. `ExternalTrainerRun` — starting, supervising and stopping the command inside the worker.
// 2. `MetricsValidator` — checking what the program writes.
// 3. `RewardService` and `RewardServer` — the run's reward over a socket or standard streams.
// 4. `TaskExport` — the task as JSON lines for the program.
