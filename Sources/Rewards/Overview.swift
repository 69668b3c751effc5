// Rewards: ToolRL's reward (format + correctness + optional length) in every variant the paper
// ablates, at two fidelities: the paper's formulas or the original code's behaviour
// (docs/rewards.md has every formula).
//
// Reading order:
// 1. `RewardSpec` and its parts (`RewardOptions`, `ScaleRange`, `ScheduleSpec`, `LengthSpec`,
//    `ErrorWeights`); `RewardSpec+File` — reward files.
// 2. `ToolCallReward` — scoring one completion; `PaperScoring`, `ToolRLCodeScoring` — the two
//    fidelities; `OutcomeScoring` — the outcome presets (`binary`, `f1_floor`, `error_typed`);
//    `CallAssignment` — matching predicted calls to gold ones; `PythonRound`.
// 3. `LineScorer` — `ablate score` over JSON lines.
