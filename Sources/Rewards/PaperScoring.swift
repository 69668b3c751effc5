import ToolUse

/// Fidelity `paper`: the formulas of ToolRL §3.3 and §5, read through the general
/// `CompletionParser`, with set semantics and an optimal assignment of calls.

/// A gold answer as the paper-fidelity reward reads it.
struct PaperGold {
    /// `<think>`, then `<tool_call>` if the gold has calls, then `<response>` if it has one.
    var requiredBlocks: [CompletionBlock] = [.think]
    var hasCalls = false
    var calls: [ToolCall] = []
    var problem: String?

    init(_ gold: String) {
        let parsed = CompletionParser.parse(gold)
        hasCalls = parsed.toolCallBlock != nil
        if hasCalls { requiredBlocks.append(.toolCall) }
        if parsed.response != nil { requiredBlocks.append(.response) }
        calls = parsed.calls
        if let error = parsed.errors.first {
            problem = "the gold answer does not parse: \(error)"
        }
    }
}

struct PaperScoring {
    let correctness: CorrectnessSpec

    /// 1 when the completion is exactly the required blocks, in order, separated by whitespace.
    func formatPasses(_ parsed: ParsedCompletion, gold: PaperGold) -> Bool {
        parsed.blocks == gold.requiredBlocks && !parsed.hasStrayText
            && !parsed.errors.contains { $0.kind == .structure }
    }

    func correctnessValue(_ parsed: ParsedCompletion, gold: PaperGold, range: ScaleRange) -> Double {
        guard gold.hasCalls else {
            switch correctness.responseOnly {
            case .zero: return 0.0
            case .abstain: return parsed.tagCounts[.toolCallOpen] == 0 ? range.max : range.min
            }
        }
        guard gold.problem == nil, parsed.hasValidCalls else { return range.min }
        let fraction = matchFraction(gold: gold.calls, predicted: parsed.calls)
        return range.value(at: fraction)
    }

    /// R_max / S_max for the configured granularity, in [0, 1].
    func matchFraction(gold: [ToolCall], predicted: [ToolCall]) -> Double {
        let equal: (JSONValue, JSONValue) -> Bool = correctness.values == .python
            ? { $0.pythonEquals($1) } : { $0.strictEquals($1) }
        switch correctness.granularity {
        case .coarse:
            return PaperScoring.sameCalls(gold, predicted, equal) ? 1 : 0
        case .original, .finegrained, .intermediate:
            let intermediate = correctness.granularity == .intermediate
            let finegrained = correctness.granularity == .finegrained
            let nameScore = PaperScoring.nameSetScore(gold, predicted, exact: finegrained)
            var scores = [[Double]](repeating: [Double](repeating: 0, count: predicted.count), count: gold.count)
            var normaliser = 1.0
            for (row, goldCall) in gold.enumerated() {
                normaliser += intermediate ? 1 : 1 + Double(goldCall.parameters.count)
                for (column, call) in predicted.enumerated() where call.name.hasSameScalars(as: goldCall.name) {
                    scores[row][column] = pairScore(goldCall, call, equal)
                }
            }
            let assigned = correctness.matching == .optimal
                ? CallAssignment.optimalTotal(scores) : CallAssignment.greedyTotal(scores)
            return (nameScore + assigned) / normaliser
        }
    }

    /// Score of pairing one gold call with one same-name prediction.
    func pairScore(_ gold: ToolCall, _ predicted: ToolCall, _ equal: (JSONValue, JSONValue) -> Bool) -> Double {
        if correctness.granularity == .intermediate {
            return PaperScoring.parametersEqual(gold.parameters, predicted.parameters, equal) ? 1 : 0
        }
        var shared = 0
        var valueMatches = 0
        for (key, value) in gold.parameters {
            guard let other = predicted.parameter(key) else { continue }
            shared += 1
            if equal(value, other) { valueMatches += 1 }
        }
        let union = gold.parameters.count + predicted.parameters.count - shared
        let keyScore: Double
        if correctness.granularity == .finegrained {
            keyScore = shared == gold.parameters.count && shared == predicted.parameters.count ? 1 : 0
        } else {
            keyScore = union == 0 ? 1 : Double(shared) / Double(union)
        }
        return keyScore + Double(valueMatches)
    }

    /// |N_G ∩ N_P| / |N_G ∪ N_P| on name sets (1 when both are empty); `exact`: 1[N_G = N_P].
    static func nameSetScore(_ gold: [ToolCall], _ predicted: [ToolCall], exact: Bool) -> Double {
        let goldSet = uniqueNames(gold)
        let predictedSet = uniqueNames(predicted)
        var shared = 0
        for g in goldSet where predictedSet.contains(where: { predicted[$0].name.hasSameScalars(as: gold[g].name) }) { shared += 1 }
        let union = goldSet.count + predictedSet.count - shared
        if exact { return shared == goldSet.count && shared == predictedSet.count ? 1 : 0 }
        return union == 0 ? 1 : Double(shared) / Double(union)
    }

    /// Indices of the first call with each distinct name.
    static func uniqueNames(_ calls: [ToolCall]) -> [Int] {
        var unique: [Int] = []
        unique.reserveCapacity(calls.count)
        for index in calls.indices where !unique.contains(where: { calls[$0].name.hasSameScalars(as: calls[index].name) }) {
            unique.append(index)
        }
        return unique
    }

    static func parametersEqual(_ a: [(String, JSONValue)], _ b: [(String, JSONValue)],
                                _ equal: (JSONValue, JSONValue) -> Bool) -> Bool {
        guard a.count == b.count else { return false }
        for (key, value) in a {
            guard let other = b.first(where: { $0.0.hasSameScalars(as: key) }), equal(value, other.1) else { return false }
        }
        return true
    }

    /// Whether the two call lists are equal as multisets (order ignored, duplicates counted).
    static func sameCalls(_ gold: [ToolCall], _ predicted: [ToolCall], _ equal: (JSONValue, JSONValue) -> Bool) -> Bool {
        guard gold.count == predicted.count else { return false }
        var used = [Bool](repeating: false, count: predicted.count)
        for call in gold {
            guard let index = predicted.indices.first(where: {
                !used[$0] && predicted[$0].name.hasSameScalars(as: call.name)
                    && parametersEqual(call.parameters, predicted[$0].parameters, equal)
            }) else { return false }
            used[index] = true
        }
        return true
    }

    /// min(words / target, 1), unrounded; 0 without a closed `<think>` block.
    static func lengthFraction(_ parsed: ParsedCompletion, target: Double) -> Double {
        guard let think = parsed.think, parsed.tagCounts[.thinkClose] > 0 else { return 0 }
        return Swift.min(Double(PythonText.wordCount(think)) / target, 1)
    }
}
