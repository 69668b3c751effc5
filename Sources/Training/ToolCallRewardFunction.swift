import Foundation
import Rewards

/// The ToolRL reward (`RunConfig.reward`) as a `RewardFunction`: components `format`,
/// `correctness` and, when the spec has one, `length`, with their weights (none for the
/// outcome presets, whose total is not a weighted sum).
public final class ToolCallRewardFunction: RewardFunction {
    let reward: ToolCallReward

    public init(spec: RewardSpec) throws {
        reward = try ToolCallReward(spec: spec)
    }

    public var componentNames: [String] { reward.hasLength ? ["format", "correctness", "length"] : ["format", "correctness"] }

    public func score(_ context: RewardContext) -> RewardScore {
        let breakdown = reward.score(gold: context.gold, completion: context.completion,
                                     step: context.step, totalSteps: context.totalSteps)
        let weights = reward.spec.weights
        var components = [("format", breakdown.format), ("correctness", breakdown.correctness)]
        var componentWeights = [weights.format, weights.correctness]
        if let length = breakdown.length {
            components.append(("length", length))
            componentWeights.append(weights.length)
        }
        return RewardScore(total: breakdown.total, components: components,
                           weights: breakdown.isWeightedSum ? componentWeights : [])
    }
}
