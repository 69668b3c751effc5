import Basics
import Foundation
import Model
import RunStore
import ToolUse

/// Greedy-decoding evaluation over the task's evaluation splits: `Evaluator` metrics plus the
/// mean reward components per split, and an `overall` split over every evaluated item except
/// those of `no_call` (conversation follow-ups: an empty completion makes no call and would count
/// as right, so they are reported on their own).
struct Evaluation {
    let model: Transformer
    let tokenizer: Tokenizer
    let rewardFunction: RewardFunction
    let config: EvalConfig
    let taskSet: TaskSet
    /// Prompts per sampler call.
    let chunkSize = 16
    /// Receives one example completion per split (for log.txt: look at completions regularly).
    var example: ((String, String) -> Void)? = nil
    /// Every item's completion of the last `run`, split by split (for `completions.jsonl`).
    private(set) var lastCompletions: [(item: TaskItem, completion: String)] = []

    /// `{"<split>": {"<metric>": x}}` in a fixed order: overall first, then the configured splits
    /// (`EvalConfig.decodedSplits`).
    mutating func run(step: Int, totalSteps: Int) -> [(String, MetricValue)] {
        lastCompletions = []
        let sampler = Sampler(model: model, endOfText: tokenizer.endOfText)
        let settings = SamplingSettings(temperature: 0, topK: 0, topP: 1, maxNewTokens: config.maxNewTokens, stopSequences: [])
        var allItems: [TaskItem] = []
        var allCompletions: [String] = []
        var allScores: [RewardScore] = []
        var splits: [(String, MetricValue)] = []
        for name in config.decodedSplits {
            guard let split = TaskSplit(rawValue: name) else { continue }
            var items = taskSet.evaluation[split] ?? []
            if config.maxItems > 0 { items = Array(items.prefix(config.maxItems)) }
            guard !items.isEmpty else { continue }
            var completions: [String] = []
            var completionTokens: [[Int32]] = []
            for start in stride(from: 0, to: items.count, by: chunkSize) {
                let chunk = items[start..<min(items.count, start + chunkSize)]
                let prompts = chunk.map { promptTokens($0.prompt) }
                var random = RandomGenerator(seed: 0)   // greedy: no draws matter
                let outputs = sampler.generate(prompts: prompts, completionsPerPrompt: 1, settings: settings, random: &random)
                for output in outputs {
                    var tokens = output.tokens
                    if tokens.last == tokenizer.endOfText { tokens.removeLast() }
                    completions.append(tokenizer.decode(tokens))
                    completionTokens.append(tokens)
                }
            }
            let scores = items.indices.map { i in
                rewardFunction.score(RewardContext(prompt: items[i].prompt, gold: items[i].gold, completion: completions[i],
                                                   completionTokens: completionTokens[i], step: step, totalSteps: totalSteps))
            }
            splits.append((name, .object(metrics(items: items, completions: completions, scores: scores))))
            example?(name, completions[0])
            guard split != .noCall else { continue }
            allItems += items
            allCompletions += completions
            lastCompletions += zip(items, completions).map { ($0, $1) }
            allScores += scores
        }
        let overall = metrics(items: allItems, completions: allCompletions, scores: allScores)
        return [("overall", .object(overall))] + splits
    }

    /// One JSON line per item of the last `run`: split, id, the `Evaluator` verdicts and error
    /// class, the completion and the gold answer, so that failures can be read item by item.
    func completionLines() -> String {
        lastCompletions.map { item, completion in
            let verdict = Evaluator.judge(item: item, completion: completion)
            let fields: [(String, JSONValue)] = [
                ("split", .string(item.split.rawValue)), ("id", .string(item.id)), ("masked", .bool(item.isMasked)),
                ("exact", .bool(verdict.exact)), ("names", .bool(verdict.namesMatch)), ("format", .bool(verdict.formatValid)),
                ("error", verdict.error.map { .string($0.rawValue) } ?? .null),
                ("request", .string(item.request)), ("completion", .string(completion)), ("gold", .string(item.gold)),
            ]
            return JSONValue.object(fields).dumps() + "\n"
        }.joined()
    }

    func promptTokens(_ text: String) -> [Int32] {
        let tokens = tokenizer.encode(text)
        return Array(tokens.suffix(max(1, model.config.context - config.maxNewTokens)))
    }

    func metrics(items: [TaskItem], completions: [String], scores: [RewardScore]) -> [(String, MetricValue)] {
        EvaluationMetrics.split(items: items, completions: completions, scores: scores,
                                componentNames: rewardFunction.componentNames)
    }
}
