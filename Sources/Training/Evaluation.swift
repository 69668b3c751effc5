import Basics
import Foundation
import Model
import RunStore
import ToolUse

/// Greedy-decoding evaluation over the task's evaluation splits: `Evaluator` metrics plus the
/// mean reward components per split, and an `overall` split over every evaluated item except
/// those of `no_call` (conversation follow-ups: an empty completion makes no call and would count
/// as right, so they are reported on their own). With `eval.samples` k > 0, each item also gets
/// k sampled completions (`SampledVerdicts`): whether sampling reaches a right call that greedy
/// decoding misses, which is what reinforcement learning can make more likely.
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
        let greedy = SamplingSettings(temperature: 0, topK: 0, topP: 1, maxNewTokens: config.maxNewTokens, stopSequences: [])
        let sampled = SamplingSettings(temperature: Float(config.temperature), topK: 0, topP: 1, maxNewTokens: config.maxNewTokens,
                                       stopSequences: [])
        // One stream per evaluation, so that a run's evaluation at a step is the same when resumed.
        var random = RandomGenerator(seed: 0x5A3B_1E00_0000_0000 ^ UInt64(step))
        var allItems: [TaskItem] = []
        var allCompletions: [String] = []
        var allScores: [RewardScore] = []
        var allSampled: [SampledVerdicts] = []
        var splits: [(String, MetricValue)] = []
        for name in config.decodedSplits {
            guard let split = TaskSplit(rawValue: name) else { continue }
            var items = taskSet.evaluation[split] ?? []
            if config.maxItems > 0 { items = Array(items.prefix(config.maxItems)) }
            guard !items.isEmpty else { continue }
            let (completions, completionTokens) = decode(items, sampler: sampler, settings: greedy, perItem: 1, random: &random)
            let scores = items.indices.map { i in
                rewardFunction.score(RewardContext(prompt: items[i].prompt, gold: items[i].gold, completion: completions[i],
                                                   completionTokens: completionTokens[i], step: step, totalSteps: totalSteps))
            }
            var fields = metrics(items: items, completions: completions, scores: scores)
            var verdicts: [SampledVerdicts] = []
            if config.samples > 0 {
                let k = config.samples
                let drawn = decode(items, sampler: sampler, settings: sampled, perItem: k, random: &random).texts
                verdicts = items.indices.map { i in
                    SampledVerdicts(exact: drawn[(i * k)..<((i + 1) * k)].map { Evaluator.judge(item: items[i], completion: $0).exact })
                }
                fields += SampledVerdicts.metrics(verdicts)
            }
            splits.append((name, .object(fields)))
            example?(name, completions[0])
            guard split != .noCall else { continue }
            allItems += items
            allCompletions += completions
            lastCompletions += zip(items, completions).map { ($0, $1) }
            allScores += scores
            allSampled += verdicts
        }
        var overall = metrics(items: allItems, completions: allCompletions, scores: allScores)
        overall += SampledVerdicts.metrics(allSampled)   // nothing without samples
        return [("overall", .object(overall))] + splits
    }

    /// `perItem` completions of each of `items` (item-major), decoded without end-of-text, with
    /// their tokens.
    private func decode(_ items: [TaskItem], sampler: Sampler, settings: SamplingSettings, perItem: Int,
                        random: inout RandomGenerator) -> (texts: [String], tokens: [[Int32]]) {
        var texts: [String] = [], tokens: [[Int32]] = []
        for start in stride(from: 0, to: items.count, by: chunkSize) {
            let prompts = items[start..<min(items.count, start + chunkSize)].map { promptTokens($0.prompt) }
            for output in sampler.generate(prompts: prompts, completionsPerPrompt: perItem, settings: settings, random: &random) {
                var completion = output.tokens
                if completion.last == tokenizer.endOfText { completion.removeLast() }
                texts.append(tokenizer.decode(completion))
                tokens.append(completion)
            }
        }
        return (texts, tokens)
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
