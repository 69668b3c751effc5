// Training: one run's config and its in-process trainers (GRPO and its family, PPO with a
// critic, SFT, pretraining).
//
// Reading order:
// 1. `RunConfig` (with `TrainConfig`, `EvalConfig`, `CriticConfig`, `PPOConfig`,
//    `TrainerConfig`) — `config.json`, its defaults version and resolver; `RunConfig+NamedFiles` —
//    data files and checkpoint paths resolved and checked.
// 2. `TrainingRun` — the run loop: resume, steps, evaluation, checkpoints, result; `RunTask` —
//    the task generated or loaded, with its log lines; `TruncationReport` — what the context
//    cuts; `RunTrainer` picks the trainer; `Critic` — PPO's value model and its optimiser in a
//    checkpoint.
// 3. `Rollout` — sampling and scoring a batch (`DynamicSampling`, `OverlongPenalty`), shared by
//    `GRPOTrainer` (`AdvantageEstimator`, `GroupAdvantages`, `TokenAdvantages`) and `PPOTrainer`
//    (`GeneralizedAdvantageEstimation`, `ValueLoss`); `CompletionForward` — their forward and
//    backward passes; `PolicyLossHead` and `PolicyLoss`; `KLDivergence`, `RewardKL`,
//    `KLController`; `StepMetrics`. `SupervisedTrainer` for SFT and pretraining.
// 4. `AdamW`, `LearningRateSchedule`, `DataOrder`, `TokenRows`, `ScratchBuffer`.
// 5. `RewardFunction`, `ToolCallRewardFunction` — the reward seen by trainers; `Evaluation`,
//    `EvaluationMetrics`; `StepReport` (with `PhaseClock`).
