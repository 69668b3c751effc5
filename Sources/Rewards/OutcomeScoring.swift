import ToolUse

/// The outcome presets (`binary`, `f1_floor`, `error_typed`): one formula each over the whole
/// completion, read through `CompletionParser` as fidelity `paper` reads it. "Format right" is
/// ToolRL's format check (`PaperScoring.formatPasses`: exactly the gold's blocks, in order);
/// calls are equal when their names are equal and their parameters equal under
/// `correctness.values`, as multisets (order ignored, duplicates counted).
struct OutcomeScoring {
    let preset: RewardPreset
    let values: ValueEquality
    let errorWeights: ErrorWeights

    var equal: (JSONValue, JSONValue) -> Bool {
        values == .python ? { $0.pythonEquals($1) } : { $0.strictEquals($1) }
    }

    /// The breakdown: `format` 1/0 and `correctness` (binary: calls equal 1/0; f1_floor: the call
    /// F1; error_typed: 1 when no error class applies, else 0) for metrics; `total` is the
    /// preset's formula, not a weighted sum of the two.
    func score(_ parsed: ParsedCompletion, gold: PaperGold, paper: PaperScoring) -> RewardBreakdown {
        let formatRight = gold.problem == nil && paper.formatPasses(parsed, gold: gold)
        let format = formatRight ? 1.0 : 0.0
        switch preset {
        case .binary:
            // Tool-N1 (Zhang et al. 2025, arXiv 2505.00024): r = 1[format ∧ calls = gold calls].
            let callsRight = gold.problem == nil && !parsed.errors.contains { $0.kind == .toolCall }
                && PaperScoring.sameCalls(gold.calls, parsed.calls, equal)
            let correctness = callsRight ? 1.0 : 0.0
            return RewardBreakdown(format: format, correctness: correctness, length: nil,
                                   total: format * correctness, isWeightedSum: false)
        case .f1Floor:
            // Tool-Star (Dong et al. 2025, arXiv 2505.16410): −1 for a bad format, else the answer F1.
            let f1 = gold.problem == nil ? Self.callF1(gold: gold.calls, predicted: parsed.calls, equal) : 0
            return RewardBreakdown(format: format, correctness: f1, length: nil,
                                   total: formatRight ? f1 : -1, isWeightedSum: false)
        case .errorTyped:
            let error = gold.problem == nil ? CallError.classify(parsed, gold: gold.calls, equal: equal) : .badFormat
            return RewardBreakdown(format: error == .badFormat ? 0 : 1, correctness: error == nil ? 1 : 0, length: nil,
                                   total: error.map { -errorWeights[$0] } ?? 1, isWeightedSum: false)
        default:
            preconditionFailure("\(preset.rawValue) is a ToolRL preset")
        }
    }

    /// F1 of the predicted calls against the gold calls: matched = the size of their multiset
    /// intersection (whole calls equal), precision = matched/|P|, recall = matched/|G|; 1 when
    /// both are empty, 0 when nothing matches.
    static func callF1(gold: [ToolCall], predicted: [ToolCall], _ equal: (JSONValue, JSONValue) -> Bool) -> Double {
        if gold.isEmpty && predicted.isEmpty { return 1 }
        var used = [Bool](repeating: false, count: predicted.count)
        var matched = 0
        for call in gold {
            if let index = predicted.indices.first(where: {
                !used[$0] && predicted[$0].name.hasSameScalars(as: call.name)
                    && PaperScoring.parametersEqual(call.parameters, predicted[$0].parameters, equal)
            }) {
                used[index] = true
                matched += 1
            }
        }
        guard matched > 0 else { return 0 }
        let precision = Double(matched) / Double(predicted.count)
        let recall = Double(matched) / Double(gold.count)
        return 2 * precision * recall / (precision + recall)
    }
}
