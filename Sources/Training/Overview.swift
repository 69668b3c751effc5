// Training: one run's config and its in-process trainers (GRPO, SFT, pretraining).
//
// Reading order:
// 1. `RunConfig` (with `TrainConfig`, `EvalConfig`, `TrainerConfig`) — `config.json`, its
//    defaults version and resolver; `RunConfig+DataFiles` — data files resolved and checked.
// 2. `TrainingRun` — the run loop: resume, steps, evaluation, checkpoints, result; `RunTask`
//    (the task generated or loaded, with its log lines), `TruncationReport`.
// 3. `GRPOTrainer` — sampling, rewards, `GroupAdvantages`, `PolicyLossHead` and `PolicyLoss`;
//    `SupervisedTrainer` for SFT and pretraining.
// 4. `AdamW`, `LearningRateSchedule`, `DataOrder`, `TokenRows`, `ScratchBuffer`.
// 5. `RewardFunction`, `ToolCallRewardFunction` — the reward seen by trainers; `Evaluation`,
//    `EvaluationMetrics`; `StepReport`.
