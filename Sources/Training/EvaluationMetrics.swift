import Foundation
import RunStore
import ToolUse

/// The metrics of one evaluation split (docs/architecture.md, "metrics.jsonl"): `Evaluator`'s
/// rates and the mean reward, total and per component. Shared by the in-process evaluation and
/// the reward server's `evaluate` request, so external trainers report the same numbers.
public enum EvaluationMetrics {
    /// `items`, their `completions` and `scores` in the same order. Components are listed in
    /// `componentNames` order, then any other a score has.
    public static func split(items: [TaskItem], completions: [String], scores: [RewardScore],
                             componentNames: [String]) -> [(String, MetricValue)] {
        guard !items.isEmpty else { return [("count", .number(0))] }
        let evaluated = Evaluator.evaluate(items: items, completions: completions)
        var fields: [(String, MetricValue)] = evaluated.keys.sorted().map { ($0, .number(evaluated[$0]!)) }
        let n = Double(scores.count)
        fields.append(("reward/total", .number(scores.reduce(0) { $0 + $1.total } / n)))
        var names = componentNames
        for score in scores { for (name, _) in score.components where !names.contains(name) { names.append(name) } }
        for name in names {
            let values = scores.compactMap { $0.components.first(where: { $0.0 == name })?.1 }
            if !values.isEmpty { fields.append(("reward/\(name)", .number(values.reduce(0, +) / Double(values.count)))) }
        }
        return fields
    }
}
