// Scheduler: trains a planned sweep's runs on this machine, each in its own worker process, and
// says where a sweep stands.
//
// Reading order:
// 1. `SchedulerOptions`, `WorkerCommand` — what `ablate run` asks for.
// 2. `LocalScheduler` — the loop: claims, launching, reaping, retries, timeouts, interrupts,
//    heartbeats; `WorkerProcess` — one child; `GPUPool`.
// 3. `SweepOutcome` (`ScheduledRun`), `SweepStatus` — results and `ablate status`.
// 4. `Progress` — plain and live progress display.
