// Evaluation metrics for one split: completions against their items' gold answers.

/// Computes evaluation metrics.
public enum Evaluator {
    /// Metrics over `items` and their `completions` (same order, same count; a completion is the
    /// text after the prompt, the assistant cue excluded):
    /// - `accuracy`: the completion's calls equal the gold calls as a multiset (order ignored,
    ///   values compared by `JSONValue.strictEquals`: `1` equals `1.0`, `"1"` does not equal `1`,
    ///   `true` does not equal `1`) and every line of its `<tool_call>` block is a valid call;
    ///   for a gold answer without calls, no call is made.
    /// - `tool_name_accuracy`: the multiset of called tool names equals the gold one.
    /// - `format_validity`: the completion matches ToolRL's format pattern for the gold layout.
    /// - `irrelevance_accuracy`: over items whose gold has no call, the fraction without a
    ///   `<tool_call>` (absent when no item has a no-call gold).
    /// - `reasoning_length`: mean number of words in the first `<think>` block (0 without one).
    /// - `errors.<class>`: how many completions fail with each `CallError` class (every class,
    ///   zeros included), values compared by `strictEquals`.
    /// - `count`: number of items.
    /// Rates are in 0…1; an empty split gives only `count` = 0.
    public static func evaluate(items: [TaskItem], completions: [String]) -> [String: Double] {
        precondition(items.count == completions.count,
                     "evaluate: \(items.count) items but \(completions.count) completions")
        var metrics: [String: Double] = ["count": Double(items.count)]
        guard !items.isEmpty else { return metrics }
        var correct = 0, namesCorrect = 0, formatted = 0, noCallItems = 0, noCallKept = 0, words = 0
        var errorCounts: [CallError: Int] = [:]
        for (item, completion) in zip(items, completions) {
            let outcome = judge(item: item, completion: completion)
            if outcome.exact { correct += 1 }
            if outcome.namesMatch { namesCorrect += 1 }
            if outcome.formatValid { formatted += 1 }
            if item.goldCalls.isEmpty {
                noCallItems += 1
                if !outcome.madeCall { noCallKept += 1 }
            }
            words += outcome.thinkWords
            if let error = outcome.error { errorCounts[error, default: 0] += 1 }
        }
        let total = Double(items.count)
        metrics["accuracy"] = Double(correct) / total
        metrics["tool_name_accuracy"] = Double(namesCorrect) / total
        metrics["format_validity"] = Double(formatted) / total
        metrics["reasoning_length"] = Double(words) / total
        if noCallItems > 0 { metrics["irrelevance_accuracy"] = Double(noCallKept) / Double(noCallItems) }
        for error in CallError.allCases { metrics["errors.\(error.rawValue)"] = Double(errorCounts[error] ?? 0) }
        return metrics
    }

    /// How one completion fares against one item.
    public struct Judgement: Sendable, Equatable {
        public var exact: Bool
        public var namesMatch: Bool
        public var formatValid: Bool
        var madeCall: Bool
        var thinkWords: Int
        /// Why the calls are wrong (nil when they are right and the answer is well formed).
        public var error: CallError?
    }

    /// The per-item verdicts behind `evaluate`.
    public static func judge(item: TaskItem, completion: String) -> Judgement {
        let parsed = CompletionParser.parse(completion)
        let madeCall = parsed.tagCounts[.toolCallOpen] > 0 || !parsed.calls.isEmpty
        let callsValid = !parsed.errors.contains { $0.kind == .toolCall }
        let exact: Bool
        if item.goldCalls.isEmpty {
            exact = !madeCall
        } else {
            exact = callsValid && sameMultiset(item.goldCalls, parsed.calls) { $0.strictEquals($1) }
        }
        let namesMatch = sameMultiset(item.goldCalls.map(\.name), parsed.calls.map(\.name)) {
            $0.hasSameScalars(as: $1)
        }
        return Judgement(
            exact: exact, namesMatch: namesMatch,
            formatValid: ToolRLFormat.matches(completion, layout: AnswerLayout(gold: item.gold)),
            madeCall: madeCall, thinkWords: parsed.think.map(PythonText.wordCount) ?? 0,
            error: CallError.classify(parsed, gold: item.goldCalls) { $0.strictEquals($1) })
    }

    /// Multiset equality under an equivalence relation (greedy pairing suffices for one).
    static func sameMultiset<T>(_ gold: [T], _ predicted: [T], equal: (T, T) -> Bool) -> Bool {
        guard gold.count == predicted.count else { return false }
        var used = Array(repeating: false, count: predicted.count)
        for wanted in gold {
            guard let match = predicted.indices.first(where: { !used[$0] && equal(wanted, predicted[$0]) }) else {
                return false
            }
            used[match] = true
        }
        return true
    }
}
