/// A reward configuration that cannot be used, with what to change.

import Basics

struct RewardConfigError: Error, Equatable, CustomStringConvertible, Sendable {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The paper's nine variants (Tables 5–7), each a set of defaults, and three outcome rewards
/// from other tool-use papers, each a formula of its own (docs/rewards.md, "Outcome presets").
public enum RewardPreset: String, ConfigOption {
    case original, length
    case dynamicLength = "dynamic_length"
    case equalMax = "equal_max"
    case twoStage = "two_stage"
    case dynamicScale = "dynamic_scale"
    case finegrained, intermediate, coarse
    /// Tool-N1: 1 when the format is right and the calls equal the gold's, else 0.
    case binary
    /// Tool-Star style: −1 for a bad format, else the F1 of the predicted calls against the gold.
    case f1Floor = "f1_floor"
    /// 1 when right, else minus the weight of the completion's FC-RewardBench error class.
    case errorTyped = "error_typed"

    /// Whether the preset is one of ToolRL's (format + correctness [+ length] with ranges).
    public var isToolRL: Bool {
        switch self {
        case .binary, .f1Floor, .errorTyped: return false
        default: return true
        }
    }
}

/// How the reward's components become one advantage signal (`reward.aggregation`).
public enum RewardAggregation: String, ConfigOption {
    /// The weighted components are summed and the sum is normalised in its group (GRPO, ToolRL).
    case sumThenNormalize = "sum_then_normalize"
    /// GDPO (TRL `multi_objective_aggregation`): each component is normalised in its group,
    /// the normalised components are summed with their weights, the sum normalised over the batch.
    case normalizeThenSum = "normalize_then_sum"
}

/// `paper`: the formulas as the paper writes them. `toolrl-code`: the original code's behaviour,
/// quirks included (see docs/rewards.md for every difference).
public enum RewardFidelity: String, ConfigOption {
    case paper
    case toolrlCode = "toolrl-code"
}

/// How finely correctness is decomposed (paper §5.3).
public enum CorrectnessGranularity: String, ConfigOption {
    case original, finegrained, intermediate, coarse
}

/// How predicted calls are assigned to gold calls (fidelity `paper`; `toolrl-code` is always greedy).
public enum CallMatching: String, ConfigOption {
    /// The assignment with the highest total score (Hungarian algorithm).
    case optimal
    /// Gold calls in order, each taking its best unused same-name prediction (ToolRL's code).
    case greedy
}

/// Which value equality counts a parameter as right (fidelity `paper`).
public enum ValueEquality: String, ConfigOption {
    /// Python `==` on decoded JSON (`1 == 1.0 == true`).
    case python
    /// `JSONValue.strictEquals` (`1 == 1.0`, but `true != 1`).
    case strict
}

/// Correctness when the gold answer has no tool call (fidelity `paper`).
public enum ResponseOnlyCorrectness: String, ConfigOption {
    /// 0, whatever the model does (the original code, confirmed intended by its authors).
    case zero
    /// Max when the completion has no `<tool_call>`, min otherwise.
    case abstain
}

/// How the length target moves over training.
enum LengthGrowth: String, ConfigOption {
    /// Always `target`.
    case fixed
    /// `target + (final_target − target)·p` (paper: 512 → 1024); toolrl-code: 384 + 256·step/105.
    case linear
}
